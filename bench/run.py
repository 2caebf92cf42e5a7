"""The benchmark suite: ``make bench`` (full) and ``make bench QUICK=1``.

For every scale (number of clients) it prepares a database (PostgreSQL by default, one database per scale,
generated once with ``waardewerk generate`` and reused while its marker matches), serves the app with
gunicorn and production settings (one sync worker, loopback only), picks a professional with a caseload of
about 60 clients and logs them in server-side (``bench.prepare``), then drives every page of
``bench.pages.PAGES`` from a separate process (``bench.load``), bounded in requests and seconds. Results go
to ``bench/results/`` as JSON and a markdown table. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import report

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
SEED = 1
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
# Databases are named <prefix>_<clients>; another prefix keeps two checkouts on one server apart.
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "waardewerk_bench")
MODES = {
    # scales, warm-up requests, measured requests and seconds per page, server starts for the pages
    # measured as the first request of a fresh worker
    "full": {"scales": [1_000, 100_000], "warmup": 20, "requests": 300, "seconds": 40, "restarts": 20},
    "quick": {"scales": [1_000, 10_000], "warmup": 5, "requests": 60, "seconds": 8, "restarts": 8},
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# -- environment --------------------------------------------------------------------------------------------


def _secret_file(name: str, make) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / name
    if not path.exists():
        path.write_text(make() + "\n")
        path.chmod(0o600)
    return path


PASSED_THROUGH = ("WAARDEWERK_DB_PREPARED_STATEMENTS", "WAARDEWERK_DB_PREPARE_THRESHOLD")


def base_env(database_url: str) -> dict:
    """Production settings: no DEBUG, a secret key, field and audit keys from files, loopback host only."""
    from cryptography.fernet import Fernet

    keys = _secret_file("field-keys", lambda: Fernet.generate_key().decode())
    audit_key = _secret_file("audit-key", lambda: secrets.token_urlsafe(32))
    secret = _secret_file("secret-key", lambda: secrets.token_urlsafe(50))
    # The caller's WAARDEWERK_ settings are left out, except the database's prepared statements (to compare
    # a run with them and one without: docs/operations.md, "Database").
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAARDEWERK_") or k in PASSED_THROUGH}
    env.update(
        DATABASE_URL=database_url,
        WAARDEWERK_SECRET_KEY=secret.read_text().strip(),
        WAARDEWERK_FIELD_KEYS_FILE=str(keys),
        WAARDEWERK_AUDIT_KEY_FILE=str(audit_key),
        WAARDEWERK_ALLOWED_HOSTS="127.0.0.1,localhost",
        WAARDEWERK_DATA_DIR=str(CACHE / "data"),
        WAARDEWERK_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="waardewerk.conf.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def keys_fingerprint() -> str:
    return hashlib.sha256((CACHE / "field-keys").read_bytes()).hexdigest()[:16]


def waardewerk(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [str(BIN / "waardewerk"), *args], env=env, check=True, text=True, capture_output=capture, cwd=ROOT
    )
    return result.stdout if capture else ""


# -- databases ----------------------------------------------------------------------------------------------


def database_url(engine: str, scale: int) -> str:
    if engine == "postgres":
        return f"{PG_ADMIN_URL}/{DB_PREFIX}_{scale}"
    return f"sqlite:///{CACHE / f'{DB_PREFIX}_{scale}.sqlite3'}"


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as connection:
        connection.execute(sql)


def _marker_path() -> Path:
    return CACHE / "databases.json"


def _markers() -> dict:
    path = _marker_path()
    return json.loads(path.read_text()) if path.exists() else {}


def _client_count(env: dict) -> int | None:
    code = "from waardewerk.clients.models import Client; print(Client.objects.count())"
    try:
        out = subprocess.run(
            [str(BIN / "waardewerk"), "shell", "-v", "0", "-c", code],
            env=env,
            text=True,
            capture_output=True,
            cwd=ROOT,
        )
    except OSError:
        return None
    # The last line is the count (Django's shell may print a line about its automatic imports first).
    last = out.stdout.strip().rsplit("\n", 1)[-1] if out.stdout.strip() else ""
    return int(last) if out.returncode == 0 and last.isdigit() else None


def ensure_database(engine: str, scale: int, generator_version: int) -> tuple[dict, dict]:
    """A migrated database holding ``scale`` generated clients; generated only when its marker is stale."""
    url = database_url(engine, scale)
    env = base_env(url)
    wanted = {"clients": scale, "seed": SEED, "generator": generator_version, "keys": keys_fingerprint()}
    markers = _markers()
    marker = markers.get(url, {})
    if all(marker.get(k) == v for k, v in wanted.items()) and _client_count(env) == scale:
        log(f"{scale:,} clients: database {url.rsplit('/', 1)[-1]} is ready (generated {marker.get('at')})")
        waardewerk(env, "migrate", "--no-input", "-v", "0")
        return env, {"cached": True, **marker}
    log(f"{scale:,} clients: creating database {url.rsplit('/', 1)[-1]}")
    if engine == "postgres":
        name = url.rsplit("/", 1)[-1]
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{name}"')
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    waardewerk(env, "migrate", "--no-input", "-v", "0")
    started = time.perf_counter()
    waardewerk(env, "generate", "--clients", str(scale), "--seed", str(SEED))
    seconds = round(time.perf_counter() - started, 1)
    if engine == "postgres":
        # As after a night's autovacuum: the measurements must not compete with the vacuum of millions of
        # freshly loaded rows, and index-only scans need the visibility map.
        vacuum_started = time.perf_counter()
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE)")
        log(f"{scale:,} clients: VACUUM (ANALYZE) in {time.perf_counter() - vacuum_started:.1f} s")
    info = {**wanted, "seconds": seconds, "at": dt.datetime.now().isoformat()}
    markers[url] = info
    _marker_path().write_text(json.dumps(markers, indent=2) + "\n")
    return env, {"cached": False, **info}


# -- the server ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with ``workers`` sync workers (one by default) on loopback, production settings. Ready when
    every worker has loaded the app (``bench/gunicorn_conf.py`` adds a line to a file then): no request is
    sent before the measured ones."""

    def __init__(self, env: dict, scale: int, workers: int = 1):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        log_path = CACHE / f"gunicorn-{scale}.log"
        ready = CACHE / f"gunicorn-{scale}.ready"
        ready.unlink(missing_ok=True)
        self.log = log_path.open("a")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "waardewerk.wsgi",
                "--config",
                str(ROOT / "bench" / "gunicorn_conf.py"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
            ],
            env={**env, "BENCH_READY_FILE": str(ready)},
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {log_path}")
            pids = ready.read_text().split() if ready.exists() else []
            if len(pids) >= workers:
                self.boot_seconds = time.perf_counter() - started
                self.worker_pids = [int(pid) for pid in pids]
                self.worker_pid = self.worker_pids[0]
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"gunicorn did not start within 90 s; see {log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def measure_fresh(env: dict, scale: int, pages: dict, restarts: int) -> dict:
    """Per page: start the server ``restarts`` times and time its first request each time."""
    from bench import load

    raw = {}
    for key, page in pages.items():
        latencies, statuses, errors, boots, size = [], {}, 0, [], 0
        started = time.perf_counter()
        for _ in range(restarts):
            server = Server(env, scale)
            try:
                boots.append(server.boot_seconds)
                driver = load.Driver(server.base)
                ms, status, size = driver.request(page)
                driver.close()
            finally:
                server.stop()
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status != page.get("expect", 200):
                errors += 1
            else:
                latencies.append(ms)
        raw[key] = {
            "latencies_ms": latencies,
            "errors": errors,
            "statuses": statuses,
            "elapsed_s": time.perf_counter() - started,
            "bytes": size,
            "worker_boot_s": round(statistics.median(boots), 2) if boots else None,
        }
    return raw


