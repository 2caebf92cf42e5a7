"""The trajectory section: on the client's dossier (the open trajectory) and on the trajectory page.

Built from the apps' selectors in a fixed number of queries, whatever the trajectory's history: the
trajectory with its current plan, the portal card, its measurements and its actions in one row
(``trajectories.selectors.trajectory_page_queryset`` plus the portal's, the instruments' and the actions'
annotations; compiled once per process, ``section_trajectory``), the timeline (``timeline.selectors``;
the phase steps and the checklist's facts are read from it too) and the instruments with their
measurement schedules. The views parse the request, call these, log the read and render.
"""

from __future__ import annotations

from django.utils import timezone

from waardewerk.core.compiled import CompiledQuery
from waardewerk.core.forms import EmptyForm
from waardewerk.core.links import url_with_uuid
from waardewerk.instruments import selectors as instrument_selectors
from waardewerk.portal import selectors as portal_selectors
from waardewerk.timeline.models import Kind
from waardewerk.timeline.selectors import timeline_entries, timeline_kinds
from waardewerk.trajectories import policies
from waardewerk.trajectories import selectors as trajectory_selectors
from waardewerk.trajectories.checklist import checklists
from waardewerk.trajectories.forms import ActionForm, PhaseChangeForm, ProgressNoteForm
from waardewerk.trajectories.models import PHASE_DESCRIPTIONS, ActionStatus, Phase, Trajectory
from waardewerk.trajectories.plan import PlanContent

TIMELINE_KINDS = frozenset(Kind.values)


def timeline_kind(value) -> str:
    """The timeline filter from the query string: a known kind, or "" for everything."""
    return value if value in TIMELINE_KINDS else ""


# The rows the section joins to a trajectory's: the client's portal account for the portal card.
SECTION_RELATED = (*trajectory_selectors.TRAJECTORY_PAGE_RELATED, "client__portal_account")


def section_annotations(actor) -> dict:
    """What the section reads from the trajectory's row besides its columns and the joined rows: the access
    facts and the plan (``trajectory_selectors.trajectory_page_annotations``), the portal card, the
    measurements and the actions as JSON arrays (``page_measurements``, ``page_actions``). SQL expressions
    (``core.sql.RowSQL``) whose values (the actor, the day, the moment) are this request's."""
    return {
        **trajectory_selectors.trajectory_page_annotations(actor),
        **portal_selectors.card_annotations(),
        "measurement_rows": instrument_selectors.page_measurement_rows(),
        "action_rows": trajectory_selectors.page_action_rows(),
    }


def trajectory_queryset(actor):
    """The trajectories the actor may see, with everything the section reads from the trajectory row: its
    measurements and actions too, as JSON arrays in the same query (``page_measurements``,
    ``page_actions``)."""
    return (
        policies.visible_trajectories(actor)
        .select_related(*SECTION_RELATED)
        .annotate(**section_annotations(actor))
    )


# The same query for the pages opened most, compiled once per process (``core.compiled``): building and
# compiling it (six tables, about 90 columns, eight correlated subqueries) cost each of these pages more
# Python than anything else but the template (docs/performance.md). The scope is the policies'
# (``visible_trajectory_ids``, held to ``visible_trajectories``), the annotations are the ones above; both
# get this request's values.
def _section_trajectories(scope, annotations: dict):
    return Trajectory.objects.filter(pk__in=scope).select_related(*SECTION_RELATED).annotate(**annotations)


_SECTION_BY_UUID = CompiledQuery(
    lambda *, scope, key, **annotations: _section_trajectories(scope, annotations).filter(uuid=key)[:1],
    rows="objects",
)
_SECTION_OF_CLIENT = CompiledQuery(
    lambda *, scope, client, **annotations: (
        _section_trajectories(scope, annotations).filter(client__uuid=client).order_by("-start_date", "-id")
    ),
    rows="objects",
)


def section_trajectory(actor):
    """A function that finds a trajectory of ``trajectory_queryset(actor)`` by its UUID, or gives None (for
    ``readable_trajectory``), with the compiled query."""

    def find(key):
        found = _SECTION_BY_UUID(
            scope=policies.visible_trajectory_ids(actor), key=key, **section_annotations(actor)
        )
        return found[0] if found else None

    return find


def client_trajectories(actor, client_id) -> list:
    """The client's trajectories of ``trajectory_queryset(actor)``, newest first (the dossier), with the
    compiled query."""
    return _SECTION_OF_CLIENT(
        scope=policies.visible_trajectory_ids(actor), client=client_id, **section_annotations(actor)
    )


def phase_steps(trajectory, visited) -> list[dict]:
    steps = []
    for value, label in Phase.choices:
        if value == trajectory.phase:
            state = "current"
        elif value in visited:
            state = "visited"
        else:
            state = "upcoming"
        steps.append(
            {"value": value, "label": label, "state": state, "description": PHASE_DESCRIPTIONS[value]}
        )
    return steps


def _next_phase(phase: str) -> str:
    values = Phase.values
    return values[min(values.index(phase) + 1, len(values) - 1)]


