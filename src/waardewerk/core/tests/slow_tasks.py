"""A task for the worker tests: marks its start, waits, then records that it finished (files in a folder,
so a test can see what a worker in another process did)."""

import time
import uuid
from pathlib import Path

from django.tasks import task


@task
def slow(folder: str, seconds: float) -> str:
    where = Path(folder)
    (where / f"start-{uuid.uuid4().hex}").touch()
    time.sleep(seconds)
    with (where / "done").open("a") as done:
        done.write("done\n")
    return "done"
