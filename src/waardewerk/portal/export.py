"""The client's own data, for a request for access (GDPR art. 15): a machine-readable JSON file and a
readable PDF made from the same collection (docs/portal.md, "My data").

Everything the file holds about the client is in it: personal data (also the BSN), every trajectory with
its phases, conversations and their notes, actions, plan versions with goals, choices and agreements,
progress notes, changes of course, the evaluation, every submitted measurement with its answers and score,
the questionnaires asked for, the client's goal proposals, consents, the jobs the professional decided on
for the client (with the reason, the fit and the client's answer), the portal invitations (without link
or code), and the access log of the file (who, role, when, what; no IP addresses).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from waardewerk.accounts.models import User
from waardewerk.audit.selectors import accesses_to_client
from waardewerk.clients.models import Consent
from waardewerk.core.content import localised
from waardewerk.instruments.definition import Definition
from waardewerk.instruments.models import InstrumentVersion, Measurement, MeasurementStatus
from waardewerk.matching.models import CandidateProfile, Proposal
from waardewerk.portal.models import GoalProposal, PortalInvitation, QuestionnaireRequest
from waardewerk.portal.selectors import ACCESS_FIELDS, access_rows, emergency_reasons
from waardewerk.reports.services import css_string, html_to_pdf, page_counter
from waardewerk.trajectories.models import (
    Action,
    Adjustment,
    Conversation,
    Handover,
    PhaseChange,
    PlanAgreement,
    PlanVersion,
    ProgressNote,
    Trajectory,
)
from waardewerk.trajectories.plan import PlanContent

FORMAT = "waardewerk-client-data"
FORMAT_VERSION = 1
TOP_LEVEL_KEYS = (
    "format",
    "format_version",
    "exported_at",
    "organisation",
    "client",
    "trajectories",
    "consents",
    "job_proposals",
    "availability_and_strengths",
    "portal_invitations",
    "access_log",
)
TRAJECTORY_KEYS = (
    "id",
    "context",
    "start_date",
    "end_date",
    "end_reason",
    "phase",
    "question",
    "closing_note",
    "responsible",
    "phases",
    "handovers",
    "conversations",
    "actions",
    "plan_versions",
    "progress_notes",
    "adjustments",
    "evaluation",
    "your_look_back_in_the_portal",
    "measurements",
    "questionnaire_requests",
    "goal_proposals",
)


def _iso(value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _name(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


def _trajectories(client):
    return (
        Trajectory.objects.filter(client=client)
        .select_related("responsible", "evaluation__recorded_by", "client_own_evaluation")
        .prefetch_related(
            Prefetch("phase_changes", queryset=PhaseChange.objects.select_related("changed_by")),
            Prefetch("handovers", queryset=Handover.objects.select_related("from_user", "to_user")),
            Prefetch(
                "conversations",
                queryset=Conversation.objects.select_related("recorded_by", "principles_version").order_by(
                    "date", "id"
                ),
            ),
            Prefetch("actions", queryset=Action.objects.order_by("agreed_on", "id")),
            Prefetch(
                "plan_versions",
                queryset=PlanVersion.objects.select_related("created_by").prefetch_related(
                    Prefetch("agreements", queryset=PlanAgreement.objects.order_by("agreed_on", "id"))
                ),
            ),
            Prefetch("progress_notes", queryset=ProgressNote.objects.order_by("date", "id")),
            Prefetch("adjustments", queryset=Adjustment.objects.order_by("date", "id")),
            Prefetch(
                "measurements",
                queryset=Measurement.objects.filter(status=MeasurementStatus.SUBMITTED)
                .select_related("instrument", "instrument_version", "entered_by", "corrects")
                .order_by("taken_on", "submitted_at", "id"),
            ),
            Prefetch(
                "questionnaire_requests",
                queryset=QuestionnaireRequest.objects.select_related("instrument").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch("goal_proposals", queryset=GoalProposal.objects.order_by("created_at", "id")),
        )
        .order_by("start_date", "id")
    )


def _principles(conversation) -> list[str]:
    """The titles of the guiding principles the professional said the conversation served."""
    if not conversation.principles or conversation.principles_version is None:
        return []
    titles = {p["key"]: p["title"] for p in conversation.principles_version.definition["principles"]}
    return [localised(titles[key]) for key in conversation.principles if key in titles]


def _look_back(t) -> dict | None:
    """The client's own evaluation, written in the portal."""
    own = getattr(t, "client_own_evaluation", None)
    if own is None:
        return None
    return {
        "what_went_well": own.went_well or None,
        "what_was_hard": own.was_hard or None,
        "what_you_would_tell_someone_who_starts": own.advice or None,
        "how_satisfied": own.get_satisfaction_display() if own.satisfaction else None,
        "last_saved_at": _iso(own.updated_at),
    }


