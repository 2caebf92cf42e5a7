"""Trajectories that chose a knowledge-base entry, with measurements before and after the choice."""

import datetime as dt

from django.utils import timezone

from tests.factories import TrajectoryFactory, lwc_answers, make_measurement
from waardewerk.knowledge.models import KnowledgeEntry, PlanChoiceEntry
from waardewerk.trajectories.models import Evaluation, PlanVersion

CHOSEN_ON = dt.date(2026, 3, 2)


def moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def planned_trajectory(
    professional,
    *,
    context="ww",
    entry_key=None,
    before=None,
    after=None,
    ladder=None,
    work=None,
    day=CHOSEN_ON,
):
    """A trajectory with a plan made on ``day`` (choosing ``entry_key`` if given), a capability-set
    measurement ``before`` (answers) 10 days earlier and ``after`` 30 days later, the ladder (rung before,
    rung after) likewise, and an evaluation with ``work`` (True/False) when given."""
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        context=context,
        start_date=day - dt.timedelta(days=40),
    )
    version = PlanVersion.objects.create(
        trajectory=trajectory,
        number=1,
        content='{"goals": [], "choices": []}',
        reason="Eerste versie",
        created_by=professional,
    )
    PlanVersion.objects.filter(pk=version.pk).update(created_at=moment(day))
    if entry_key:
        entry = KnowledgeEntry.objects.get(key=entry_key)
        PlanChoiceEntry.objects.create(
            plan_version=version,
            trajectory=trajectory,
            choice_key="c-00000001",
            entry=entry,
            entry_version=entry.published or entry.current,
            recognition=entry.recognition,
            chosen_at=moment(day),
        )
    if before is not None:
        make_measurement(trajectory, "lwc", before, taken_on=day - dt.timedelta(days=10))
    if after is not None:
        make_measurement(trajectory, "lwc", after, taken_on=day + dt.timedelta(days=30))
    if ladder is not None:
        make_measurement(
            trajectory,
            "participatieladder",
            {"rung": ladder[0]},
            taken_on=day - dt.timedelta(days=5),
            respondent="professional",
        )
        make_measurement(
            trajectory,
            "participatieladder",
            {"rung": ladder[1]},
            taken_on=day + dt.timedelta(days=40),
            respondent="professional",
        )
    if work is not None:
        Evaluation.objects.create(trajectory=trajectory, work=work, recorded_by=professional)
    return trajectory


def build_practice(professional, *, choosers_ww=12, choosers_wia=3, others=15, entry_key="ips"):
    """``choosers_ww`` + ``choosers_wia`` trajectories chose the entry (two of the first without a
    measurement after it), ``others`` in the same contexts did not. Those who chose it went from income not
    enabled (set size 6) to income in the set (7) and one rung up the ladder; the others did not change."""
    low, high = lwc_answers(income=(4, 2, 2)), lwc_answers()
    made = []
    for index in range(choosers_ww + choosers_wia):
        context = "ww" if index < choosers_ww else "wia_wga"
        made.append(
            planned_trajectory(
                professional,
                context=context,
                entry_key=entry_key,
                before=low,
                after=None if index < 2 else high,
                ladder=(3, 4),
                work=index % 2 == 0,
            )
        )
    for index in range(others):
        made.append(
            planned_trajectory(
                professional,
                context="ww" if index % 2 else "wia_wga",
                before=low,
                after=low,
                ladder=(3, 3),
                work=index % 3 == 0,
            )
        )
    return made


def confirmed(http, user):
    """Log ``user`` in with a password confirmed just now (the research export asks for one)."""
    from waardewerk.accounts.middleware import REAUTH_AT, now_seconds

    http.force_login(user)
    session = http.session
    session[REAUTH_AT] = now_seconds()
    session.save()
    return http
