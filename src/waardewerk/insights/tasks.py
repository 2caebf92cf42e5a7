"""Background work of the insights app (Django's tasks API; settings.TASKS chooses where it runs)."""

from __future__ import annotations

from django.tasks import task

from waardewerk.insights import figures


@task
def refresh_figures(organisation_id: int) -> float:
    """Compute an organisation's figures of "what worked here" again; returns the seconds it took."""
    return figures.refresh(organisation_id).seconds
