"""``waardewerk worker``: runs the background tasks from the queue in the database until it is stopped.

It is django-tasks-db's worker (``db_worker``) under the product's own name, so that the operator's
documentation, ``make run`` and the systemd unit in docs/operations.md do not depend on the library that
serves the queue; with a heartbeat of its own, so that the tasks of a worker that died are put back in the
queue (``core.worker_health``). With ``WAARDEWERK_TASKS=immediate`` there is no queue: the command refuses
to start ("Backend 'default' is not a database backend").
"""

from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from waardewerk.core import worker_health


class Worker(db_worker.Worker):
    def run(self) -> None:
        worker_health.beat(self.worker_id)
        worker_health.reclaim()
        heartbeat = worker_health.Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()


class Command(DatabaseWorkerCommand):
    help = (
        "Runs the background tasks (charts, reports, messages, retention) from the queue in the database "
        "until stopped; --batch runs what is waiting and stops."
    )

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = Worker  # the library's command builds its worker from this name
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