# -- one scale ----------------------------------------------------------------------------------------------


def measure_scale(engine: str, scale: int, settings: dict, generator_version: int) -> tuple[dict, dict, dict]:
    env, db_info = ensure_database(engine, scale, generator_version)
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
    log(
        f"{scale:,} clients: professional {prepared['professional']['username']} with "
        f"{prepared['professional']['open_caseload']} open trajectories; trajectory with "
        f"{prepared['trajectory_conversations']} conversations ({prepared['charts_drawn']} charts drawn)"
    )
    chosen = {
        k: v for k, v in prepared["requests"].items() if not settings.get("pages") or k in settings["pages"]
    }
    available = {k: v for k, v in chosen.items() if v["available"] and not v["fresh"]}
    fresh = {k: v for k, v in chosen.items() if v["available"] and v["fresh"]}
    unavailable = {k: v["reason"] for k, v in chosen.items() if not v["available"]}
    server = Server(env, scale)
    try:
        spec = {
            "base": server.base,
            "warmup": settings["warmup"],
            "requests": settings["requests"],
            "seconds": settings["seconds"],
            "pages": available,
            "server_pid": server.worker_pid,
        }
        log(f"{scale:,} clients: measuring {len(available)} pages on {server.base}")
        out = subprocess.run(
            [sys.executable, "-m", "bench.load"],
            input=json.dumps(spec),
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            text=True,
            capture_output=True,
            cwd=ROOT,
            timeout=len(available) * (settings["seconds"] + 120) + 60,
        )
    finally:
        server.stop()
    raw = json.loads(out.stdout)
    if fresh:
        log(
            f"{scale:,} clients: {', '.join(fresh)}: first request of a fresh worker, "
            f"{settings['restarts']} starts"
        )
        raw.update(measure_fresh(env, scale, fresh, settings["restarts"]))
    figures = {key: report.summarise(value) for key, value in raw.items()}
    for key, value in figures.items():
        log(
            f"  {key:<22} p50 {value['p50_ms']} ms, p95 {value['p95_ms']} ms, {value['rps']} req/s, "
            f"worker CPU {value.get('server_cpu_ms')} ms/request, {value['errors']} errors"
        )
    db_info["professional"] = prepared["professional"]
    return figures, unavailable, db_info


