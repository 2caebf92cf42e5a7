"""Demo data of intervision (called by ``demo.DemoBuilder``): one OT-groep of the five demo professionals
and team lead, three sessions (the incident method and twice the learning cycle), the experiments agreed in
them and the reflections on them at the next session. One experiment is still open: it comes back at the
latest session. Texts in sampledata/data/intervision.yaml."""

from __future__ import annotations

import datetime as dt
import json

from waardewerk.intervision.models import Experiment, IntervisionGroup, IntervisionSession
from waardewerk.intervision.services import METHODS
from waardewerk.sampledata.texts import load


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
    sessions, experiments = [], []
    for spec in data["sessions"]:
        version = METHODS.current(spec["method"])
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
        )
        sessions.append(session)
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
    return {
        "intervision groups": 1,
        "intervision sessions": len(sessions),
        "experiments": len(experiments),
        "reflections": sum(1 for _, e in experiments if e.learned),
    }
