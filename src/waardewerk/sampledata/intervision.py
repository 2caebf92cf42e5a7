"""Demo data of intervision (called by ``demo.DemoBuilder``): one OT-groep of the five demo professionals
and team lead, three sessions (the incident method and twice the learning cycle, each with the focus the
group chose), who attended each, the experiments agreed in them and the reflections on them at the next
session. The content editor changed the learning cycle for the organisation after the second session; the
third is held with that version. One experiment is still open: it comes back at the
latest session. Two case owners present a trajectory of their own, with the client's consent for
intervision (recorded by them), pseudonymised and confirmed as the product does it (the intervision
services); the first session takes the first as its case, and a fellow member reviewed it against the
checkpoints and shared the review with the group. Texts in sampledata/data/intervision.yaml."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import translation

from waardewerk.clients.models import Consent, ConsentKind
from waardewerk.intervision import content_edit, focus, in_effect, services
from waardewerk.intervision.models import (
    Attendance,
    AttendanceStatus,
    CheckpointSet,
    CheckpointSetVersion,
    Experiment,
    IntervisionGroup,
    IntervisionMethod,
    IntervisionSession,
    MethodVersion,
)
from waardewerk.intervision.presentation import fingerprint
from waardewerk.sampledata.texts import load
from waardewerk.trajectories.models import PlanVersion


def create_intervision_data(builder, organisation, users: dict, trajectories) -> dict:
    data = load("intervision")
    today = builder.today
    members = [u for u in users.values() if u.role in ("professional", "team_lead")]
    group = IntervisionGroup.objects.create(uuid=builder.uuid(), organisation=organisation, **data["group"])
    group.members.set(members)
    own = {}
    for trajectory in trajectories:
        if trajectory.end_date is None:
            own.setdefault(trajectory.responsible_id, trajectory)
    sessions, experiments, attendance = [], [], []
    edit = data["method_edit"]
    focus_options = focus.options()
    for index, spec in enumerate(data["sessions"]):
        if index == edit["after_session"] + 1:
            _edit_method(builder, users, edit, after=sessions[-1].date)
        version = in_effect.version_in_effect("method", organisation.pk, spec["method"])
        chosen = focus_options.get(f"topic:{spec['focus']['topic']}") if spec.get("focus") else None
        session = IntervisionSession.objects.create(
            uuid=builder.uuid(),
            group=group,
            date=today - dt.timedelta(days=spec["days_ago"]),
            method_version=version,
            facilitator=users[spec["facilitator"]],
            case_owner=users[spec["case_owner"]] if spec["case_owner"] else None,
            core_question=spec["core_question"],
            phase_notes=json.dumps(spec["notes"], ensure_ascii=False),
            choice=spec["choice"],
            created_by=users[spec["facilitator"]],
            focus_kind=chosen[0] if chosen else "",
            focus_key=chosen[1] if chosen else "",
            focus_label=chosen[2] if chosen else "",
            focus_note=spec["focus"]["note"] if chosen else "",
        )
        sessions.append(session)
        for member in members:
            status = AttendanceStatus.PRESENT
            if member.username in spec["apologies"]:
                status = AttendanceStatus.APOLOGIES
            elif member.username in spec["absent"]:
                status = AttendanceStatus.ABSENT
            attendance.append(
                Attendance(session=session, member=member, status=status, recorded_by=session.facilitator)
            )
        for item in spec["experiments"]:
            owner = users[item["owner"]]
            experiments.append(
                (
                    len(sessions) - 1,
                    Experiment(
                        uuid=builder.uuid(),
                        session=session,
                        owner=owner,
                        description=item["what"],
                        trajectory=own.get(owner.pk) if item["trajectory"] else None,
                        until=session.date + dt.timedelta(days=item["until_days"]),
                        what_happened=item["what_happened"],
                        learned=item["learned"],
                    ),
                )
            )
    for index, experiment in experiments:
        if experiment.learned:
            following = sessions[index + 1]
            experiment.reflection_session = following
            experiment.reflected_at = builder.moment(following.date)
    Experiment.objects.bulk_create(e for _, e in experiments)
    Attendance.objects.bulk_create(attendance)
    presentations = _case_presentations(builder, group, users, trajectories, data["presentations"])
    reviews = 0
    if presentations:
        sessions[0].presentation = presentations[0]
        sessions[0].save(update_fields=["presentation"])
        reviews = _peer_review(users, presentations[0], group, data["review"])
    return {
        "intervision groups": 1,
        "intervision sessions": len(sessions),
        "experiments": len(experiments),
        "reflections": sum(1 for _, e in experiments if e.learned),
        "case presentations": len(presentations),
        "case reviews": reviews,
        "attendance records": len(attendance),
        "method versions of the organisation": 2,
    }


def _edit_method(builder, users, spec, *, after: dt.date) -> None:
    """The content editor's change of a method for the organisation, as on the method's page; dated the day
    after the session before it."""
    editor = users[spec["editor"]]
    current = in_effect.version_in_effect("method", editor.organisation_id, spec["method"])

    def change(definition: dict, errors: dict) -> None:
        for phase in definition["phases"]:
            if phase["key"] == spec["phase"]:
                phase["minutes"] = spec["minutes"]

    stored = content_edit.edit(
        "method",
        actor=editor,
        key=spec["method"],
        base_version=current.version,
        note=spec["note"],
        change=change,
    )
    moment = builder.moment(after + dt.timedelta(days=1))
    type(stored).objects.filter(method=stored.method).update(loaded_at=moment)


def _case_presentations(builder, group, users, trajectories, specs) -> list:
    """Per spec: the owner's trajectory with the most plan versions (a rich case), consent for intervision
    recorded by the owner at its start, and a presentation shared as the owner saw it."""
    with_plan = set(
        PlanVersion.objects.filter(trajectory__in=trajectories).values_list("trajectory_id", flat=True)
    )
    made = []
    with translation.override("nl"):
        for spec in specs:
            owner = users[spec["owner"]]
            candidates = [t for t in trajectories if t.responsible_id == owner.pk and t.pk in with_plan]
            if not candidates:
                continue
            trajectory = max(candidates, key=lambda t: (t.phase == "evaluation", t.start_date))
            Consent.objects.create(
                uuid=builder.uuid(),
                client=trajectory.client,
                kind=ConsentKind.INTERVISION,
                given_at=builder.moment(trajectory.start_date),
                given_via="professional",
                given_recorded_by=owner,
            )
            presentation = services.presentation_create(
                actor=owner,
                group=group,
                trajectory=trajectory,
                title=spec["title"],
                parts=spec["parts"],
                sector=spec["sector"],
            )
            seen = fingerprint(services.presentation_preview(presentation))
            services.presentation_confirm(actor=owner, presentation=presentation, seen=seen)
            made.append(presentation)
    return made


def _peer_review(users, presentation, group, spec) -> int:
    reviewer = users[spec["reviewer"]]
    with translation.override("nl"):
        review = services.review_start(actor=reviewer, presentation=presentation)
        services.review_save(
            actor=reviewer,
            review=review,
            base_version=review.version,
            verdicts={},
            words=spec["words"],
            share_with=group,
        )
    return 1


def delete_organisation_content(organisation) -> None:
    """The organisation's own versions of methods and review checkpoints (after its sessions and reviews,
    which point at them)."""
    methods = IntervisionMethod.objects.filter(organisation=organisation)
    methods.update(current=None)
    MethodVersion.objects.filter(method__in=methods).delete()
    methods.delete()
    sets = CheckpointSet.objects.filter(organisation=organisation)
    sets.update(current=None)
    CheckpointSetVersion.objects.filter(checkpoint_set__in=sets).delete()
    sets.delete()
