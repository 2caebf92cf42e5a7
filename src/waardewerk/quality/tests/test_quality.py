"""Team quality figures: what they count, the suppression, and the pages (no figures per named professional
for the team lead; a professional's own figures only for themselves)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory, UserFactory, lwc_answers, make_measurement
from waardewerk.accounts.models import Role
from waardewerk.quality import figures, selectors
from waardewerk.quality.figures import Quarter, recent_quarters
from waardewerk.trajectories.models import Evaluation, Phase, PlanAgreement, PlanVersion

PLAN = (
    '{"goals": [{"key": "g-00000001", "text": "Werk in de zorg", "values": [], "determinants": [],'
    ' "status": "active"}], "choices": [{"key": "c-00000001", "goal": "g-00000001", "description": "Stage",'
    ' "research": "%s", "expertise": "Past bij haar", "preference": "Wil dit graag"}]}'
)


def last_quarter() -> Quarter:
    return recent_quarters(timezone.localdate())[-2]


def ended(professional, team, *, reflection=True, grounded=True, agreed=True):
    """A trajectory of ``team`` that ended in the last complete quarter, with a plan, an evaluation and two
    capability-set measurements."""
    quarter = last_quarter()
    day = quarter.first + dt.timedelta(days=40)
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        team=team,
        start_date=quarter.first - dt.timedelta(days=100),
        phase=Phase.EVALUATION,
        end_date=day,
        end_reason="paid_work",
    )
    version = PlanVersion.objects.create(
        trajectory=trajectory,
        number=1,
        content=PLAN % ("Onderzoek X" if grounded else ""),
        reason="Eerste versie",
        created_by=professional,
    )
    PlanVersion.objects.filter(pk=version.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(quarter.first, dt.time(10)))
    )
    if agreed:
        PlanAgreement.objects.create(
            plan_version=version, agreed_on=quarter.first, method="conversation", recorded_by=professional
        )
    Evaluation.objects.create(
        trajectory=trajectory,
        work=True,
        recorded_by=professional,
        what_worked="De stage" if reflection else "",
        do_differently="Eerder bellen" if reflection else "",
        missed_chances="Geen" if reflection else "",
    )
    low = lwc_answers(income=(4, 2, 2))
    make_measurement(trajectory, "lwc", low, taken_on=quarter.first - dt.timedelta(days=90))
    make_measurement(trajectory, "lwc", lwc_answers(), taken_on=day - dt.timedelta(days=5))
    return trajectory


@pytest.fixture
def practice(professional, colleague, team):
    for index in range(12):
        ended(professional if index < 9 else colleague, team, reflection=index % 4 != 0, agreed=index != 1)
    return team


@pytest.mark.django_db
def test_shares_and_change_per_team(practice, professional, team):
    data = figures.compute(professional.organisation_id)
    quarter = last_quarter().key
    team_figures = data["scopes"][f"team:{team.pk}"][quarter]
    assert team_figures["reflection"] == {"n": 12, "share": 75.0}
    assert team_figures["plan_sources"]["n"] == 12 and team_figures["plan_sources"]["share"] == 100.0
    assert team_figures["plan_agreed"]["share"] == pytest.approx(91.7)
    change = [v for v in team_figures["change"].values() if v["n"]]
    assert change and change[0]["median"] == 1  # income came into the set
    assert data["scopes"]["org"][quarter]["reflection"]["n"] == 12


@pytest.mark.django_db
def test_small_numbers_are_never_stored(practice, professional, colleague):
    data = figures.compute(professional.organisation_id)
    quarter = last_quarter().key
    # The colleague has three trajectories: too few, for every figure.
    mine = data["scopes"][f"pro:{colleague.pk}"][quarter]
    assert mine["reflection"]["n"] is None and mine["reflection"]["share"] is None
    assert all(v == {"n": None} for v in mine["change"].values())
    # A quarter without trajectories shows nothing either.
    first = data["quarters"][0]
    assert data["scopes"][f"team:{practice.pk}"][first]["reflection"]["n"] is None


@pytest.mark.django_db
def test_the_team_leads_page_has_no_professional_in_it(client, practice, team_lead, professional, colleague):
    client.force_login(team_lead)
    response = client.get(reverse("quality:team"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "75%" in html
    for person in (professional, colleague):
        assert person.last_name not in html
        assert person.first_name not in html


@pytest.mark.django_db
def test_a_professional_sees_own_figures_beside_the_team(client, practice, professional):
    client.force_login(professional)
    response = client.get(reverse("quality:mine"))
    assert response.status_code == 200
    own = response.context["own"]
    reflection = next(r for r in own.rows if r.key == "reflection")
    assert reflection.cells[-2].n is None  # nine trajectories: fewer than ten
    assert response.context["tables"][0].title == str(practice)


@pytest.mark.django_db
def test_other_organisation_sees_only_its_own(client, practice):
    other = UserFactory(role=Role.TEAM_LEAD)
    client.force_login(other)
    response = client.get(reverse("quality:team"))
    assert response.status_code == 200
    assert "75%" not in response.content.decode()


@pytest.mark.django_db
def test_stale_figures_are_computed_again(practice, professional, settings):
    snapshot = figures.refresh(professional.organisation_id)
    assert not selectors.is_stale(snapshot)
    later = timezone.now() + dt.timedelta(hours=settings.QUALITY_MAX_AGE_HOURS + 1)
    assert selectors.is_stale(snapshot, now=later)


def test_quarters():
    assert Quarter.of(dt.date(2026, 12, 2)).key == "2026-Q4"
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2026, 1).last == dt.date(2026, 3, 31)
    assert [q.key for q in recent_quarters(dt.date(2026, 2, 1), 3)] == ["2025-Q3", "2025-Q4", "2026-Q1"]


@pytest.mark.django_db
def test_client_experience_per_team(practice, professional, team, client, team_lead):
    """The client-experience questionnaire (the instrument with ``roles.quality: experience``): per team the
    median of each trajectory's latest answer in the quarter."""
    from waardewerk.trajectories.models import Trajectory

    quarter = last_quarter()
    statements = ("serious", "decide", "listen", "explain", "reliable", "trust")
    for index, trajectory in enumerate(Trajectory.objects.filter(team=team)):
        answers = dict.fromkeys(statements, 4 if index % 2 else 5)
        make_measurement(trajectory, "ervaring", answers, taken_on=quarter.first + dt.timedelta(days=3))
    data = figures.compute(professional.organisation_id)
    assert data["scopes"][f"team:{team.pk}"][quarter.key]["experience"]["n"] == 12
    assert data["scopes"][f"team:{team.pk}"][quarter.key]["experience"]["median"] == 4.5
    client.force_login(team_lead)
    rows = client.get(reverse("quality:team")).context["tables"][0].rows
    assert (
        next(r for r in rows if r.key == "experience")
        .cells[-2]
        .text.startswith(("median 4.5", "mediaan 4.5"))
    )


