"""A small closed-loop HTTP load driver (standard library only), run as its own process.

``python -m bench.load < spec.json`` reads::

    {"base": "http://127.0.0.1:8123", "warmup": 20, "requests": 300, "seconds": 45,
     "pages": {"caseload": {"method": "GET", "path": "/caseload/", "headers": {...}, "body": null,
                            "expect": 200}, ...}}

and prints, per page, the latency of every measured request in milliseconds, the number of errors (a
connection failure or an unexpected status) and the wall time. One request at a time on one keep-alive
connection (reopened when the server closes it, as gunicorn's sync worker does): the latency is the
server's, not a queue's. Each page stops after ``requests`` requests or ``seconds`` seconds,
whichever comes first; the ``warmup`` requests before them are not counted. Only loopback addresses
are accepted. With ``server_pid`` (the worker), the worker's CPU time per measured request is reported
too (Linux).
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

LOOPBACK = ("127.", "localhost", "::1", "[::1]")
TIMEOUT_SECONDS = 30


class Driver:
    def __init__(self, base: str):
        parts = urlsplit(base)
        if parts.scheme != "http" or not (parts.hostname or "").startswith(LOOPBACK):
            raise ValueError(f"The load driver only talks to this machine over http, not {base!r}.")
        self.host, self.port = parts.hostname, parts.port or 80
        self.connection: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT_SECONDS)
        return self.connection

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, page: dict) -> tuple[float, int, int]:
        """One request; returns (milliseconds, status or 0 on failure, body bytes)."""
        headers = {"Host": f"{self.host}:{self.port}", **page.get("headers", {})}
        body = None
        if page.get("body") is not None:
            body = urlencode(page["body"]).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            connection = self._connection()
            connection.request(page["method"], page["path"], body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            status = response.status
            if response.will_close:
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            return (time.perf_counter() - started) * 1000, 0, 0
        return (time.perf_counter() - started) * 1000, status, len(payload)


def cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system) a process has used so far, from /proc (Linux); None elsewhere."""
    if not pid:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_page(
    driver: Driver, page: dict, *, warmup: int, requests: int, seconds: float, server_pid: int | None = None
) -> dict:
    for _ in range(warmup):
        driver.request(page)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors = 0
    size = 0
    cpu_before = cpu_seconds(server_pid)
    started = time.perf_counter()
    for _ in range(requests):
        if time.perf_counter() - started >= seconds:
            break
        ms, status, size = driver.request(page)
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if status != page.get("expect", 200):
            errors += 1
            continue
        latencies.append(ms)
    elapsed = time.perf_counter() - started
    cpu_after = cpu_seconds(server_pid)
    done = len(latencies) + errors
    return {
        "latencies_ms": latencies,
        "errors": errors,
        "statuses": statuses,
        "elapsed_s": elapsed,
        "bytes": size,
        # The worker's own CPU time per request: what the page costs the app, whatever else the machine
        # runs (the database's work is in its own processes and not counted here).
        "server_cpu_ms": (
            round((cpu_after - cpu_before) * 1000 / done, 2)
            if cpu_before is not None and cpu_after is not None and done
            else None
        ),
    }


def run(spec: dict) -> dict:
    driver = Driver(spec["base"])
    try:
        return {
            key: run_page(
                driver,
                page,
                warmup=spec["warmup"],
                requests=spec["requests"],
                seconds=spec["seconds"],
                server_pid=spec.get("server_pid"),
            )
            for key, page in spec["pages"].items()
        }
    finally:
        driver.close()


def main() -> None:
    json.dump(run(json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
