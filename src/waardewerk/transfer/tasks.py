"""Background work of the import and export (Django's tasks API; settings.TASKS chooses where it runs)."""

from __future__ import annotations

from django.tasks import task

from waardewerk.transfer import making


@task
def make_export(export_id: int) -> int:
    """Make a queued export of an organisation's whole data; returns the number of rows written."""
    return sum(making.export_make(export_id).counts.values())
