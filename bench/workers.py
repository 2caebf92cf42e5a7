"""Worker scaling: throughput of the task queue with 1 and 2 ``waardewerk worker`` processes.

``python -m bench.workers [--tasks N] [--database postgres|sqlite]`` makes an empty database of its own
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
import time
from pathlib import Path

from bench.run import (
    BIN,
    CACHE,
    RESULTS,
    ROOT,
    _pg_admin,
    base_env,
    database_url,
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=400)
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--repeat", type=int, default=1, help="runs per number of workers (the best counts)")
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
