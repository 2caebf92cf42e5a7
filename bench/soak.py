"""``make soak``: a bounded mixed workload against a running server, reporting errors, latency per minute
and memory growth per worker (docs/operations.md, "Soak test").

It prepares (or reuses) the benchmark's generated database (``bench.run.ensure_database``, PostgreSQL by
default, 1,000 clients), starts gunicorn with production settings and two sync workers on loopback, and
drives every page of ``bench.pages`` that ``bench.prepare`` could build (staff and portal, reads and the
measurement submit) from ``--threads`` closed-loop clients for ``--minutes`` (default 10). Every 15 seconds
it samples each worker's resident memory. At the end it prints a JSON report: requests, errors (a failed
connection or an unexpected status) with their pages, p50/p95 per minute, and per worker the memory at the
first sample after the warm-up minute, in the middle of the rest and at the end, the growth over all of it
and over its second half, and the last sample of every minute (``memory_report``). Exit code 1 when there
was an error or a worker grew more than 10%. ``bench.memory`` finds what grows, in one process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from bench.load import Driver
from bench.run import CACHE, ROOT, Server, ensure_database, log, waardewerk

MEMORY_GROWTH_LIMIT = 0.10
WARMUP_SECONDS = 60
SAMPLE_SECONDS = 15


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def memory_report(samples: list[tuple[float, int]]) -> dict:
    """One worker's memory: growth from the first sample after the warm-up minute to the last, the growth
    over the second half of the run (does it level off?), and the last sample of every minute."""
    # The first minute warms caches up; growth is measured from the first sample after it.
    after_warmup = [rss for seconds, rss in samples if seconds >= WARMUP_SECONDS] or [samples[-1][1]]
    first, last = after_warmup[0], after_warmup[-1]
    middle = after_warmup[len(after_warmup) // 2]
    per_minute: dict[int, int] = {}
    for seconds, rss in samples:
        per_minute[int(seconds // 60)] = rss  # the last sample of the minute
    return {
        "rss_kb_start": first,
        "rss_kb_middle": middle,
        "rss_kb_end": last,
        "growth": round(last / first - 1, 3),
        "growth_second_half": round(last / middle - 1, 3),
        "rss_kb_per_minute": per_minute,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=1_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    args = parser.parse_args(argv)

    from waardewerk.sampledata.generator_version import GENERATOR_VERSION

    env, _info = ensure_database(args.database, args.clients, GENERATOR_VERSION)
    waardewerk(env, "collectstatic", "--no-input", "-v", "0")
    prepared = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.prepare"],
            env=env,
            check=True,
            text=True,
            capture_output=True,
            cwd=ROOT,
        ).stdout
    )
    pages = {k: v for k, v in prepared["requests"].items() if v["available"] and not v["fresh"]}
    server = Server(env, args.clients, workers=args.workers)
    time.sleep(3)  # the other workers load the app too
    log(f"soak: {len(pages)} pages, {args.threads} clients, {args.minutes} min against {server.base}")
    started = time.monotonic()
    until = started + args.minutes * 60
    latencies: dict[int, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    memory: dict[int, list[tuple[float, int]]] = defaultdict(list)

    def drive(offset: int) -> None:
        driver = Driver(server.base)
        names = sorted(pages)
        i = offset
        while time.monotonic() < until:
            name = names[i % len(names)]
            i += 1
            ms, status, _size = driver.request(pages[name])
            minute = int((time.monotonic() - started) // 60)
            with lock:
                latencies[minute].append(ms)
                if status != pages[name].get("expect", 200):
                    errors[f"{name} {status}"] += 1
        driver.close()

    def sample() -> None:
        while time.monotonic() < until:
            for pid in _children(server.process.pid):
                rss = _rss_kb(pid)
                if rss:
                    memory[pid].append((time.monotonic() - started, rss))
            time.sleep(SAMPLE_SECONDS)

    threads = [threading.Thread(target=drive, args=(n,)) for n in range(args.threads)]
    sampler = threading.Thread(target=sample, daemon=True)
    try:
        sampler.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.stop()

    def pct(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1], 1) if len(values) >= 2 else None

    per_minute = {
        minute: {"requests": len(v), "p50_ms": pct(v, 50), "p95_ms": pct(v, 95)}
        for minute, v in sorted(latencies.items())
    }
    workers = {pid: memory_report(samples) for pid, samples in memory.items()}
    report = {
        "minutes": args.minutes,
        "threads": args.threads,
        "workers": args.workers,
        "database": args.database,
        "clients": args.clients,
        "requests": sum(len(v) for v in latencies.values()),
        "errors": sum(errors.values()),
        "errors_by_page": dict(errors),
        "per_minute": per_minute,
        "memory": workers,
    }
    out = CACHE / "soak.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    grown = [w for w in workers.values() if w["growth"] > MEMORY_GROWTH_LIMIT]
    return 1 if report["errors"] or grown else 0


if __name__ == "__main__":
    sys.exit(main())