def _trajectory(t) -> dict:
    evaluation = getattr(t, "evaluation", None)
    out = {
        "id": str(t.uuid),
        "context": t.get_context_display(),
        "start_date": _iso(t.start_date),
        "end_date": _iso(t.end_date),
        "end_reason": t.get_end_reason_display() if t.end_reason else None,
        "phase": t.get_phase_display(),
        "question": t.question,
        "closing_note": t.end_note or None,
        "responsible": _name(t.responsible),
        "phases": [
            {
                "at": _iso(c.changed_at),
                "from": c.get_from_phase_display() if c.from_phase else None,
                "to": c.get_to_phase_display(),
                "reason": c.reason,
                "by": _name(c.changed_by),
            }
            for c in t.phase_changes.all()
        ],
        "handovers": [
            {
                "at": _iso(h.handed_over_at),
                "from": _name(h.from_user),
                "to": _name(h.to_user),
                "reason": h.reason,
            }
            for h in t.handovers.all()
        ],
        "conversations": [
            {
                "date": _iso(c.date),
                "form": c.get_mode_display(),
                "participants": c.participants,
                "other_participants": c.other_participants or None,
                "notes": c.summary,
                "guiding_principles": _principles(c),
                "recorded_by": _name(c.recorded_by),
            }
            for c in t.conversations.all()
        ],
        "actions": [
            {
                "description": a.description,
                "by": a.get_owner_display(),
                "agreed_on": _iso(a.agreed_on),
                "due_date": _iso(a.due_date),
                "status": a.get_status_display(),
                "completed_on": _iso(a.completed_on),
                "marked_done_by_you": a.completed_by_client,
            }
            for a in t.actions.all()
        ],
        "plan_versions": [],
        "progress_notes": [{"date": _iso(n.date), "note": n.text} for n in t.progress_notes.all()],
        "adjustments": [
            {
                "date": _iso(a.date),
                "prompted_by": a.get_prompted_by_display(),
                "what_happened": a.event or None,
                "reason": a.reason,
                "change": a.change,
            }
            for a in t.adjustments.all()
        ],
        "evaluation": None,
        "your_look_back_in_the_portal": _look_back(t),
        "measurements": [],
        "questionnaire_requests": [
            {
                "questionnaire": r.instrument.key,
                "asked_at": _iso(r.created_at),
                "finished_at": _iso(r.completed_at),
                "cancelled_at": _iso(r.cancelled_at),
            }
            for r in t.questionnaire_requests.all()
        ],
        "goal_proposals": [
            {
                "proposed_at": _iso(p.created_at),
                "kind": "new goal" if p.is_new_goal else "new words",
                "words_before": p.original_text or None,
                "your_words": p.text,
                "status": p.status,
                "decided_at": _iso(p.decided_at),
                "reason": p.decision_reason or None,
            }
            for p in t.goal_proposals.all()
        ],
    }
    for version in sorted(t.plan_versions.all(), key=lambda v: v.number):
        content = PlanContent.from_json(version.content)
        out["plan_versions"].append(
            {
                "number": version.number,
                "made_at": _iso(version.created_at),
                "reason": version.reason,
                "by": _name(version.created_by),
                "goals": [vars(g) for g in content.goals],
                "choices": [vars(c) for c in content.choices],
                "agreed": [
                    {"on": _iso(a.agreed_on), "how": a.get_method_display(), "note": a.note or None}
                    for a in version.agreements.all()
                ],
            }
        )
    if evaluation is not None:
        out["evaluation"] = {
            "work": evaluation.work,
            "employer": evaluation.employer or None,
            "function": evaluation.job_title or None,
            "hours_per_week": evaluation.hours_per_week,
            "contract": evaluation.get_contract_type_display() if evaluation.contract_type else None,
            "with_support": evaluation.with_support,
            "support": evaluation.support or None,
            "outcome_level": evaluation.ladder_rung,  # on the outcome instrument (roles.outcome)
            "your_evaluation": evaluation.client_evaluation or None,
            "what_worked": evaluation.what_worked or None,
            "what_the_professional_would_do_differently": evaluation.do_differently or None,
            "chances_left": evaluation.missed_chances or None,
        }
    for m in t.measurements.all():
        out["measurements"].append(
            {
                "id": str(m.uuid),
                "questionnaire": m.instrument.key,
                "questionnaire_version": m.instrument_version.version,
                "date": _iso(m.taken_on),
                "answers_of": m.get_respondent_display(),
                "framing": m.framing or None,
                "filled_in_by_you_in_the_portal": m.entered_by_client,
                "entered_by": _name(m.entered_by),
                "answers": m.answers,
                "notes": json.loads(m.notes) if m.notes else {},
                "score": m.score,
                "corrects": str(m.corrects.uuid) if m.corrects_id else None,
                "correction_reason": m.correction_reason or None,
            }
        )
    return out


