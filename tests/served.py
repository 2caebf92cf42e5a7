"""A real gunicorn on the test database, for the tests that kill it or take its database away
(docs/operations.md, "Proof that nothing is lost"). PostgreSQL only: the server's processes must share the
database with the test's process, which a transactional test's committed rows make possible."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection

BIN = Path(sys.executable).parent
CSRF = "k" * 32  # an unmasked CSRF secret of the right length, sent as cookie and form field alike


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}@{host}/{db['NAME']}"


class Gunicorn:
    """gunicorn with sync workers and the test settings (the same keys as the test's process) on loopback."""

    def __init__(
        self, log_path: Path, workers: int = 2, extra_env: dict | None = None, config: Path | None = None
    ):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log_path.open("a")
        env = {k: v for k, v in os.environ.items() if not k.startswith("WAARDEWERK_")}
        env.update(
            DATABASE_URL=database_url(),
            DJANGO_SETTINGS_MODULE="waardewerk.conf.test_settings",
            WAARDEWERK_DB_CONN_MAX_AGE="60",
            **(extra_env or {}),
        )
        self.process = subprocess.Popen(  # noqa: S603 (our own command)
            [
                str(BIN / "gunicorn"),
                "waardewerk.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--timeout",
                "30",
                *(["--config", str(config)] if config else []),
            ],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, log_path.read_text()
            if len(self.workers()) == workers and self.status("/healthz") == 200:
                return
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"gunicorn did not start: {log_path.read_text()}")

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def status(self, path: str) -> int | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:  # noqa: S310 (loopback)
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return None

    def kill9(self) -> None:
        """SIGKILL to the master and every worker at once: nothing is shut down cleanly."""
        pids = [self.process.pid, *self.workers()]
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        self.process.wait()
        for pid in pids[1:]:
            deadline = time.monotonic() + 10
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()


class Session:
    """An HTTP client with a logged-in session cookie (made by the test client's ``force_login``)."""

    def __init__(self, base: str, session_key: str, language: str = "nl"):
        self.base = base
        self.cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}; "
            f"{settings.LANGUAGE_COOKIE_NAME}={language}"
        )

    def request(self, path: str, data: dict | None = None, timeout: float = 10) -> tuple[int | None, str]:
        """(status, body); status None when the connection failed (no answer: not acknowledged)."""
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode()
        request = urllib.request.Request(  # noqa: S310 (loopback)
            self.base + path, data=body, headers={"Cookie": self.cookie}
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()
        except OSError:
            return None, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    return found.group(1).strip() if found else ""
