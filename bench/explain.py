"""Where a page's database time goes: every statement of one request, timed and explained.

``python -m bench.explain --scale 10000 start_page start_page_lead`` serves each page in-process (as
``bench.profile`` does: the bench database of that scale, its settings, keys and ``BENCH_DB_PREFIX``, the
bench professional's session), a few warm-up requests first, then ``--requests`` measured ones. Per
statement of the request it prints:

- the time the driver waited for it (``cursor.execute``: the round trip, the server's parsing, planning
  and execution, and the rows' transfer; the median of the measured requests), and
- on PostgreSQL its ``EXPLAIN (ANALYZE, BUFFERS)``, run twice with the request's own values (the second
  counted): the planning time and the execution time apart, the buffers touched, and the plan's top line.
  A writing statement is explained inside a transaction that is rolled back; an ``executemany`` (the access
  log's rows) is explained for its first row and its time is the whole call's.

Run it on a database the bench runner made for this checkout (it writes: the bench's session, the access
log of the requests). ``--sql`` prints each statement's text. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import statistics
import sys
import time

from bench.load import cpu_seconds
from bench.profile import _setup, serve

HASH = re.compile(r"[0-9a-f]{64}")
SKIP_EXPLAIN = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET ", "SHOW ")


def _capture(handler, spec: dict, connection) -> list[dict]:
    statements = []

    def record(execute, sql, params, many, context):
        pid = connection.connection.info.backend_pid if connection.vendor == "postgresql" else None
        cpu = cpu_seconds(pid)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(
                {
                    "sql": sql,
                    "params": list(params)[0] if many and params else params,
                    "rows": len(params) if many and params else 1,
                    "ms": (time.perf_counter() - started) * 1000,
                    "server_cpu": None if cpu is None else cpu_seconds(pid) - cpu,
                }
            )

    with connection.execute_wrapper(record):
        serve(handler, spec)
    return statements


def _explain(connection, statement: dict) -> dict | None:
    from django.db import transaction

    sql = statement["sql"]
    head = sql.lstrip().upper()
    if connection.vendor != "postgresql" or head.startswith(SKIP_EXPLAIN) or "PG_ADVISORY" in head:
        return None
    params = statement["params"]
    if head.startswith("INSERT"):
        # The row went in with the request: the access log's chain link (previous hash, hash) is unique, so
        # the explained copy gets other hashes.
        params = [secrets.token_hex(32) if isinstance(p, str) and HASH.fullmatch(p) else p for p in params]
    explained = None
    for _ in range(2):
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
                explained = cursor.fetchone()[0]
            transaction.set_rollback(True)
    doc = explained[0] if isinstance(explained, list) else json.loads(explained)[0]
    plan = doc["Plan"]
    shared = sum(plan.get(f"Shared {k} Blocks", 0) for k in ("Hit", "Read"))
    return {
        "params": params,
        "planning_ms": doc.get("Planning Time"),
        "execution_ms": doc.get("Execution Time"),
        "buffers": shared,
        "top": plan["Node Type"] + (f" on {plan['Relation Name']}" if "Relation Name" in plan else ""),
    }


def _backend_cpu(connection) -> float | None:
    """The CPU seconds the database server's process of this connection has used (PostgreSQL on this
    machine: ``/proc``), or None."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    return cpu_seconds(connection.connection.info.backend_pid)


def _text_plan(connection, sql: str, params) -> str:
    from django.db import transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return "\n".join("       " + line for line in lines)


