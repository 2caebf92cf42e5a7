"""What a case presentation shows: built from a trajectory's data, pseudonymised (``pseudonym``), in the
parts the case owner chose. The result is a plain dict (stored as encrypted JSON once the owner confirms
it), so the group reads exactly what the owner saw, whatever happens to the dossier afterwards.

Never in it: the client's name, BSN, date of birth (an age band instead), contact details, address or the
employer's name (the sector the owner chose instead). Dates become weeks since the start of the trajectory.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.intervision.pseudonym import Identifiers, age_band, marks, pseudonymise
from waardewerk.trajectories.models import EvidenceLevel

PARTS = {
    "timeline": gettext_lazy("Timeline summary"),
    "instruments": gettext_lazy("Instrument results and their change"),
    "plan": gettext_lazy("Plan choices with their grounds"),
    "evaluation": gettext_lazy("Evaluation"),
}
# The sections of the Dutch standard industrial classification (SBI 2008, CBS), shown instead of an
# employer's name.
SECTORS = {
    "A": gettext_lazy("Agriculture, forestry and fishing"),
    "B": gettext_lazy("Mining and quarrying"),
    "C": gettext_lazy("Manufacturing"),
    "D": gettext_lazy("Energy supply"),
    "E": gettext_lazy("Water supply and waste management"),
    "F": gettext_lazy("Construction"),
    "G": gettext_lazy("Wholesale and retail trade"),
    "H": gettext_lazy("Transportation and storage"),
    "I": gettext_lazy("Accommodation and food service"),
    "J": gettext_lazy("Information and communication"),
    "K": gettext_lazy("Financial services"),
    "L": gettext_lazy("Real estate"),
    "M": gettext_lazy("Specialised business services"),
    "N": gettext_lazy("Renting and other business support"),
    "O": gettext_lazy("Public administration"),
    "P": gettext_lazy("Education"),
    "Q": gettext_lazy("Health and social work"),
    "R": gettext_lazy("Culture, sports and recreation"),
    "S": gettext_lazy("Other service activities"),
    "T": gettext_lazy("Households as employers"),
    "U": gettext_lazy("Extraterritorial organisations"),
}


@dataclass
class CaseData:
    """What the builder reads (selectors.case_data): the trajectory with its client, the other participants
    named in conversations, and what each part needs."""

    trajectory: object
    client: object
    conversations: list = field(default_factory=list)
    phase_changes: list = field(default_factory=list)
    adjustments: list = field(default_factory=list)
    measurements: list = field(default_factory=list)
    effects: list = field(default_factory=list)
    plans: list = field(default_factory=list)  # (PlanVersion, PlanContent, agreements), oldest first
    evaluation: object = None
    value_titles: dict = field(default_factory=dict)  # plan term key -> title (work values, determinants)
    outcome_label: str = ""


def identifiers(data: CaseData, extra_terms: str = "") -> Identifiers:
    client = data.client
    known = Identifiers()
    known.add_name(client.first_name, client.infix, client.last_name, "client")
    known.add(client.city, "place")
    known.add(client.street, "address")
    known.add(client.postal_code, "postal_code")
    known.add(client.email, "email")
    known.add(client.phone, "phone")
    known.add(client.bsn, "number")
    for conversation in data.conversations:
        known.add_list(conversation.other_participants, "contact")
    if data.evaluation is not None:
        known.add(data.evaluation.employer, "employer")
    for term in (extra_terms or "").replace(";", ",").replace("\n", ",").split(","):
        known.add(term.strip(), "other")
    return known


def _week(start, day) -> int:
    return max(0, (day - start).days) // 7 + 1


def build(data: CaseData, *, title: str, parts: list[str], sector: str, extra_terms: str = "") -> dict:
    """The presentation as the group will see it, with the words marked for the owner to check."""
    known = identifiers(data, extra_terms)
    pattern = known.pattern()

    def text(value: str) -> list[list[str]]:
        return pseudonymise(value or "", known, pattern)

    trajectory, client = data.trajectory, data.client
    start = trajectory.start_date
    last_day = trajectory.end_date or max(
        [start] + [c.date for c in data.conversations] + [m.taken_on for m in data.measurements]
    )
    intro = [
        [_("Age"), age_band(client.age)],
        [_("Context"), str(trajectory.get_context_display())],
        [_("Phase"), str(trajectory.get_phase_display())],
        [_("Duration so far"), _("%(weeks)d weeks") % {"weeks": _week(start, last_day)}],
        [_("Sector of the employer"), str(SECTORS[sector]) if sector in SECTORS else _("not given")],
    ]
    content: dict = {
        "title": text(title),
        "intro": intro,
        "question": text(trajectory.question),
        "parts": [p for p in PARTS if p in parts],
    }
    if "timeline" in parts:
        rows = []
        for change in data.phase_changes:
            rows.append(
                [
                    _week(start, change.changed_at.date()),
                    _("Phase: %(phase)s") % {"phase": change.get_to_phase_display()},
                    text(change.reason),
                ]
            )
        for conversation in data.conversations:
            rows.append(
                [
                    _week(start, conversation.date),
                    _("Conversation (%(mode)s)") % {"mode": conversation.get_mode_display().lower()},
                    text(conversation.summary),
                ]
            )
        for adjustment in data.adjustments:
            rows.append(
                [
                    _week(start, adjustment.date),
                    _("Adjustment"),
                    text(f"{adjustment.reason}\n{adjustment.change}".strip()),
                ]
            )
        content["timeline"] = sorted(rows, key=lambda row: row[0])
    if "instruments" in parts:
        content["instruments"] = [
            {
                "title": effect.definition.short_title,
                "measured": [_week(start, m.taken_on) for m in effect.measurements],
                "changes": list(effect.changes),
            }
            for effect in data.effects
        ]
    if "plan" in parts and data.plans:
        version, plan, agreements = data.plans[-1]
        numbers = {g.key: n for n, g in enumerate(plan.goals, start=1)}
        content["plan"] = {
            "version": version.number,
            "versions": len(data.plans),
            "agreed": sum(1 for _v, _p, a in data.plans if a),
            "goals": [
                {
                    "n": numbers[g.key],
                    "text": text(g.text),
                    "serves": ", ".join(
                        str(data.value_titles.get(k, k)) for k in [*g.values, *g.determinants]
                    ),
                    "status": g.status,
                }
                for g in plan.goals
            ],
            "choices": [
                {
                    "n": n,
                    "goal": numbers.get(c.goal, ""),
                    "description": text(c.description),
                    "research": text(c.research),
                    "evidence_level": str(EvidenceLevel(c.evidence_level).label) if c.evidence_level else "",
                    "expertise": text(c.expertise),
                    "preference": text(c.preference),
                }
                for n, c in enumerate(plan.choices, start=1)
            ],
        }
    if "evaluation" in parts and data.evaluation is not None:
        e = data.evaluation
        facts = []
        if e.work is not None:
            facts.append([_("Work found or kept"), _("yes") if e.work else _("no")])
        if e.employer:
            facts.append(
                [_("Sector of the employer"), str(SECTORS[sector]) if sector in SECTORS else _("not given")]
            )
        if e.hours_per_week:
            facts.append([_("Hours per week"), str(e.hours_per_week)])
        if e.contract_type:
            facts.append([_("Contract"), str(e.get_contract_type_display())])
        if data.outcome_label:
            facts.append([_("Outcome level"), data.outcome_label])
        content["evaluation"] = {
            "facts": facts,
            "texts": [
                [label, text(value)]
                for label, value in (
                    (_("The client's own evaluation"), e.client_evaluation),
                    (_("What worked"), e.what_worked),
                    (_("What I would do differently"), e.do_differently),
                    (_("Chances I left"), e.missed_chances),
                )
                if (value or "").strip()
            ],
        }
    content["marks"] = sorted(set(_all_marks(content)))
    return content


def _all_marks(value):
    """Every marked word anywhere in the content."""
    if isinstance(value, list) and value and all(isinstance(s, list) and len(s) == 2 for s in value):
        if all(isinstance(s[0], str) and isinstance(s[1], str) for s in value):
            yield from marks(value)
            return
    if isinstance(value, list):
        for item in value:
            yield from _all_marks(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _all_marks(item)


def fingerprint(content: dict) -> str:
    """A checksum of what the owner saw, to confirm exactly that."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