def _plan(latest) -> PlanContent | None:
    return PlanContent.from_json(latest.content) if latest else None


def active_goals(trajectory) -> list:
    """The current plan's active goals (an action can be for one), for a trajectory of
    ``trajectory_queryset``."""
    plan = _plan(trajectory_selectors.latest_plan(trajectory))
    return plan.active_goals if plan else []


# The dossier shows the newest entries of the timeline, with a link to the whole of it (the trajectory page,
# or in place by htmx); the trajectory page shows them all.
DOSSIER_TIMELINE = 10


def trajectory_section(
    actor,
    trajectory,
    *,
    kind: str = "",
    timeline_limit: int | None = None,
    all_checklists: bool = False,
    **forms,
) -> dict:
    """The context of ``trajectories/_trajectory.html`` for a trajectory of ``trajectory_queryset``.
    ``forms``: a bound phase, note or action form with errors, shown instead of an empty one.
    ``timeline_limit``: show only the newest entries (of the kind), with a link to all of them.
    ``all_checklists``: render the checklists of the other phases too (otherwise they load when opened)."""
    can_change = policies.can_change_trajectory(actor, trajectory)
    entries = timeline_entries(trajectory)  # all of them: the section's facts come from them too
    facts = trajectory_selectors.trajectory_facts(trajectory, entries)
    plan = _plan(facts.latest_plan)
    submitted, drafts = instrument_selectors.page_measurements(trajectory, drafts=can_change)
    # One query for the schedules (with the organisation's own) and the instruments' roles in the checklist.
    instruments = instrument_selectors.current_instruments(trajectory.organisation_id)
    due = instrument_selectors.due_overview(trajectory, instruments, submitted=submitted)
    actions = trajectory_selectors.page_actions(trajectory)
    phase_checklists = checklists(
        trajectory,
        facts,
        plan=plan,
        measurements=submitted,
        actions=actions,
        dues=due,
        definitions=instrument_selectors.definitions_by_key(instruments),
    )
    shown = [e for e in entries if e.kind == kind] if kind else entries
    open_actions = [a for a in actions if a.status == ActionStatus.OPEN]
    if can_change:  # the form that marks one done or cancelled: one reverse for all of them
        status_url = url_with_uuid("trajectories:action_status")
        for action in open_actions:
            action.status_url = status_url(action.uuid)
    return {
        "trajectory": trajectory,
        "steps": phase_steps(trajectory, facts.visited),
        "steps_key": f"{trajectory.phase}:{','.join(sorted(facts.visited))}",  # what the steps show
        "portal": portal_selectors.portal_card(trajectory),
        "due": due,
        "drafts": drafts,
        "can_measure": can_change,
        "plan": plan,
        "latest_plan": facts.latest_plan,
        "plan_agreed": facts.plan_agreed,
        "checklists": phase_checklists,
        "current_checklist": next((c for c in phase_checklists if c.current), None),
        "all_checklists": all_checklists,
        "open_actions": open_actions,
        "can_change": can_change,
        "can_manage_staffing": trajectory.is_open and policies.can_manage_staffing(actor, trajectory),
        "emergency_accesses": trajectory_selectors.emergency_accesses(trajectory),
        # The empty forms are made only if the page renders their fields (``core.forms.EmptyForm``).
        "phase_form": forms.get("phase_form")
        or EmptyForm(
            PhaseChangeForm,
            initial={"version": trajectory.version, "to_phase": _next_phase(trajectory.phase)},
        ),
        "note_form": forms.get("note_form") or EmptyForm(ProgressNoteForm),
        "action_form": forms.get("action_form")
        or EmptyForm(ActionForm, goals=plan.active_goals if plan else ()),
        "timeline": shown[:timeline_limit] if timeline_limit else shown,
        "timeline_total": len(shown),
        "timeline_kinds": timeline_kinds(),
        "timeline_kind": kind,
        "today": timezone.localdate(),  # the empty forms' cache key (their dates)
    }


def trajectory_page(actor, trajectory_id, *, kind: str = "", all_checklists: bool = False, **forms) -> dict:
    """The trajectory page; 404 for a trajectory outside the actor's scope, 403 for one they know of but may
    not read (``trajectories.selectors.readable_trajectory``)."""
    trajectory = trajectory_selectors.readable_trajectory(actor, trajectory_id, section_trajectory(actor))
    return trajectory_section(actor, trajectory, kind=kind, all_checklists=all_checklists, **forms)


def timeline_page(actor, trajectory_id, *, kind: str = "") -> dict:
    """Only the timeline, for the filter's htmx request: the trajectory and its entries of that kind (two
    indexed queries)."""
    trajectory = trajectory_selectors.readable_trajectory(
        actor, trajectory_id, policies.visible_trajectories(actor).select_related("client")
    )
    entries = timeline_entries(trajectory, kind)
    return {
        "trajectory": trajectory,
        "timeline": entries,
        "timeline_total": len(entries),
        "timeline_kinds": timeline_kinds(),
        "timeline_kind": kind,
    }
