"""What a worker's memory grows by: serve every soak page in-process, in rounds, and compare.

``python -m bench.memory --scale 1000 --rounds 20`` uses the bench database of that scale (as
``bench.profile`` does: the same production settings, keys and ``BENCH_DB_PREFIX``) and requests every page
the soak drives (``bench.prepare``'s requests that are available and not ``fresh``, the measurement submit
included, which writes) in round robin through Django's WSGI handler, like one gunicorn sync worker. After
every round it prints the process's resident memory and Python's traced memory; with ``--trace`` it takes a
``tracemalloc`` snapshot after round ``--baseline`` (default 2) and after the last round and prints the
largest growth by traceback. Memory that Python holds (a cache, a list that only grows) shows up in the
traced figure and its traceback; resident memory that grows while the traced figure stays flat is the C
allocator's (freed blocks that are not returned to the system) or a C library's. See docs/performance.md,
"Soak: memory per worker".
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import sys
import time
from pathlib import Path

from bench.profile import _setup, serve


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()
    ]


def malloc_kb() -> tuple[int, int] | None:
    """The C allocator's (glibc ``mallinfo2``) bytes in use (including large blocks it mapped apart) and
    bytes free but kept, in KiB; ``None`` without glibc 2.33+. Python's small objects are not in it
    (their arenas are mapped apart); C libraries' (Pango, cairo, FreeType, NumPy's buffers) are."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):
        return None
    info = libc.mallinfo2()
    return (info.uordblks + info.hblkhd) // 1024, info.fordblks // 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="page keys of bench.pages (default: every soak page)")
    parser.add_argument("--scale", type=int, default=1_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--baseline", type=int, default=2, help="round after which the first snapshot is taken"
    )
    parser.add_argument("--trace", action="store_true", help="tracemalloc snapshots (slower)")
    parser.add_argument("--frames", type=int, default=8, help="frames of a traceback kept by tracemalloc")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--collect", action="store_true", help="gc.collect() after every round")
    args = parser.parse_args(argv)
    _setup(args.scale, args.database)

    import tracemalloc

    from django.core.handlers.wsgi import WSGIHandler

    from bench.prepare import prepare

    requests = prepare()["requests"]
    keys = args.pages or sorted(k for k, v in requests.items() if v["available"] and not v["fresh"])
    handler = WSGIHandler()
    if args.trace:
        tracemalloc.start(args.frames)
    baseline = None
    statuses: dict[str, int] = {}
    print(f"{len(keys)} pages: {' '.join(keys)}")
    print("round  rss_kb  delta_kb  malloc_used_kb  malloc_free_kb  py_blocks  traced_kb  seconds")
    previous = rss_kb()
    for n in range(1, args.rounds + 1):
        started = time.monotonic()
        for key in keys:
            spec = requests[key]
            status = serve(handler, spec)
            if status != spec["expect"]:
                statuses[f"{key} {status}"] = statuses.get(f"{key} {status}", 0) + 1
        if args.collect:
            gc.collect()
        rss = rss_kb()
        traced = tracemalloc.get_traced_memory()[0] // 1024 if args.trace else 0
        used, free = malloc_kb() or (0, 0)
        print(
            f"{n:5}  {rss:6}  {rss - previous:8}  {used:14}  {free:14}  {sys.getallocatedblocks():9}"
            f"  {traced:9}  {time.monotonic() - started:7.1f}",
            flush=True,
        )
        previous = rss
        if args.trace and n == args.baseline:
            gc.collect()
            baseline = tracemalloc.take_snapshot()
    if statuses:
        print("unexpected statuses:", statuses)
    if args.trace and baseline is not None:
        gc.collect()
        final = tracemalloc.take_snapshot()
        ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
        stats = final.filter_traces(ignore).compare_to(baseline.filter_traces(ignore), "traceback")
        print(f"\nlargest growth from round {args.baseline} to round {args.rounds} by traceback:")
        for stat in stats[: args.top]:
            print(
                f"\n{stat.size_diff / 1024:+.1f} KiB, {stat.count_diff:+} blocks"
                f" (now {stat.size / 1024:.1f} KiB)"
            )
            for line in stat.traceback.format()[-2 * args.frames :]:
                print("   ", line)
        total = sum(s.size_diff for s in stats)
        print(f"\ntotal traced growth: {total / 1024:+.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
