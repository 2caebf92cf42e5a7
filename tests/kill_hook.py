"""gunicorn settings for ``tests/test_kill_in_transaction.py`` (``gunicorn --config tests/kill_hook.py``),
never used by the application.

Each worker, once it has loaded the app, makes a write pause *inside its request's transaction*: an action
whose description starts with ``pause-first-`` pauses right after its own INSERT, one that starts with
``pause-last-`` right after the request's last INSERT (the access log's, just before the commit). Pausing
means: write ``paused.json`` (the worker's pid, its database backend's pid, the transaction's id, whether
the connection is in a transaction) into ``KILL_HOOK_DIR``, then wait for the advisory lock
``KILL_HOOK_LOCK`` that the test holds, on the same connection, until the test kills the worker.
"""

import json
import os
from pathlib import Path


def post_worker_init(worker):
    from django.db import connection
    from django.db.models.signals import post_save

    from waardewerk.trajectories.models import Action

    folder = Path(os.environ["KILL_HOOK_DIR"])
    lock = int(os.environ["KILL_HOOK_LOCK"])
    kept = []

    def pause(where: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT txid_current_if_assigned(), pg_backend_pid()")
            xid, backend_pid = cursor.fetchone()
        state = {
            "pid": os.getpid(),
            "where": where,
            "in_transaction": connection.in_atomic_block,
            "xid": xid,
            "backend_pid": backend_pid,
        }
        (folder / "paused.tmp").write_text(json.dumps(state))
        (folder / "paused.tmp").rename(folder / "paused.json")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [lock])  # held by the test: wait to be killed

    def after_access_log_insert(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith('INSERT INTO "audit_accessevent"'):
            pause("after the access log's INSERT")
        return result

    def action_saved(sender, instance, created, **kwargs):
        if created and instance.description.startswith("pause-first-"):
            pause("after the action's INSERT")
        elif created and instance.description.startswith("pause-last-"):
            # For the rest of this request (the worker is killed in it); kept referenced, or the context
            # manager's clean-up would remove the wrapper at once.
            wrapping = connection.execute_wrapper(after_access_log_insert)
            wrapping.__enter__()
            kept.append(wrapping)

    post_save.connect(action_saved, sender=Action, weak=False, dispatch_uid="kill_hook")
