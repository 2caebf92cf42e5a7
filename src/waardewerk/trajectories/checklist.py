"""The phase checklist: per phase what the method expects, and what is still missing.

Guidance, never a block: the professional decides when to move on. Computed from what the trajectory
section has read already (``selectors.trajectory_facts``, the actions, the submitted measurements, what is
due), so no extra queries. Which instruments the intake and the evaluation expect, and from whom, comes
from each instrument's definition (``roles.checklist``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.trajectories.models import ActionStatus, Phase

RECENT_DAYS = 30


@dataclass(frozen=True)
class Check:
    label: str
    done: bool
    hint: str = ""


@dataclass(frozen=True)
class PhaseChecklist:
    phase: str
    label: str
    checks: list[Check]
    current: bool

    @property
    def missing(self) -> int:
        return sum(1 for c in self.checks if not c.done)


def _measured(measurements, key, respondent="", phase=None) -> bool:
    return any(
        m.instrument.key == key
        and (not respondent or m.respondent == respondent)
        and (phase is None or m.phase == phase)
        for m in measurements
    )


def _intake_checks(measurements, definitions) -> list[Check]:
    checks = []
    for key, definition in definitions.items():
        who = definition.roles.checklist("intake")
        both = {"client", "professional"} <= set(who)
        for respondent in who:
            name = {"instrument": definition.short_title}
            if respondent == "client":
                label = _("%(instrument)s filled in by the client") % name
                hint = _("Ask the client to fill it in, in the portal or together with you.")
            elif respondent == "professional":
                label = _("%(instrument)s filled in by the professional") % name
                hint = (
                    _("Give your own rating to compare with the client's.")
                    if both
                    else _("Fill it in from what you know of the client.")
                )
            else:
                label = _("%(instrument)s taken") % name
                hint = _("Take the %(instrument)s with the client.") % name
            checks.append(Check(label, _measured(measurements, key, respondent), hint))
    return checks


def _final_checks(measurements, definitions) -> list[Check]:
    checks = []
    for key, definition in definitions.items():
        for respondent in definition.roles.checklist("final"):
            name = {"instrument": definition.short_title}
            if respondent:
                label = _(
                    "Final measurement taken (%(instrument)s in the evaluation phase, by the %(who)s)"
                ) % (name | {"who": _("client") if respondent == "client" else _("professional")})
            else:
                label = _("Final measurement taken (%(instrument)s in the evaluation phase)") % name
            checks.append(Check(label, _measured(measurements, key, respondent, phase=Phase.EVALUATION)))
    return checks


def checklists(
    trajectory, facts, *, plan=None, measurements=(), actions=(), dues=(), definitions=None
) -> list[PhaseChecklist]:
    """All six phases' checklists. ``facts``: ``selectors.trajectory_facts``; ``plan`` the current
    PlanContent (or None); ``measurements`` the submitted ones (``instrument.key``, ``respondent``,
    ``phase``); ``actions`` those not cancelled; ``dues`` the due overview rows; ``definitions`` the current
    instrument definitions by key in their order (``instruments.selectors.definitions_by_key``)."""
    definitions = definitions or {}
    outcome = next((d for d in definitions.values() if d.roles.outcome == "level"), None)
    today = timezone.localdate()
    recent = today - dt.timedelta(days=RECENT_DAYS)
    evaluation = getattr(trajectory, "evaluation", None)
    agreed_current = facts.plan_agreed
    last_contact = facts.last_contact
    plan_updated_after_adjustment = bool(
        facts.adjusted_on and facts.latest_plan and facts.latest_plan.created_at.date() >= facts.adjusted_on
    )

    result = {
        Phase.INTAKE: [
            Check(
                _("Values and wishes explored in a conversation (guide topics ticked)"),
                facts.has_topics,
                _("Record a conversation and tick the guide topics you covered."),
            ),
            *_intake_checks(measurements, definitions),
        ],
        Phase.PLAN: [
            Check(
                _("Goals in the client's own words"),
                bool(plan and plan.goals),
                _("Write the plan's goals with the client."),
            ),
            Check(
                _("Each goal linked to a work value or determinant"),
                bool(plan and plan.goals and all(g.values or g.determinants for g in plan.goals)),
            ),
            Check(
                _("Every choice grounded in research, expertise and the client's preference"),
                bool(plan and plan.choices and not plan.choices_missing_sources),
                _("The plan shows which source is missing per choice."),
            ),
            Check(
                _("The client agreed with the current plan"),
                agreed_current,
                _("Record the client's agreement on the plan page."),
            ),
        ],
        Phase.EXECUTION: [
            Check(
                _("Actions agreed, each with an owner and a due date"),
                any(a.status != ActionStatus.CANCELLED for a in actions),
            ),
            Check(
                _("No overdue actions"),
                not any(a.status == ActionStatus.OPEN and a.due_date < today for a in actions),
            ),
            Check(
                _("Contact in the last %(days)d days") % {"days": RECENT_DAYS},
                bool(last_contact and last_contact >= recent),
            ),
        ],
        Phase.MONITORING: [
            Check(
                _("Re-measurements on time"),
                bool(measurements) and not any(d.due.overdue for d in dues),
                _("The trajectory page shows which measurement is due."),
            ),
            Check(
                _("Progress note or conversation in the last %(days)d days") % {"days": RECENT_DAYS},
                bool(last_contact and last_contact >= recent),
            ),
            Check(_("Progress on actions recorded"), any(a.status == ActionStatus.DONE for a in actions)),
        ],
        Phase.ADJUSTING: [
            Check(
                _("The change of course recorded with its reason and what prompted it"),
                facts.adjusted_on is not None,
            ),
            Check(_("The plan updated after the change"), plan_updated_after_adjustment),
            Check(
                _("The client agreed with the changed plan"),
                facts.adjusted_on is not None and agreed_current,
            ),
        ],
        Phase.EVALUATION: [
            *_final_checks(measurements, definitions),
            Check(
                _("Outcome recorded (work)")
                if outcome is None
                else _("Outcome recorded (work, %(instrument)s)") % {"instrument": outcome.short_title},
                bool(evaluation and (evaluation.work is not None or evaluation.ladder_rung is not None)),
            ),
            Check(
                _("The client's own evaluation, in their words"),
                bool(evaluation and evaluation.client_evaluation),
            ),
            Check(
                _("Reflection: what worked, what I would do differently, which chances I left"),
                bool(
                    evaluation
                    and evaluation.what_worked
                    and evaluation.do_differently
                    and evaluation.missed_chances
                ),
            ),
        ],
    }
    labels = dict(Phase.choices)
    return [
        PhaseChecklist(phase, labels[phase], checks, phase == trajectory.phase)
        for phase, checks in result.items()
    ]