def test_the_experience_role_needs_a_mean_and_the_client():
    from waardewerk.instruments.definition import DefinitionError, parse_definition

    with open(figures.__file__.replace("quality/figures.py", "instruments/definitions/ervaring.yaml")) as f:
        text = f.read()
    assert parse_definition(text)["roles"]["quality"] == "experience"
    with pytest.raises(DefinitionError, match="roles.quality"):
        parse_definition(text.replace("respondents: [client]", "respondents: [professional]"))


@pytest.mark.django_db
def test_quarterly_report_csv_and_pdf(client, practice, team_lead, professional):
    client.force_login(team_lead)
    url = reverse("quality:report", args=[practice.uuid])
    csv_text = client.get(url + "?format=csv").content.decode("utf-8-sig")
    header, *rows = csv_text.splitlines()
    assert last_quarter().key in header
    assert any(
        row.startswith(("Evaluatie met reflectie", "Evaluation with reflection")) and "75%" in row
        for row in rows
    )
    assert professional.last_name not in csv_text
    pdf = client.get(url + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    bad = client.get(url + "?format=xls")
    assert bad.status_code == 400 and b"pdf" in bad.content
    # A team the team lead does not lead: the 404 of a team that does not exist.
    from tests.factories import TeamFactory

    other = TeamFactory(organisation=team_lead.organisation, name="Ander team")
    assert client.get(reverse("quality:report", args=[other.uuid]) + "?format=csv").status_code == 404


@pytest.mark.django_db
def test_intervision_participation_counts_recorded_attendance(
    settings, professional, colleague, team_lead, team
):
    """Only members the facilitator recorded present count; apologies, absence and a session without
    recorded attendance do not (calculation version 4)."""
    from waardewerk.intervision import services as intervision_services
    from waardewerk.intervision.models import IntervisionGroup

    settings.INSIGHTS_MIN_CELL_SIZE = 5
    assert figures.METHOD == 4
    quarter = last_quarter()
    workers = [professional, colleague, team_lead]
    for _index in range(3):
        extra = UserFactory(organisation=professional.organisation, role=Role.PROFESSIONAL)
        extra.teams.add(team)
        workers.append(extra)
    group = IntervisionGroup.objects.create(organisation=professional.organisation, name="OT-groep")
    group.members.set(workers)
    session = intervision_services.session_create(
        actor=professional, group=group, date=quarter.first, method_key="incident", facilitator=professional
    )
    statuses = {w.pk: "present" for w in workers[:2]} | {workers[2].pk: "apologies"}
    statuses |= {w.pk: "absent" for w in workers[3:]}
    intervision_services.attendance_record(actor=professional, session=session, statuses=statuses)
    intervision_services.session_create(  # attendance not recorded: counts for nobody
        actor=professional,
        group=group,
        date=quarter.first + dt.timedelta(days=7),
        method_key="incident",
        facilitator=professional,
    )
    data = figures.compute(professional.organisation_id)
    share = data["scopes"][f"team:{team.pk}"][quarter.key]["intervision"]
    assert share["n"] == 6 and share["share"] == pytest.approx(33.3)  # two of the six were present
