"""Where a page's time goes: serve bench pages in-process and measure CPU per request, or profile them.

``python -m bench.profile --scale 10000 dossier timeline`` uses the bench database of that scale (made by
``bench.run``; the same production settings, keys and ``BENCH_DB_PREFIX``), the professional and targets
``bench.prepare`` picks, and Django's WSGI handler with the bench's session cookies. For every page: a few
warm-up requests, then ``--requests`` measured ones; it prints the median CPU time per request (the
process's, robust on a busy machine) and the queries per request. ``--profile cprofile`` or
``--profile pyinstrument`` (a development extra) adds a profile of the measured requests. It also counts
the Python function calls of a request (``--calls`` requests under cProfile, after the measured ones): a
count that a busy machine does not change, for comparing two versions of a page. See
docs/performance.md, "Where the time of a page goes".
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from urllib.parse import urlencode

from bench.run import ROOT, base_env, database_url


def _setup(scale: int, engine: str) -> None:
    os.environ.update(base_env(database_url(engine, scale)))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _environ(spec: dict) -> dict:
    from django.test.client import FakePayload

    path, _, query = spec["path"].partition("?")
    body = urlencode(spec["body"] or {}).encode()
    environ = {
        "REQUEST_METHOD": spec["method"],
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": FakePayload(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    if spec["body"] is not None:
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    for name, value in spec["headers"].items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def serve(handler, spec: dict) -> int:
    statuses = []
    result = handler(_environ(spec), lambda status, headers, exc_info=None: statuses.append(status))
    for _chunk in result:
        pass
    if hasattr(result, "close"):
        result.close()
    return int(statuses[0].split()[0])


def function_calls(handler, spec: dict, requests: int) -> int:
    """The Python function calls of one request (cProfile's count, the median of ``requests``): unlike time,
    the same on a busy machine and a quiet one, so the steadier measure of a change."""
    import cProfile
    import pstats

    counts = []
    for _ in range(requests):
        profiler = cProfile.Profile()
        profiler.enable()
        serve(handler, spec)
        profiler.disable()
        counts.append(pstats.Stats(profiler).total_calls)
    return int(statistics.median(counts)) if counts else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="page keys of bench.pages (default: the daily pages)")
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", choices=["cprofile", "pyinstrument"])
    parser.add_argument("--limit", type=int, default=40, help="lines of the cProfile listing")
    parser.add_argument(
        "--calls", type=int, default=5, help="requests whose function calls are counted (0: none)"
    )
    args = parser.parse_args(argv)
    _setup(args.scale, args.database)

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from bench.prepare import prepare

    requests = prepare()["requests"]
    keys = args.pages or ["minimal", "caseload", "dossier", "timeline", "effect"]
    handler = WSGIHandler()
    minimal_cpu = None
    for key in keys:
        spec = requests[key]
        if not spec["available"] or spec["method"] != "GET":
            print(f"{key}: not measured ({spec.get('reason') or spec['method']})")
            continue
        for _ in range(args.warmup):
            status = serve(handler, spec)
        if status != spec["expect"]:
            raise SystemExit(f"{key}: status {status}, expected {spec['expect']}")
        queries = []  # not CaptureQueriesContext: every request resets the connection's query log

        def count(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(count):
            serve(handler, spec)
        profiler = None
        if args.profile == "cprofile":
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU time: robust on a busy machine
        elif args.profile == "pyinstrument":
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
        cpu = []
        for _ in range(args.requests):
            if profiler:
                profiler.enable() if args.profile == "cprofile" else profiler.start()
            started = time.process_time()
            serve(handler, spec)
            cpu.append((time.process_time() - started) * 1000)
            if profiler:
                profiler.disable() if args.profile == "cprofile" else profiler.stop()
        median = statistics.median(cpu)
        calls = function_calls(handler, spec, args.calls)
        if key == "minimal":
            minimal_cpu = median
        ratio = f", {median / minimal_cpu:.1f}x minimal" if minimal_cpu else ""
        print(
            f"{key}: CPU {median:.1f} ms/request (median of {args.requests}){ratio}, {len(queries)} queries"
            + (f", {calls:,} function calls/request" if calls else "")
        )
        if args.profile == "cprofile":
            import pstats

            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(
                os.environ.get("PROFILE_SORT", "cumulative")
            ).print_stats(args.limit)
            print(out.getvalue())
        elif args.profile == "pyinstrument":
            print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
