"""Who may make a trajectory report (docs/reports.md, docs/authorization.md).

A report is a copy of dossier contents that leaves Waardewerk, so it is for those who work on the trajectory
(responsible or assigned), also after it closed; emergency access is for reading in Waardewerk and does not
give it.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from waardewerk.trajectories.models import Trajectory
from waardewerk.trajectories.policies import (
    can_view_trajectory,
    can_work_on_trajectory,
    refusal_to_read,
    working_trajectories,
)


def report_trajectories(actor) -> QuerySet[Trajectory]:
    return working_trajectories(actor)


def can_make_report(actor, trajectory: Trajectory) -> bool:
    return can_work_on_trajectory(actor, trajectory)


def refusal_to_report(actor, trajectory: Trajectory) -> str:
    if can_view_trajectory(actor, trajectory):
        return _(
            "Under emergency access you can read the dossier, not make a report of it: reports are made by "
            "who works on the trajectory."
        )
    return refusal_to_read()
