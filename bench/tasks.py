"""The task of the worker-scaling bench (``bench/workers.py``): a fixed amount of work shaped like the
project's tasks (CPU for drawing or rendering, then a write to the shared cache in the database)."""

import hashlib

from django.core.cache import cache
from django.tasks import task


@task
def unit_of_work(number: int, rounds: int) -> str:
    digest = str(number).encode()
    for _ in range(rounds):
        digest = hashlib.sha256(digest).digest()
    cache.set(f"bench-worker-{number}", digest.hex(), 600)
    return digest.hex()[:8]
