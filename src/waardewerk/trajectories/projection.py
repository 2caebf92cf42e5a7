"""How the changes to a trajectory appear in its timeline (``waardewerk.timeline``).

One function per event builds the entry from the object that changed. The services append them in the
same transaction as the change; :func:`backfill` builds them from rows that existed before the timeline
did (the data migration ``trajectories.0009``, the demo). The functions read attributes only, so they work
on the historical models of a migration as well. What an entry shows is written by its part
(``pages.timeline_entries``), not here.
"""

from __future__ import annotations

import datetime as dt

from waardewerk.timeline.models import CLIENT
from waardewerk.timeline.services import moment, timeline_entry


def _name(user) -> str:
    """A colleague's name as ``User.__str__`` gives it (historical models have no ``__str__``)."""
    return f"{user.first_name} {user.last_name}".strip() or user.username


def phase_change(change):
    if change.from_phase:
        event, data = "phase", {"from": change.from_phase, "to": change.to_phase}
    else:
        event, data = "started", {"to": change.to_phase}
    return timeline_entry(
        trajectory=change.trajectory_id,
        event=event,
        occurred_at=change.changed_at,
        actor=change.changed_by_id,
        data=data,
        texts={"reason": change.reason},
        source=change,
    )


def conversation(conversation):
    data = {"mode": conversation.mode, "topics": len(conversation.topics or ())}
    keys = getattr(conversation, "principles", None) or ()
    if keys and conversation.principles_version_id:
        # The titles per language, so the line reads without the principles (content, not client words).
        titles = {p["key"]: p["title"] for p in conversation.principles_version.definition["principles"]}
        data["principles"] = [titles[key] for key in keys if key in titles]
    return timeline_entry(
        trajectory=conversation.trajectory_id,
        event="conversation",
        occurred_at=moment(conversation.date, conversation.created_at),
        actor=conversation.recorded_by_id,
        data=data,
        texts={"summary": conversation.summary},
        source=conversation,
    )


def action_agreed(action):
    return timeline_entry(
        trajectory=action.trajectory_id,
        event="action",
        occurred_at=moment(action.agreed_on, action.created_at),
        actor=action.created_by_id,
        data={"owner": action.owner, "due": action.due_date.isoformat()},
        texts={"description": action.description},
        source=action,
    )


ACTION_STATUS_EVENTS = {"done": "action_done", "cancelled": "action_cancelled", "open": "action_reopened"}


def action_status(action, *, actor, at: dt.datetime):
    """A professional set the action's status (done, cancelled, or open again)."""
    return timeline_entry(
        trajectory=action.trajectory_id,
        event=ACTION_STATUS_EVENTS[action.status],
        occurred_at=at,
        actor=actor,
        texts={"description": action.description},
        source=action,
    )


def action_done_by_client(action, *, at: dt.datetime | None = None):
    """The client marked their action done in the portal."""
    return timeline_entry(
        trajectory=action.trajectory_id,
        event="action_done_by_client",
        occurred_at=moment(action.completed_on, at or action.updated_at),
        actor=CLIENT,
        texts={"description": action.description},
        source=action,
    )


def handover(handover):
    return timeline_entry(
        trajectory=handover.trajectory_id,
        event="handover",
        occurred_at=handover.handed_over_at,
        actor=handover.handed_over_by_id,
        data={"from": _name(handover.from_user), "to": _name(handover.to_user)},
        texts={"reason": handover.reason},
        source=handover,
    )


def assignment(assignment):
    return timeline_entry(
        trajectory=assignment.trajectory_id,
        event="assignment",
        occurred_at=assignment.created_at,
        actor=assignment.created_by_id,
        data={
            "name": _name(assignment.user),
            "as": assignment.kind,
            "from": assignment.starts_on.isoformat(),
            "until": assignment.ends_on.isoformat() if assignment.ends_on else "",
        },
        source=assignment,
    )


def assignment_ended(assignment, *, actor, at: dt.datetime):
    return timeline_entry(
        trajectory=assignment.trajectory_id,
        event="assignment_ended",
        occurred_at=at,
        actor=actor,
        data={"name": _name(assignment.user), "as": assignment.kind},
        source=assignment,
    )


def plan_version(version):
    return timeline_entry(
        trajectory=version.trajectory_id,
        event="plan_version",
        occurred_at=version.created_at,
        actor=version.created_by_id,
        data={"number": version.number},
        texts={"reason": version.reason},
        source=version,
    )