def collect(client, *, access_log_limit: int | None = None) -> dict:
    """Everything the file holds about ``client``, as plain JSON-able data (a fixed number of queries)."""

    events = list(
        accesses_to_client(client.uuid).exclude(actor_role="client").only(*ACCESS_FIELDS)[:access_log_limit]
    )
    ids = {e.actor_id for e in events if e.actor_id}
    users = {u.pk: u for u in User.objects.filter(pk__in=ids)} if ids else {}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(timezone.now()),
        "organisation": client.organisation.name,
        "client": {
            "id": str(client.uuid),
            "first_name": client.first_name,
            "infix": client.infix or None,
            "last_name": client.last_name,
            "date_of_birth": _iso(client.date_of_birth),
            "bsn": client.bsn or None,
            "email": client.email or None,
            "phone": client.phone or None,
            "street": client.street or None,
            "postal_code": client.postal_code or None,
            "city": client.city or None,
            "registered_at": _iso(client.created_at),
        },
        "trajectories": [_trajectory(t) for t in _trajectories(client)],
        "consents": [
            {
                "for": c.get_kind_display(),
                "kind": c.kind,
                "given_at": _iso(c.given_at),
                "given": c.get_given_via_display(),
                "withdrawn_at": _iso(c.withdrawn_at),
                "withdrawn": c.get_withdrawn_via_display() if c.withdrawn_via else None,
                "only_for": c.party_name or None,  # a consent for one employer (a job proposal)
            }
            for c in Consent.objects.filter(client=client).order_by("given_at", "id")
        ],
        "job_proposals": [
            {
                "job": p.job.title,
                "employer": p.job.employer.name,
                "decision": p.get_decision_display(),
                "reason": p.reason,
                "decided_at": _iso(p.decided_at),
                "decided_by": _name(p.decided_by),
                "fit": p.fit,
                "your_answer": p.get_response_display() if p.response else None,
                "your_comment": p.response_note or None,
                "answered_at": _iso(p.responded_at),
                "profile_sent_to_employer_at": _iso(p.shared_at),
            }
            for p in Proposal.objects.filter(trajectory__client=client)
            .select_related("job__employer", "decided_by")
            .order_by("decided_at", "id")
        ],
        "availability_and_strengths": _availability(client),
        "portal_invitations": [
            {
                "sent_at": _iso(i.created_at),
                "by": i.get_channel_display(),
                "expires_at": _iso(i.expires_at),
                "link_used_at": _iso(i.used_at),
                "logged_in_at": _iso(i.completed_at),
                "revoked_at": _iso(i.revoked_at),
            }
            for i in PortalInvitation.objects.filter(client=client).order_by("created_at", "id")
        ],
        "access_log": [
            {"at": _iso(row.at), "who": row.who, "role": row.role or None, "what": row.what}
            for row in access_rows(events, users, emergency_reasons(events))
        ],
    }


