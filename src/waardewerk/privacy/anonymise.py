"""Anonymising a client's file instead of destroying it (docs/privacy.md, "Anonymise").

What the quality figures (``quality.figures``) and the practice-based evidence (``insights.figures``,
``insights.research``) count stays: the trajectories with their dates, team, context, phases and end
reason, the phase changes, the measurements with their answers and scores, the plan versions and
agreements, the evaluation, the conversations with their phase and the principles they served, the plan's
knowledge-base entries, the placements and their follow-ups. Everything else in the file (portal account,
consents, notes, actions, appointments, hand-overs, ...) is destroyed, as an erasure would.

Of the rows that stay, every text that a person wrote is overwritten (``MARK`` where it held something,
so a check "is there a reflection" still counts the same; empty where it was empty), the plan's texts
inside its structure likewise, and every public id is replaced by a new one (a submitted measurement's
aside: the database keeps it unchanged), so that the access log's earlier events (which name the old ids)
no longer lead to the client or the trajectory. The client row keeps only its
organisation and the year of birth (as 1 January of that year, for age bands); name, BSN, contact
details and address are overwritten. ``FIELDS`` lists per kept model the fields overwritten; a test
fails when a kept model gains a text field that is in neither ``FIELDS`` nor ``NOT_PERSONAL``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

from django.db.models import CASCADE
from django.db.models.deletion import Collector

from waardewerk.clients.models import ANONYMISED_NAME, Client
from waardewerk.instruments.models import Measurement
from waardewerk.knowledge.models import PlanChoiceEntry
from waardewerk.matching.models import FollowUp, Placement
from waardewerk.trajectories.models import (
    Conversation,
    Evaluation,
    PhaseChange,
    PlanAgreement,
    PlanVersion,
    Trajectory,
)
from waardewerk.trajectories.plan import PlanContent

MARK = ANONYMISED_NAME  # also the client's last name, with no first name: how lists recognise the file

# Per kept model, the text fields that a person wrote: overwritten.
FIELDS = {
    Trajectory: ["question", "end_note"],
    PhaseChange: ["reason"],
    Measurement: ["notes", "correction_reason"],
    PlanVersion: ["reason"],  # and its content, by structure (_plan)
    PlanAgreement: ["note"],
    Evaluation: [
        "employer",
        "job_title",
        "support",
        "client_evaluation",
        "what_worked",
        "do_differently",
        "missed_chances",
    ],
    Conversation: ["other_participants", "summary"],
    PlanChoiceEntry: [],
    Placement: ["support"],
    FollowUp: ["note"],
}
# Text fields of kept models that hold no personal data: keys and codes.
NOT_PERSONAL = {
    (Measurement, "framing"),
    (PlanVersion, "content"),  # overwritten by structure
    (PlanChoiceEntry, "choice_key"),
}
KEPT = tuple(FIELDS)

CLIENT_FIELDS = {
    "first_name": "",
    "infix": "",
    "last_name": MARK,
    "email": "",
    "phone": "",
    "street": "",
    "postal_code": "",
    "city": "",
    "bsn": "",
}


def _mark(value, max_length=None):
    if not value:
        return value
    return MARK[:max_length] if max_length else MARK


def _plan(content: str) -> str:
    """The plan's structure stays (goals, choices, their keys, values, knowledge-base entries, levels); the
    texts a person wrote are overwritten."""
    plan = PlanContent.from_json(content)
    for goal in plan.goals:
        goal.text = _mark(goal.text)
    for choice in plan.choices:
        for name in ("description", "research", "expertise", "preference", "weighing"):
            setattr(choice, name, _mark(getattr(choice, name)))
    return plan.to_json()


def anonymise(client: Client) -> Counter:
    """Anonymise ``client``'s file in the caller's transaction (``privacy.services.anonymise_client`` locks
    and records). Returns the number of rows destroyed and overwritten per record type."""
    counts: Counter = Counter()
    collector = Collector(using="default")
    # The client row stays (its trajectories protect it): collect its trajectories and what else
    # cascades from it (portal account, consents, holds that were lifted, ...).
    collector.collect(list(Trajectory.objects.filter(client=client)))
    for relation in Client._meta.related_objects:
        if relation.on_delete is CASCADE and relation.related_model not in KEPT:
            collector.collect(relation.related_model._base_manager.filter(**{relation.field.name: client}))
    # What the figures do not count goes: each row once, children before parents (the collector's order).
    doomed: dict = {}
    for model, instances in collector.data.items():
        if model in KEPT or model is Client:
            continue
        doomed.setdefault(model, set()).update(obj.pk for obj in instances)
    for queryset in collector.fast_deletes:
        if queryset.model in KEPT or queryset.model is Client:
            continue
        doomed.setdefault(queryset.model, set()).update(queryset.values_list("pk", flat=True))
    for model, pks in doomed.items():
        if pks:
            _n, per_model = model._base_manager.filter(pk__in=pks).delete()
            counts.update({f"destroyed {label}": n for label, n in per_model.items()})
    trajectory_ids = list(Trajectory.objects.filter(client=client).values_list("pk", flat=True))
    for model, names in FIELDS.items():
        rows = list(model._base_manager.filter(**_in_file(model, trajectory_ids)))
        if not rows:
            continue
        for row in rows:
            for name in names:
                field = model._meta.get_field(name)
                setattr(row, name, _mark(getattr(row, name), field.max_length))
            if model is PlanVersion:
                row.content = _plan(row.content)
            if _rekey(model):
                row.uuid = uuid.uuid4()
        update = (
            list(names) + (["content"] if model is PlanVersion else []) + (["uuid"] if _rekey(model) else [])
        )
        model._base_manager.bulk_update(rows, update, batch_size=500)
        counts[f"anonymised {model._meta.label}"] += len(rows)
    born = client.date_of_birth
    for name, value in CLIENT_FIELDS.items():
        setattr(client, name, value)
    client.date_of_birth = dt.date(born.year, 1, 1)
    client.uuid = uuid.uuid4()
    client.version += 1
    client.save()
    counts["anonymised clients.Client"] += 1
    return counts


def _rekey(model) -> bool:
    """A submitted measurement keeps its public id: the database refuses any change to it but its
    encrypted texts (``instruments.guards``); it names no person, and its client has a new id."""
    return model is not Measurement and any(f.name == "uuid" for f in model._meta.concrete_fields)


def _in_file(model, trajectory_ids) -> dict:
    if model is Trajectory:
        return {"pk__in": trajectory_ids}
    if model is PlanAgreement:
        return {"plan_version__trajectory_id__in": trajectory_ids}
    if model is FollowUp:
        return {"placement__trajectory_id__in": trajectory_ids}
    return {"trajectory_id__in": trajectory_ids}
