"""The phase checklist: per phase what the method expects, and what is still missing.

Guidance, never a block: the professional decides when to move on. Computed from what the trajectory
section has read already (``selectors.trajectory_facts``, the actions, the submitted measurements and what
is due), so no extra queries.
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


def _measured(measurements, key, respondent=None, phase=None) -> bool:
    return any(
        m.instrument.key == key
        and (respondent is None or m.respondent == respondent)
        and (phase is None or m.phase == phase)
        for m in measurements
    )


def checklists(trajectory, facts, *, plan=None, measurements=(), actions=(), dues=()) -> list[PhaseChecklist]:
    """All six phases' checklists. ``facts``: ``selectors.trajectory_facts``; ``plan`` the current
    PlanContent (or None); ``measurements`` the submitted ones (``instrument.key``, ``respondent``,
    ``phase``); ``actions`` those not cancelled; ``dues`` the due overview rows."""
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
            Check(
                _("LWC taken (work values)"),
                _measured(measurements, "lwc"),
                _("Take the LWC with the client."),
            ),
            Check(
                _("IGM filled in by the client"),
                _measured(measurements, "igm", "client"),
                _("Let the client rate the determinants."),
            ),
            Check(
                _("IGM rated by the professional"),
                _measured(measurements, "igm", "professional"),
                _("Give your own rating to compare with the client's."),
            ),
            Check(_("Participation ladder scored"), _measured(measurements, "participatieladder")),
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
            Check(
                _("Final measurement taken (LWC in the evaluation phase)"),
                _measured(measurements, "lwc", phase=Phase.EVALUATION),
            ),
            Check(
                _("Outcome recorded (work, ladder rung)"),
                bool(evaluation and (evaluation.work is not None or evaluation.ladder_rung)),
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