def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True, capture_output=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, text=True, capture_output=True
        ).stdout
        return commit + ("+changes" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def database_version(engine: str) -> str:
    if engine != "postgres":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(f"{PG_ADMIN_URL}/postgres") as connection:
        return "PostgreSQL " + connection.execute("SHOW server_version").fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scales, fewer requests (a few minutes)")
    parser.add_argument("--scales", help="comma-separated client counts, e.g. 1000,100000")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--requests", type=int, help="measured requests per page")
    parser.add_argument("--seconds", type=float, help="at most this many seconds per page")
    parser.add_argument("--restarts", type=int, help="server starts for the first-request measurement")
    parser.add_argument(
        "--pages",
        help="comma-separated page keys of bench.pages, e.g. minimal,start_page (the others are not "
        "measured; the results are not written as latest)",
    )
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    settings = dict(MODES[mode])
    if args.scales:
        settings["scales"] = sorted(int(s.replace("_", "")) for s in args.scales.split(","))
    for name in ("requests", "seconds", "restarts"):
        if getattr(args, name):
            settings[name] = getattr(args, name)
    if args.pages:
        from bench.pages import PAGES

        settings["pages"] = [key.strip() for key in args.pages.split(",") if key.strip()]
        unknown = set(settings["pages"]) - {page.key for page in PAGES}
        if unknown:
            raise SystemExit(f"--pages: no such page: {', '.join(sorted(unknown))}")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,40}", DB_PREFIX):
        raise SystemExit("BENCH_DB_PREFIX: lower-case letters, digits and _ only.")
    if shutil.which("gunicorn", path=str(BIN)) is None:
        raise SystemExit("gunicorn is not installed in this environment (make install).")
    if args.database == "postgres":
        import psycopg

        try:
            psycopg.connect(f"{PG_ADMIN_URL}/postgres", connect_timeout=5).close()
        except psycopg.OperationalError as exc:
            shown = re.sub(r"//([^:@/]*):[^@/]*@", r"//\1:***@", PG_ADMIN_URL)  # no password in the message
            raise SystemExit(
                f"PostgreSQL is not reachable at {shown} "
                f"({exc}). Start it, point BENCH_PG_URL at a "
                "server where this user may create databases, or run on SQLite: make bench "
                'BENCH_ARGS="--database sqlite".'
            ) from None
    sys.path.insert(0, str(ROOT / "src"))
    from waardewerk.sampledata.generator_version import GENERATOR_VERSION

    started = dt.datetime.now()
    log(f"{mode} mode: scales {settings['scales']}, database {args.database}")
    measured, unavailable, generation = {}, {}, {}
    for scale in settings["scales"]:
        figures, missing, info = measure_scale(args.database, scale, settings, GENERATOR_VERSION)
        measured[scale] = figures
        unavailable.update(missing)
        generation[str(scale)] = info
    import gunicorn

    meta = {
        "mode": mode,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": database_version(args.database),
        "server": f"gunicorn {gunicorn.__version__}, 1 sync worker, production settings"
        + "".join(f", {name}={os.environ[name]}" for name in PASSED_THROUGH if name in os.environ),
        "load": (
            f"1 connection, closed loop, {settings['warmup']} warm-up + at most {settings['requests']} "
            f"requests or {settings['seconds']:g} s per page; first-request pages: {settings['restarts']} "
            "server starts"
        ),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "generation": generation,
    }
    doc = report.build(meta=meta, scales=settings["scales"], measured=measured, unavailable=unavailable)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    json_path, md_path = report.write(doc, RESULTS, f"{stamp}-{mode}" + ("-pages" if args.pages else ""))
    if not args.pages:  # a run of some pages does not replace the latest full or quick run
        json_path, md_path = report.write(doc, RESULTS, "latest" if mode == "full" else "quick-latest")
    log(f"results: {json_path} and {md_path}")
    print(md_path.read_text())
    for verdict in doc["targets"]:
        value = "" if verdict["value"] is None else f": {verdict['value']:g}"
        log(f"{verdict['verdict']:>13}  {verdict['page']} {verdict['target']}{value}")
    missed = [v for v in doc["targets"] if v["met"] is False]
    if missed:
        log(f"{len(missed)} target(s) MISSED: see the notes in {md_path} and docs/performance.md")
    else:
        log("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
