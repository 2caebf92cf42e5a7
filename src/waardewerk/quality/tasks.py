"""Background work of the quality app (Django's tasks API; settings.TASKS chooses where it runs)."""

from __future__ import annotations

from django.tasks import task

from waardewerk.quality import figures


@task
def refresh_figures(organisation_id: int) -> float:
    """Compute an organisation's team quality figures again; returns the seconds it took."""
    return figures.refresh(organisation_id).seconds