def plan_agreement(agreement, version):
    # From the fields, not the model's ``by_client``: the data migrations and the generator pass rows.
    by_client = agreement.recorded_by_id is None and agreement.method == "portal"
    return timeline_entry(
        trajectory=version.trajectory_id,
        event="plan_agreed",
        occurred_at=moment(agreement.agreed_on, agreement.created_at),
        actor=CLIENT if by_client else agreement.recorded_by_id,
        data={"number": version.number, "method": agreement.method},
        texts={"note": agreement.note},
        source=agreement,
    )


def progress_note(note):
    return timeline_entry(
        trajectory=note.trajectory_id,
        event="note",
        occurred_at=moment(note.date, note.created_at),
        actor=note.recorded_by_id,
        texts={"text": note.text},
        source=note,
    )


def adjustment(adjustment):
    return timeline_entry(
        trajectory=adjustment.trajectory_id,
        event="adjustment",
        occurred_at=moment(adjustment.date, adjustment.created_at),
        actor=adjustment.recorded_by_id,
        data={"prompted_by": adjustment.prompted_by},
        texts={"reason": adjustment.reason, "change": adjustment.change},
        source=adjustment,
    )


def evaluation(evaluation):
    return timeline_entry(
        trajectory=evaluation.trajectory_id,
        event="evaluation",
        occurred_at=evaluation.updated_at,
        actor=evaluation.recorded_by_id,
        texts={"client_evaluation": evaluation.client_evaluation},
        source=evaluation,
    )


def closed(trajectory, *, actor=None, at: dt.datetime | None = None):
    return timeline_entry(
        trajectory=trajectory.pk,
        event="closed",
        occurred_at=moment(trajectory.end_date, at or trajectory.updated_at),
        actor=actor,
        data={"reason": trajectory.end_reason},
        texts={"note": trajectory.end_note},
        source=trajectory,
    )


# Rows from before the timeline ---------------------------------------------------------------------------


def backfill(apps, trajectory_ids=None) -> list:
    """The entries of the trajectories' existing rows (``apps``: a migration's app registry, or
    ``django.apps.apps``), oldest first. Not derivable from old rows: when a professional marked an action
    done or cancelled it (only done actions with their completion day are included) and who closed a
    trajectory."""
    model = apps.get_model

    def rows(name, *related, trajectory_field="trajectory_id"):
        query = model("trajectories", name).objects.all()
        if related:
            query = query.select_related(*related)
        if trajectory_ids is not None:
            query = query.filter(**{f"{trajectory_field}__in": trajectory_ids})
        return query.order_by("pk")

    entries = [phase_change(c) for c in rows("PhaseChange")]
    # The principles' titles come from the version a conversation ticked them from (a later field).
    fields = {f.name for f in model("trajectories", "Conversation")._meta.get_fields()}
    principles = ("principles_version",) if "principles_version" in fields else ()
    entries += [conversation(c) for c in rows("Conversation", *principles)]
    for action in rows("Action"):
        entries.append(action_agreed(action))
        if action.completed_by_client and action.completed_on:
            entries.append(action_done_by_client(action))
        elif action.status == "done" and action.completed_on:
            done = action_status(action, actor=None, at=moment(action.completed_on, action.updated_at))
            entries.append(done)
    entries += [handover(h) for h in rows("Handover", "from_user", "to_user")]
    for item in rows("TrajectoryAssignment", "user"):
        entries.append(assignment(item))
        if item.revoked_at:
            entries.append(assignment_ended(item, actor=None, at=item.revoked_at))
    for version in rows("PlanVersion"):
        entries.append(plan_version(version))
    for agreement in rows("PlanAgreement", "plan_version", trajectory_field="plan_version__trajectory_id"):
        entries.append(plan_agreement(agreement, agreement.plan_version))
    entries += [progress_note(n) for n in rows("ProgressNote")]
    entries += [adjustment(a) for a in rows("Adjustment")]
    entries += [evaluation(e) for e in rows("Evaluation")]
    entries += [closed(t) for t in rows("Trajectory", trajectory_field="pk").filter(end_date__isnull=False)]
    return sorted(entries, key=_order)


# Within one moment, the order the timeline had before it was a projection: an action below the conversation
# it was agreed in, the closing on top (the page shows the newest first).
_RANK = {"action": 0, "conversation": 1, "note": 1, "evaluation": 3, "closed": 3}


def _order(entry):
    return (entry["occurred_at"], _RANK.get(entry["event"], 2))
