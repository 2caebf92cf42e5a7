"""``waardewerk worker``: runs the background tasks from the queue in the database until it is stopped.

It is django-tasks-db's worker (``db_worker``) under the product's own name, so that the operator's
documentation, ``make run`` and the systemd unit in docs/operations.md do not depend on the library that
serves the queue. With ``WAARDEWERK_TASKS=immediate`` there is no queue: the command refuses to start
("Backend 'default' is not a database backend").
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = (
        "Runs the background tasks (charts, reports, messages) from the queue in the database until "
        "stopped; --batch runs what is waiting and stops."
    )
