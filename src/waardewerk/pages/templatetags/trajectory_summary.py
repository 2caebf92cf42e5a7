"""The summary at the top of the dossier and the trajectory page (``trajectories/_summary.html``): the phase,
the next step and what needs attention, read from the trajectory section's context
(``pages.trajectory.trajectory_section``) without a query of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waardewerk.trajectories.models import Phase

register = template.Library()


@dataclass(frozen=True)
class Attention:
    text: str
    anchor: str  # the section of the page where it is handled


@dataclass
class Summary:
    next_step: object = None  # the current phase's first open check (``trajectories.checklist.Check``)
    open_checks: int = 0
    attention: list[Attention] = field(default_factory=list)


@register.simple_tag(takes_context=True)
def trajectory_summary(context) -> Summary:
    """What the summary shows, from the section's context: nothing for a closed trajectory."""
    trajectory = context["trajectory"]
    summary = Summary()
    if not trajectory.is_open:
        return summary
    checklist = context.get("current_checklist")
    if checklist is not None:
        open_checks = [check for check in checklist.checks if not check.done]
        summary.next_step = open_checks[0] if open_checks else None
        summary.open_checks = len(open_checks)
    attention = summary.attention
    if any(access.active for access in context.get("emergency_accesses") or ()):
        attention.append(Attention(_("Emergency access to this dossier is open"), "emergency-access-heading"))
    today = context["today"]
    late = sum(1 for action in context.get("open_actions") or () if action.due_date < today)
    if late:
        attention.append(
            Attention(
                ngettext("%(n)s action is overdue", "%(n)s actions are overdue", late) % {"n": late},
                "actions-heading",
            )
        )
    late = [row.title for row in context.get("due") or () if row.due.overdue]
    if late:
        text = ngettext("Measurement overdue: %(names)s", "Measurements overdue: %(names)s", len(late))
        attention.append(Attention(text % {"names": ", ".join(late)}, "measurements-heading"))
    drafts = len(context.get("drafts") or ())
    if drafts:
        text = ngettext("%(n)s draft measurement to finish", "%(n)s draft measurements to finish", drafts)
        attention.append(Attention(text % {"n": drafts}, "measurements-heading"))
    if context.get("plan") is None:
        if trajectory.phase != Phase.INTAKE:
            attention.append(Attention(_("No plan yet."), "plan-heading"))
    elif not context.get("plan_agreed"):
        attention.append(Attention(_("The plan is not yet agreed by the client."), "plan-heading"))
    portal = context.get("portal")
    if portal is not None and portal.open_proposals:
        n = portal.open_proposals
        text = ngettext(
            "%(n)s goal proposal of the client waits for you",
            "%(n)s goal proposals of the client wait for you",
            n,
        )
        attention.append(Attention(text % {"n": n}, "portal-card-heading"))
    if portal is not None and portal.open_requests:
        n = portal.open_requests
        text = ngettext(
            "%(n)s questionnaire asked, not finished yet", "%(n)s questionnaires asked, not finished yet", n
        )
        attention.append(Attention(text % {"n": n}, "portal-card-heading"))
    return summary