def _availability(client) -> dict | None:
    """The client's availability and strengths in their own words (docs/matching.md), or None."""
    profile = CandidateProfile.objects.filter(client=client).select_related("written_by_user").first()
    if profile is None:
        return None
    return {
        "hours_per_week": profile.hours_per_week,
        "days": profile.day_labels,
        "parts_of_the_day": profile.day_part_labels,
        "available_from": _iso(profile.available_from),
        "travel_at_most_km": profile.travel_km,
        "travel_by": profile.travel_means_labels,
        "more_about_availability": profile.availability_note or None,
        "what_you_are_good_at": profile.strengths or None,
        "written_by": profile.get_written_by_display(),
        "written_by_professional": _name(profile.written_by_user) if profile.written_by_user else None,
        "written_at": _iso(profile.written_at),
    }


def to_json(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def to_pdf(data: dict, *, language: str = "nl") -> bytes:
    """The same data as a readable document (WeasyPrint, the reports app's safe renderer)."""

    data = readable(data)
    with translation.override(language):
        name = " ".join(
            p
            for p in (data["client"]["first_name"], data["client"]["infix"], data["client"]["last_name"])
            if p
        )
        html = render_to_string(
            "portal/export_pdf.html",
            {
                "data": data,
                "name": name,
                "language": language,
                "css_header_left": css_string(name + " · " + _("Confidential")),
                "css_footer_left": css_string(data["organisation"]),
                "css_footer_right": page_counter(_("Page {page} of {pages}")),
            },
        )
    return html_to_pdf(html)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _as_dates(value):
    """The collection with its ISO dates and moments as date and datetime objects, so that the PDF shows
    them in the screen's formats (``day`` filter: "17 aug. 2026", "17 aug. 2026 14:30")."""
    if isinstance(value, dict):
        return {key: _as_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_dates(item) for item in value]
    if isinstance(value, str):
        try:
            if _ISO_DATE.match(value):
                return dt.date.fromisoformat(value)
            if _ISO_MOMENT.match(value):
                return dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def readable(data: dict) -> dict:
    """A copy of the collection for the PDF: dates as dates, and each measurement's answers as the
    questions the client read with the answers' labels (in the active language), under the
    questionnaire's title for the client. The JSON file keeps the keys and numbers."""
    out = _as_dates(copy.deepcopy(data))
    measured = {
        (m["questionnaire"], m["questionnaire_version"])
        for t in out["trajectories"]
        for m in t["measurements"]
    }
    definitions = {}
    if measured:
        wanted = Q()
        for key, version in measured:
            wanted |= Q(instrument__key=key, version=version)
        for v in InstrumentVersion.objects.filter(wanted).select_related("instrument"):
            definitions[(v.instrument.key, v.version)] = Definition(v.definition)
    for t in out["trajectories"]:
        for m in t["measurements"]:
            definition = definitions.get((m["questionnaire"], m["questionnaire_version"]))
            m["questions"] = _questions(definition, m) if definition else []
            m["title"] = definition.client_title if definition else m["questionnaire"]
    return out


def _questions(definition: Definition, m: dict) -> list[dict]:
    framing = m.get("framing") or ""
    notes = m.get("notes") or {}
    rows = []
    for item_id in definition.items:
        if item_id not in m["answers"]:
            continue
        value = m["answers"][item_id]
        labels = {
            e["value"]: localised(e["label"]) for e in definition.answer_scale(item_id, framing)["values"]
        }
        answer = labels.get(value) or str(value)
        rows.append(
            {
                "question": definition.item_text(item_id, framing),
                "answer": f"{answer} ({value})" if labels.get(value) else answer,
                "note": notes.get(item_id) or "",
            }
        )
    return rows
