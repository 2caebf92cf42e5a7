"""The trajectory report as a file prepared by the background worker (``core.prepared``): the same report,
the same access rule and the same access-log event as the direct download, made by the worker as the user
who asked."""

from django.http import Http404

from waardewerk.core.prepared import Built, register
from waardewerk.reports import selectors, services

KIND = "reports.trajectory"


def build_trajectory_report(actor, params: dict) -> Built:
    trajectory = selectors.report_queryset(actor).filter(uuid=params["trajectory"]).first()
    if trajectory is None:  # access was lost between the request and the build
        raise Http404
    pdf = services.report_print(
        actor=actor, trajectory=trajectory, audience=params["audience"], language=params["language"]
    )
    return Built(
        content=pdf,
        filename=services.filename(trajectory, params["audience"]),
        content_type="application/pdf",
    )


def register_builders() -> None:
    register(KIND, build_trajectory_report)
