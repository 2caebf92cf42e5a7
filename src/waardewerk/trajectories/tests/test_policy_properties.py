"""Each policy answers "may this actor ... this object?" (``can_*``) and "which objects may this actor ...?"
(the queryset beside it) from the same rules. Some ``can_*`` keep a shortcut without a query (the
responsible professional); this test checks on generated organisations that, for every actor and every
object, the two answers agree:

    can_x(actor, obj) == queryset_x(actor).filter(pk=obj.pk).exists()

The organisations have teams, users of every role (one inactive), clients registered by someone or not,
open and closed trajectories with and without a team, assignments that are active, ended, revoked or still
to come, emergency accesses that are active, over or still to come, and assignments and emergency accesses
that point across organisations (data that should not exist, and must give nothing). The actors are every
user, every client in the portal and an anonymous visitor.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from waardewerk.accounts.models import Organisation, Role, Team, User
from waardewerk.clients.actor import ClientActor
from waardewerk.clients.models import Client
from waardewerk.instruments import policies as instrument_policies
from waardewerk.portal import policies as portal_policies
from waardewerk.reports import policies as report_policies
from waardewerk.trajectories import policies
from waardewerk.trajectories.models import (
    Action,
    EmergencyAccess,
    Phase,
    Trajectory,
    TrajectoryAssignment,
)

# (name, can_*, queryset) over trajectories.
TRAJECTORY_PAIRS = [
    ("view", policies.can_view_trajectory, policies.visible_trajectories),
    ("work on", policies.can_work_on_trajectory, policies.working_trajectories),
    ("change", policies.can_change_trajectory, policies.changeable_trajectories),
    ("manage staffing", policies.can_manage_staffing, policies.manageable_trajectories),
    ("open emergency access", policies.can_open_emergency_access, policies.emergency_access_candidates),
    ("see the portal page", portal_policies.can_see_portal, policies.visible_trajectories),
    ("invite to the portal", portal_policies.can_invite, policies.working_trajectories),
    ("ask a questionnaire", portal_policies.can_ask_questionnaire, policies.changeable_trajectories),
    ("write in the portal", portal_policies.can_client_write, portal_policies.client_writable_trajectories),
    (
        "take a measurement",
        instrument_policies.can_take_measurement,
        instrument_policies.measurable_trajectories,
    ),
    ("make a report", report_policies.can_make_report, report_policies.report_trajectories),
]
CLIENT_PAIRS = [
    ("view", policies.can_view_client, policies.visible_clients),
    ("edit", policies.can_edit_client, policies.editable_clients),
    ("start a trajectory", policies.can_start_trajectory, policies.editable_clients),
]
ACTION_PAIRS = [
    ("complete (client)", policies.can_client_complete_action, policies.client_completable_actions),
]
USER_PAIRS = [
    ("give access to", policies.is_staffing_candidate, policies.staffing_candidates),
]

ROLES = [Role.PROFESSIONAL, Role.PROFESSIONAL, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN]
HALF_HOURS = [-13, -9, -5, -1, 1]  # emergency access starts, in half hours from now (never exactly now)


@st.composite
def worlds(draw):
    """A plain description of two or three organisations; ``_build`` turns it into rows."""
    organisations = []
    for _ in range(draw(st.integers(2, 3))):
        teams = draw(st.integers(1, 2))
        users = [
            {
                "role": draw(st.sampled_from(ROLES)),
                "teams": draw(st.sets(st.integers(0, teams - 1), max_size=teams)),
                "active": draw(st.booleans()) if i == 3 else True,
            }
            for i in range(draw(st.integers(2, 5)))
        ]
        clients = [
            {
                "registered_by": draw(st.none() | st.integers(0, len(users) - 1)),
                "trajectories": [
                    {
                        "responsible": draw(st.integers(0, len(users) - 1)),
                        "team": draw(st.none() | st.integers(0, teams - 1)),
                        "open": draw(st.booleans()) if t == 0 else False,
                        "action": draw(st.sampled_from(["client", "client-done", "professional"])),
                    }
                    for t in range(draw(st.integers(0, 2)))
                ],
            }
            for _ in range(draw(st.integers(1, 3)))
        ]
        organisations.append({"teams": teams, "users": users, "clients": clients})
    links = st.tuples(
        st.integers(0, len(organisations) - 1),  # organisation of the trajectory
        st.integers(0, 20),  # trajectory (modulo the organisation's count)
        st.integers(0, 5).map(lambda n: n == 0),  # a user of another organisation (1 in 6)
        st.integers(0, 20),  # user (modulo)
        st.booleans(),  # prefer a team lead (emergency access is theirs)
    )
    assignments = draw(
        st.lists(
            st.tuples(
                links,
                st.integers(-20, 5),  # starts, days from today
                st.none() | st.integers(0, 20),  # lasts (days), or open-ended
                st.booleans(),  # revoked
            ),
            max_size=6,
        )
    )
    emergencies = draw(
        st.lists(st.tuples(links, st.sampled_from(HALF_HOURS), st.sampled_from([4, 8])), max_size=5)
    )
    return {"organisations": organisations, "assignments": assignments, "emergencies": emergencies}


def _build(world):
    today, now = timezone.localdate(), timezone.now()
    made = {"users": [], "clients": [], "trajectories": [], "actions": [], "by_org": []}
    for o, spec in enumerate(world["organisations"]):
        organisation = Organisation.objects.create(name=f"Organisatie {o}", kind="municipality")
        teams = [
            Team.objects.create(organisation=organisation, name=f"Team {o}.{t}") for t in range(spec["teams"])
        ]
        users = []
        for u, user_spec in enumerate(spec["users"]):
            user = User.objects.create(
                username=f"u{o}-{u}",
                organisation=organisation,
                role=user_spec["role"],
                is_active=user_spec["active"],
            )
            user.teams.add(*(teams[t] for t in user_spec["teams"]))
            users.append(user)
        trajectories = []
        for c, client_spec in enumerate(spec["clients"]):
            registered_by = client_spec["registered_by"]
            client = Client.objects.create(
                organisation=organisation,
                first_name="C",
                last_name=f"{o}-{c}",
                date_of_birth=dt.date(1980, 1, 1),
                created_by=users[registered_by] if registered_by is not None else None,
            )
            made["clients"].append(client)
            for t, trajectory_spec in enumerate(client_spec["trajectories"]):
                closed = not trajectory_spec["open"]
                trajectory = Trajectory.objects.create(
                    client=client,
                    organisation=organisation,
                    team=teams[trajectory_spec["team"]] if trajectory_spec["team"] is not None else None,
                    responsible=users[trajectory_spec["responsible"]],
                    context="other",
                    start_date=today - dt.timedelta(days=100 - t),
                    question="Werk",
                    phase=Phase.INTAKE,
                    phase_since=now,
                    end_date=today - dt.timedelta(days=1) if closed else None,
                    end_reason="moved" if closed else "",
                )
                kind = trajectory_spec["action"]
                made["actions"].append(
                    Action.objects.create(
                        trajectory=trajectory,
                        description="Actie",
                        owner="client" if kind.startswith("client") else "professional",
                        status="done" if kind.endswith("done") else "open",
                        due_date=today,
                        created_by=trajectory.responsible,
                    )
                )
                trajectories.append(trajectory)
        made["users"] += users
        made["trajectories"] += trajectories
        made["by_org"].append((users, trajectories))

    def link(spec):
        t_org, t_index, cross, u_index, prefer_lead = spec
        trajectories = made["by_org"][t_org][1]
        users = made["by_org"][(t_org + 1) % len(made["by_org"]) if cross else t_org][0]
        leads = [u for u in users if u.role == Role.TEAM_LEAD]
        if prefer_lead and leads:
            users = leads
        if not trajectories:
            return None
        return trajectories[t_index % len(trajectories)], users[u_index % len(users)]

    for spec, starts, lasts, revoked in world["assignments"]:
        if (pair := link(spec)) is None:
            continue
        begin = today + dt.timedelta(days=starts)
        TrajectoryAssignment.objects.create(
            trajectory=pair[0],
            user=pair[1],
            kind="substitute",
            starts_on=begin,
            ends_on=begin + dt.timedelta(days=lasts) if lasts is not None else None,
            revoked_at=now if revoked else None,
            created_by=pair[0].responsible,
        )
    for spec, starts, hours in world["emergencies"]:
        if (pair := link(spec)) is None:
            continue
        begin = now + dt.timedelta(minutes=30 * starts)
        EmergencyAccess.objects.create(
            trajectory=pair[0],
            user=pair[1],
            reason="Nood",
            starts_at=begin,
            ends_at=begin + dt.timedelta(hours=hours / 2),
        )
    return made


def _actors(made):
    users = list(User.objects.filter(pk__in=[u.pk for u in made["users"]]))  # fresh: no cached relations
    return [AnonymousUser(), *users, *(ClientActor(client) for client in made["clients"])]


def _disagreements(actor, pairs, objects):
    found = []
    for name, can, queryset in pairs:
        allowed = set(queryset(actor).values_list("pk", flat=True))
        for obj in objects:
            if can(actor, obj) != (obj.pk in allowed):
                found.append(f"{actor!r} {name} {obj!r}: can_* says {can(actor, obj)}")
    return found


def _invariants(actor, made):
    """What must hold between the querysets themselves."""
    visible = set(policies.visible_trajectories(actor).values_list("pk", flat=True))
    working = set(policies.working_trajectories(actor).values_list("pk", flat=True))
    changeable = set(policies.changeable_trajectories(actor).values_list("pk", flat=True))
    candidates = set(policies.emergency_access_candidates(actor).values_list("pk", flat=True))
    known = set(policies.known_trajectories(actor).values_list("pk", flat=True))
    emergency = set(policies.active_emergency_accesses(actor).values_list("trajectory_id", flat=True))
    organisation = getattr(actor, "organisation_id", None)
    foreign = {t.pk for t in made["trajectories"] if t.organisation_id != organisation}
    problems = []
    # The same sets as SQL subqueries of ids (the start page's signals filter by these).
    if (
        set(
            Trajectory.objects.filter(pk__in=policies.working_trajectory_ids(actor)).values_list(
                "pk", flat=True
            )
        )
        != working
    ):
        problems.append("working_trajectory_ids differs from working_trajectories")
    if (
        set(
            Trajectory.objects.filter(pk__in=policies.changeable_trajectory_ids(actor)).values_list(
                "pk", flat=True
            )
        )
        != changeable
    ):
        problems.append("changeable_trajectory_ids differs from changeable_trajectories")
    if (
        set(
            Trajectory.objects.filter(pk__in=policies.visible_trajectory_ids(actor)).values_list(
                "pk", flat=True
            )
        )
        != visible
    ):
        problems.append("visible_trajectory_ids differs from visible_trajectories")
    if not changeable <= working <= visible <= known:
        problems.append("changeable <= working <= visible <= known does not hold")
    if visible - working - emergency:
        problems.append("visible without working on it or an emergency access")
    if candidates & visible:
        problems.append("emergency access offered for a dossier the actor reads")
    if (visible | known | candidates) & foreign:
        problems.append("another organisation's trajectory")
    works_on = set(
        policies.visible_trajectories(actor)
        .annotate(works_on=policies.works_on_visible(actor))
        .filter(works_on=True)
        .values_list("pk", flat=True)
    )
    if works_on != working:
        problems.append("works_on_visible differs from working_trajectories")
    # The caseload's role badge (``my_assignment_kind``) as ``active_assignments`` gives it.
    expected = {}
    for trajectory_id, kind in policies.active_assignments(actor).values_list("trajectory_id", "kind"):
        expected.setdefault(trajectory_id, kind)  # the first by start (the model's order)
    kinds = dict(
        Trajectory.objects.annotate(kind=policies.my_assignment_kind(actor)).values_list("pk", "kind")
    )
    if {pk: kind for pk, kind in kinds.items() if kind is not None} != expected:
        problems.append("my_assignment_kind differs from active_assignments")
    # The dossier derives editable_clients from the trajectories the actor sees (pages/dossier.py).
    editable = set(policies.editable_clients(actor).values_list("pk", flat=True))
    with_visible = set(policies.visible_trajectories(actor).values_list("client_id", flat=True))
    derived = set(policies.working_trajectories(actor).values_list("client_id", flat=True))
    if editable & with_visible != derived:
        problems.append("editable clients with a visible trajectory are not those with a working one")
    if getattr(actor, "role", None) == Role.FUNCTIONAL_ADMIN and known:
        problems.append("a functional administrator knows trajectories")
    return [f"{actor!r}: {p}" for p in problems]


# Always tried first: one team lead reading under an active emergency access, one whose access is over and
# one whose access is still to come; an assigned substitute, an assignment that ended, one that was revoked
# and one that starts next week; a closed trajectory; a client registered without a trajectory; an
# assignment and an emergency access that point to a user of another organisation.
COVERING = {
    "organisations": [
        {
            "teams": 2,
            "users": [
                {"role": Role.PROFESSIONAL, "teams": {0}, "active": True},
                {"role": Role.PROFESSIONAL, "teams": {0}, "active": True},
                {"role": Role.TEAM_LEAD, "teams": {0}, "active": True},
                {"role": Role.TEAM_LEAD, "teams": {1}, "active": True},
                {"role": Role.FUNCTIONAL_ADMIN, "teams": set(), "active": True},
            ],
            "clients": [
                {
                    "registered_by": 0,
                    "trajectories": [
                        {"responsible": 0, "team": 0, "open": True, "action": "client"},
                        {"responsible": 1, "team": 0, "open": False, "action": "client-done"},
                    ],
                },
                {"registered_by": 1, "trajectories": []},
                {
                    "registered_by": None,
                    "trajectories": [{"responsible": 1, "team": 1, "open": True, "action": "professional"}],
                },
            ],
        },
        {
            "teams": 1,
            "users": [
                {"role": Role.TEAM_LEAD, "teams": {0}, "active": True},
                {"role": Role.PROFESSIONAL, "teams": {0}, "active": True},
            ],
            "clients": [
                {
                    "registered_by": 1,
                    "trajectories": [{"responsible": 1, "team": 0, "open": True, "action": "client"}],
                }
            ],
        },
    ],
    "assignments": [
        ((0, 0, False, 1, False), -5, None, False),  # substitute, active
        ((0, 2, False, 0, False), -20, 3, False),  # ended
        ((0, 2, False, 3, False), -2, None, True),  # revoked
        ((0, 0, False, 3, False), 7, None, False),  # next week
        ((1, 0, True, 0, False), -1, None, False),  # a user of another organisation
    ],
    "emergencies": [
        ((0, 0, False, 0, True), -1, 8),  # the lead of team 0, active
        ((0, 2, False, 1, True), -13, 4),  # the lead of team 1, over
        ((0, 2, False, 0, True), 1, 4),  # still to come
        ((1, 0, True, 0, True), -1, 8),  # a lead of another organisation, active
    ],
}


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@example(world=COVERING)
@given(world=worlds())
def test_every_can_agrees_with_its_queryset(world):
    with transaction.atomic():
        made = _build(world)
        problems = []
        for actor in _actors(made):
            trajectories = list(Trajectory.objects.filter(pk__in=[t.pk for t in made["trajectories"]]))
            problems += _disagreements(actor, TRAJECTORY_PAIRS, trajectories)
            problems += _disagreements(actor, CLIENT_PAIRS, made["clients"])
            actions = list(
                Action.objects.filter(pk__in=[a.pk for a in made["actions"]]).select_related("trajectory")
            )
            problems += _disagreements(actor, ACTION_PAIRS, actions)
            if getattr(actor, "is_authenticated", False):
                problems += _disagreements(actor, USER_PAIRS, made["users"])
            problems += _invariants(actor, made)
        transaction.set_rollback(True)
    assert not problems, "\n".join(problems[:20])
