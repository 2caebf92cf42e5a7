"""Worker scaling: audited dossier reads per second with 1, 2 and 4 gunicorn workers (``web``), and the
throughput of the task queue with 1 and 2 ``waardewerk worker`` processes (``tasks``).

``python -m bench.workers web [--scale N] [--seconds S] [--workers 1,2,4] [--database postgres|sqlite]``
uses the benchmark's generated database of N clients (``bench.run.ensure_database``: ``<BENCH_DB_PREFIX>_N``,
generated once and reused), picks the professional of the served bench (``bench.prepare``) and logs them in
server-side, then for each number of workers starts gunicorn with that many sync workers (production
settings, loopback) and drives it from ``--connections`` closed-loop client threads (the same number for
every run, twice the most workers by default, so every worker always has a request waiting), each with a
session of its own (as that many browsers) and asking
for the dossiers of the professional's open caseload in turn. Every dossier read writes a row to the access
log (``audit_read``), so the figure includes the log's append. After a warm-up of ``--warmup`` seconds it
counts the answers (200) for ``--seconds``; it checks that the access log grew by one row per counted read
or more and reports over how many chains the rows went. The result, with the ratio of each run to one
worker, goes to ``bench/results/workers-web-latest.json`` and ``.md`` (docs/performance.md, "Worker
scaling"). A bench, not a test: the figure depends on the machine and on what else runs on it; the load
average at the start of each run is recorded.

``python -m bench.workers tasks [--tasks N] [--database postgres|sqlite]`` makes an empty database of its own
(``<BENCH_DB_PREFIX>_tasks``), and for each number of workers enqueues N tasks (``bench.tasks``: about
10 ms of CPU and a write to the shared cache each), starts that many workers (``--batch``: they stop when
the queue is empty) and measures the tasks finished per second, from the first task's start to the last
one's end (the workers' start-up is left out). The result, with the ratio of 2 workers to 1, goes to
``bench/results/workers-latest.json`` and ``.md`` (docs/performance.md, "Worker scaling"). A bench, not a
test: the figure depends on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.run import (
    BIN,
    CACHE,
    RESULTS,
    ROOT,
    Server,
    _pg_admin,
    base_env,
    database_url,
    ensure_database,
    git_commit,
    log,
    waardewerk,
)

ROUNDS = 20_000  # sha256 rounds per task: about 10 ms of CPU


def _django(env: dict):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _enqueue(n: int) -> None:
    from bench.tasks import unit_of_work

    for number in range(n):
        unit_of_work.enqueue(number, ROUNDS)


def _measure(env: dict, workers: int, n: int) -> dict:
    from django.db import close_old_connections
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    close_old_connections()
    DBTaskResult.objects.all().delete()
    _enqueue(n)
    command = [str(BIN / "waardewerk"), "worker", "--no-reload", "--batch", "--interval", "0.05"]
    command.append("--no-startup-delay")
    started = time.perf_counter()
    processes = [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        for _ in range(workers)
    ]
    for process in processes:
        process.wait(timeout=1800)
    wall = time.perf_counter() - started
    close_old_connections()
    done = DBTaskResult.objects.filter(status="SUCCESSFUL")
    span = done.aggregate(first=Min("started_at"), last=Max("finished_at"))
    seconds = (span["last"] - span["first"]).total_seconds()
    count = done.count()
    return {
        "workers": workers,
        "tasks": n,
        "successful": count,
        "failed": DBTaskResult.objects.filter(status="FAILED").count(),
        "seconds": round(seconds, 2),
        "tasks_per_second": round(count / seconds, 1),
        "wall_seconds_with_start": round(wall, 2),
    }


def tasks_main(args) -> int:
    url = database_url(args.database, "tasks")
    if args.database == "postgres":
        name = url.rsplit("/", 1)[-1]
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{name}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    env = base_env(url) | {"WAARDEWERK_TASKS": "database", "WAARDEWERK_LOG_LEVEL": "ERROR"}
    log(f"worker scaling: migrating {url.rsplit('/', 1)[-1]}")
    waardewerk(env, "migrate", "--no-input", "-v", "0")
    _django(env)
    runs = {}
    for workers in (1, 2):
        best = None
        for _ in range(args.repeat):
            result = _measure(env, workers, args.tasks)
            log(f"{workers} worker(s): {result['tasks_per_second']} tasks/s ({result['seconds']} s)")
            if best is None or result["tasks_per_second"] > best["tasks_per_second"]:
                best = result
        runs[workers] = best
    ratio = round(runs[2]["tasks_per_second"] / runs[1]["tasks_per_second"], 2)
    doc = {
        "at": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": args.database,
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "task": f"bench.tasks.unit_of_work: {ROUNDS} sha256 rounds and one cache write",
        "runs": runs,
        "ratio_2_to_1": ratio,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "workers-latest.json").write_text(json.dumps(doc, indent=2) + "\n")
    lines = [
        "# Worker scaling (bench/workers.py)",
        "",
        f"{doc['at']}, commit {doc['commit']}, {args.database}, {doc['cpus']} CPUs, load at start "
        f"{', '.join(f'{v:.1f}' for v in doc['load_average_at_start'])}; {doc['task']}.",
        "",
        "| workers | tasks | seconds | tasks/s |",
        "|---------|-------|---------|---------|",
        *[f"| {w} | {r['successful']} | {r['seconds']} | {r['tasks_per_second']} |" for w, r in runs.items()],
        "",
        f"2 workers / 1 worker: **{ratio}**",
        "",
    ]
    (RESULTS / "workers-latest.md").write_text("\n".join(lines))
    log(f"2 workers / 1 worker: {ratio}; bench/results/workers-latest.md")
    (CACHE / "workers.log").write_text(json.dumps(doc) + "\n")
    return 0


# -- gunicorn workers --------------------------------------------------------------------------------------

DOSSIERS = 40  # the dossiers of the caseload read in turn


def prepare_web(sessions: int) -> dict:
    """(In the app's settings, as ``python -m bench.workers prepare-web N``.) The professional of the served
    bench, N sessions for them (one per client connection, as N browsers: no two workers update one session
    row), the paths of their open caseload's dossiers, and the log's last row."""
    from bench import prepare

    prepare._setup()
    from django.conf import settings

    from waardewerk.audit.models import AccessEvent
    from waardewerk.trajectories.models import Trajectory

    professional, caseload = prepare.choose_professional()
    clients = (
        Trajectory.objects.filter(responsible=professional, end_date__isnull=True)
        .order_by("id")
        .values_list("client__uuid", flat=True)[:DOSSIERS]
    )
    return {
        "professional": professional.username,
        "open_caseload": caseload,
        "cookies": [
            f"{settings.SESSION_COOKIE_NAME}={prepare.login_session(professional)}" for _ in range(sessions)
        ],
        "paths": [f"/clients/{uuid}/" for uuid in clients],
        "log_last_id": AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0,
    }


def log_growth(after_id: int) -> dict:
    """(In the app's settings, as ``python -m bench.workers log-growth ID``.) The access-log rows written
    after row ``after_id``: how many, over how many chains, and the last id."""
    from bench import prepare

    prepare._setup()
    from django.db.models import Count, Max

    from waardewerk.audit.models import AccessEvent

    new = AccessEvent.objects.filter(id__gt=after_id)
    out = new.aggregate(rows=Count("id"), chains=Count("chain", distinct=True), last=Max("id"))
    return out | {"last": out["last"] or after_id}


def _in_app(env: dict, *args: str) -> dict:
    command = [sys.executable, "-m", "bench.workers", *args]
    out = subprocess.run(command, env=env, check=True, text=True, capture_output=True, cwd=ROOT)  # noqa: S603
    return json.loads(out.stdout)


def _drive(base: str, cookies: list[str], paths: list[str], warmup: float, seconds: float) -> dict:
    """One closed-loop client per cookie for ``warmup`` + ``seconds``; counts the answers in the window."""
    from bench.load import Driver

    connections = len(cookies)
    start = time.perf_counter() + warmup
    end = start + seconds
    counts = [[0, 0] for _ in range(connections)]  # per client: reads answered 200, errors

    def client(number: int) -> None:
        driver = Driver(base)
        headers = {"Cookie": cookies[number]}
        position = number
        while (now := time.perf_counter()) < end:
            page = {"method": "GET", "path": paths[position % len(paths)], "headers": headers}
            position += 1
            _ms, status, _size = driver.request(page)
            if time.perf_counter() <= end and now >= start:
                counts[number][0 if status == 200 else 1] += 1
        driver.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reads = sum(c[0] for c in counts)
    errors = sum(c[1] for c in counts)
    return {"reads": reads, "errors": errors, "reads_per_second": round(reads / seconds, 1)}


def web_main(args) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from waardewerk.sampledata.generator_version import GENERATOR_VERSION

    env, _info = ensure_database(args.database, args.scale, GENERATOR_VERSION)
    waardewerk(env, "collectstatic", "--no-input", "-v", "0")
    counts = [int(n) for n in args.workers.split(",")]
    connections = args.connections or 2 * max(counts)
    prepared = _in_app(env, "prepare-web", str(connections))
    log(
        f"{args.scale:,} clients: {prepared['professional']}, {len(prepared['paths'])} dossiers in turn, "
        f"{connections} client connections"
    )
    runs = {}
    last_id = prepared["log_last_id"]
    for workers in counts:
        best = None
        for _ in range(args.repeat):
            load = os.getloadavg()
            server = Server(env, args.scale, workers=workers)
            try:
                cookies, paths = prepared["cookies"], prepared["paths"]
                result = _drive(server.base, cookies, paths, args.warmup, args.seconds)
            finally:
                server.stop()
            growth = _in_app(env, "log-growth", str(last_id))
            last_id = growth["last"]
            result |= {"workers": workers, "load_at_start": [round(v, 2) for v in load], "log": growth}
            log(
                f"{workers} worker(s): {result['reads_per_second']} audited dossier reads/s, "
                f"{result['errors']} errors; log +{growth['rows']} rows over {growth['chains']} chain(s); "
                f"load at start {load[0]:.2f}"
            )
            if growth["rows"] < result["reads"]:
                log("  fewer access-log rows than counted reads: the reads were not all audited")
            if best is None or result["reads_per_second"] > best["reads_per_second"]:
                best = result
        runs[workers] = best
    one = runs[counts[0]]["reads_per_second"] or 1
    ratios = {w: round(r["reads_per_second"] / one, 2) for w, r in runs.items()}
    doc = {
        "at": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": args.database,
        "scale": args.scale,
        "cpus": os.cpu_count(),
        "connections": connections,
        "warmup_seconds": args.warmup,
        "seconds": args.seconds,
        "runs": runs,
        "ratio_to_first": ratios,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "workers-web-latest.json").write_text(json.dumps(doc, indent=2) + "\n")
    lines = [
        "# Worker scaling: audited dossier reads (bench/workers.py web)",
        "",
        f"{doc['at']}, commit {doc['commit']}, {args.database}, {args.scale:,} clients, {doc['cpus']} CPUs, "
        f"{connections} client connections, {args.warmup:g} s warm-up + {args.seconds:g} s per run.",
        "",
        "| gunicorn workers | reads/s | errors | ratio to 1 | log rows | chains | load at start |",
        "|------------------|---------|--------|------------|----------|--------|---------------|",
        *[
            f"| {w} | {r['reads_per_second']} | {r['errors']} | {ratios[w]} | {r['log']['rows']} | "
            f"{r['log']['chains']} | {r['load_at_start'][0]} |"
            for w, r in runs.items()
        ],
        "",
    ]
    (RESULTS / "workers-web-latest.md").write_text("\n".join(lines))
    log(f"ratios to {counts[0]} worker(s): {ratios}; bench/results/workers-web-latest.md")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["prepare-web"]:
        json.dump(prepare_web(int(argv[1])), sys.stdout)
        return 0
    if argv[:1] == ["log-growth"]:
        json.dump(log_growth(int(argv[1])), sys.stdout)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    web = sub.add_parser("web", help="audited dossier reads per second with 1, 2 and 4 gunicorn workers")
    web.add_argument("--scale", type=int, default=1_000, help="clients in the generated database")
    web.add_argument("--workers", default="1,2,4", help="comma-separated numbers of gunicorn workers")
    web.add_argument("--connections", type=int, help="client connections (default: twice the most workers)")
    web.add_argument("--warmup", type=float, default=5)
    web.add_argument("--seconds", type=float, default=20)
    web.add_argument("--repeat", type=int, default=1, help="runs per number of workers (the best counts)")
    web.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    tasks = sub.add_parser("tasks", help="background tasks per second with 1 and 2 task workers")
    tasks.add_argument("--tasks", type=int, default=400)
    tasks.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    tasks.add_argument("--repeat", type=int, default=1, help="runs per number of workers (the best counts)")
    args = parser.parse_args(argv)
    return web_main(args) if args.mode == "web" else tasks_main(args)


if __name__ == "__main__":
    sys.exit(main())