def _label(sql: str) -> str:
    text = " ".join(sql.split())
    upper = text.upper()
    if upper.startswith("SELECT"):
        start = upper.find(" FROM ")
        return ("SELECT … " + text[start + 1 : start + 70]) if start > 0 else text[:80]
    return text[:80]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=["start_page"], help="page keys of bench.pages")
    parser.add_argument("--scale", type=int, default=10_000)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--sql", action="store_true", help="print each statement's text")
    parser.add_argument("--no-explain", action="store_true", help="times only")
    parser.add_argument(
        "--plans-over", type=float, help="print the whole plan of a statement that ran at least this many ms"
    )
    args = parser.parse_args(argv)
    _setup(args.scale, args.database)

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from bench.prepare import prepare

    requests = prepare()["requests"]
    handler = WSGIHandler()
    options = connection.settings_dict.get("OPTIONS", {})
    print(f"server_side_binding: {bool(options.get('server_side_binding'))}")
    for key in args.pages:
        spec = requests[key]
        if not spec["available"] or spec["method"] != "GET":
            print(f"{key}: not measured ({spec.get('reason') or spec['method']})")
            continue
        for _ in range(args.warmup):
            serve(handler, spec)
        runs, walls = [], []
        backend = _backend_cpu(connection)
        worker = time.process_time()
        for _ in range(args.requests):
            started = time.perf_counter()
            runs.append(_capture(handler, spec, connection))
            walls.append((time.perf_counter() - started) * 1000)
        worker_ms = (time.process_time() - worker) * 1000 / args.requests
        backend_ms = None if backend is None else (_backend_cpu(connection) - backend) * 1000 / args.requests
        last = runs[-1]
        # A statement's time: the median over the requests that ran the same statements in the same order.
        same = [run for run in runs if [s["sql"] for s in run] == [s["sql"] for s in last]]
        medians = [statistics.median(run[i]["ms"] for run in same) for i in range(len(last))]
        # The server's CPU per statement, summed over the requests (its clock ticks in 10 ms steps).
        server = [
            None
            if any(run[i]["server_cpu"] is None for run in same)
            else sum(run[i]["server_cpu"] for run in same) * 1000 / len(same)
            for i in range(len(last))
        ]
        total = sum(medians)
        print(
            f"\n{key}: {len(last)} statements, driver wait {total:.1f} ms (sum of medians), request "
            f"{statistics.median(walls):.1f} ms wall (median of {len(walls)}, {len(same)} with the same "
            "statements)"
        )
        if backend_ms is not None:
            print(
                f"  CPU per request: this process {worker_ms:.1f} ms, the database server's process "
                f"{backend_ms:.1f} ms (its CPU time, which other work on the machine hardly changes)"
            )
        print("  #  wait ms  srv CPU  plan ms  exec ms  buffers  rows  statement (plan's top node)")
        plan_sum = exec_sum = 0.0
        for i, statement in enumerate(last):
            explained = None if args.no_explain else _explain(connection, statement)
            if explained:
                plan_sum += explained["planning_ms"] or 0
                exec_sum += explained["execution_ms"] or 0
                figures = (
                    f"{explained['planning_ms']:7.2f}  {explained['execution_ms']:7.2f}  "
                    f"{explained['buffers']:7d}"
                )
                top = f" ({explained['top']})"
            else:
                figures, top = f"{'-':>7}  {'-':>7}  {'-':>7}", ""
            label = _label(statement["sql"])
            cpu = "      -" if server[i] is None else f"{server[i]:7.2f}"
            print(f"{i + 1:3d}  {medians[i]:7.2f}  {cpu}  {figures}  {statement['rows']:4d}  {label}{top}")
            if args.sql:
                print("     " + " ".join(statement["sql"].split()))
            if explained and args.plans_over is not None and explained["execution_ms"] >= args.plans_over:
                print(_text_plan(connection, statement["sql"], explained["params"]))
        if not args.no_explain:
            print(f"     EXPLAIN totals: planning {plan_sum:.2f} ms, execution {exec_sum:.2f} ms")
    if connection.vendor == "postgresql" and options.get("server_side_binding"):
        # Which statements the connection holds prepared, and whether the server plans them each time
        # (custom plans) or runs one plan kept for the connection (a generic plan).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements"
                " ORDER BY prepare_time"
            )
            rows = cursor.fetchall()
        print(f"\nprepared statements of the connection: {len(rows)} (generic plans, custom plans, text)")
        for generic, custom, sql in rows:
            print(f"  {generic:5d} {custom:5d}  {_label(sql)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
