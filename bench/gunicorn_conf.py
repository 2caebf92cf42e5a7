"""gunicorn settings of the benchmark's server (``gunicorn -c bench/gunicorn_conf.py``).

Each worker adds a line with its pid to ``BENCH_READY_FILE`` once it has loaded the app and is about to
accept requests, so the runner knows the server is ready without sending it a request (the first request
of a fresh worker is itself measured), also with several workers.
"""

import os
from pathlib import Path


def post_worker_init(worker):
    ready = os.environ.get("BENCH_READY_FILE")
    if ready:
        with Path(ready).open("a") as handle:  # one short line per write: appends do not interleave
            handle.write(f"{worker.pid}\n")
