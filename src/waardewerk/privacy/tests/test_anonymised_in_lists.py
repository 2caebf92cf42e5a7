"""An anonymised file (docs/privacy.md, "Anonymise") is no client any more: its row stays only for the
figures. The staff's lists leave it out (docs/privacy.md, "Anonymised files in lists"): the search box (by
name, "[geanonimiseerd]" or the date of birth kept as 1 January), the access log's client filter, the start
page's follow-ups, the employer's page (counted, not listed); the caseload, the team overview and the agenda
never held it (open trajectories, appointments destroyed)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory
from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT
from waardewerk.audit.services import audit_record
from waardewerk.clients.models import ANONYMISED_NAME, Client, anonymised
from waardewerk.matching import selectors as matching_selectors
from waardewerk.matching import services as matching
from waardewerk.matching.worksignals import follow_up_items, follow_up_trajectories
from waardewerk.privacy import services
from waardewerk.privacy.anonymise import MARK
from waardewerk.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def _ended_with_placement(professional, team, employer, job, last_name, born):
    """A trajectory ended 30 days ago with a placement of 100 days ago (its 1- and 3-month follow-ups due)."""
    today = timezone.localdate()
    trajectory = TrajectoryFactory(
        responsible=professional,
        team=team,
        client__organisation=professional.organisation,
        client__first_name="Sam",
        client__last_name=last_name,
        client__date_of_birth=born,
        start_date=today - dt.timedelta(days=400),
    )
    matching.placement_create(
        actor=professional,
        trajectory=trajectory,
        job=job,
        start_date=today - dt.timedelta(days=100),
        hours=24,
    )
    Trajectory.objects.filter(pk=trajectory.pk).update(
        end_date=today - dt.timedelta(days=30), end_reason="paid_work"
    )
    return trajectory


@pytest.fixture
def files(professional, team):
    """Two clients born on 1 January 1980, both placed at the same employer: one file anonymised, one not."""
    employer = matching.employer_create(actor=professional, name="Groen", kvk_number="90000001")
    job = matching.job_create(actor=professional, employer=employer, title="Hovenier", occupation="0912")
    kept = _ended_with_placement(professional, team, employer, job, "Geanobaan", dt.date(1980, 1, 1))
    gone = _ended_with_placement(professional, team, employer, job, "Visser", dt.date(1980, 6, 15))
    services.anonymise_client(actor=None, client=gone.client)
    gone.client.refresh_from_db()
    gone.refresh_from_db()
    TrajectoryFactory(  # an open one, so the caseload and the team overview have a row
        responsible=professional, team=team, client__organisation=professional.organisation
    )
    return kept, gone, employer


def test_the_mark_recognises_the_anonymised_file_only(files):
    kept, gone, _employer = files
    assert MARK == ANONYMISED_NAME
    assert gone.client.is_anonymised and not kept.client.is_anonymised
    assert gone.client.date_of_birth == dt.date(1980, 1, 1)  # the year kept, as 1 January
    assert list(Client.objects.filter(anonymised())) == [gone.client]


def test_the_search_box_leaves_it_out(login, professional, files):
    kept, gone, _employer = files
    c = login(professional)
    for text in ("1-1-1980", "geano", "[geanonimiseerd]"):
        response = c.get(reverse("clients:search"), {"q": text})
        found = [row["client"] for row in response.context["rows"]]
        assert gone.client not in found, text
        assert str(gone.client.uuid) not in response.content.decode(), text
    response = c.get(reverse("clients:search"), {"q": "1-1-1980"})
    # A closed file that was not anonymised is found as before.
    assert [row["client"] for row in response.context["rows"]] == [kept.client]
    assert response.context["page"].paginator.count == 1


def test_caseload_team_and_agenda_do_not_show_it(login, professional, team_lead, files):
    c = login(professional)
    for url in (reverse("trajectories:caseload"), reverse("agenda:week")):
        response = c.get(url)
        assert response.status_code == 200, url
        assert ANONYMISED_NAME not in response.content.decode(), url
    c = login(team_lead)
    team = c.get(reverse("trajectories:team"))
    assert team.status_code == 200 and ANONYMISED_NAME not in team.content.decode()


def test_the_start_page_leaves_out_its_follow_ups(login, professional, files):
    kept, gone, _employer = files
    today = timezone.localdate()
    titles = {item.title for item in follow_up_items(professional, today)}
    assert titles == {kept.client.sort_name}
    assert set(follow_up_trajectories(Trajectory.objects.all(), today)) == {kept}
    html = login(professional).get(reverse("workday:today")).content.decode()
    assert kept.client.last_name in html and ANONYMISED_NAME not in html


def test_the_employer_page_counts_it_but_does_not_list_it(login, professional, files):
    kept, gone, employer = files
    work = matching_selectors.employer_work(professional, employer)
    assert [p.trajectory for p in work.placements] == [kept]
    assert work.counts["placements"] == 2  # the figures still count the anonymised file's placement
    html = login(professional).get(reverse("matching:employer", args=[employer.uuid])).content.decode()
    assert kept.client.sort_name in html and ANONYMISED_NAME not in html


def test_the_access_logs_client_filter_does_not_find_it(client, functional_admin, professional, files):
    kept, gone, _employer = files
    for trajectory in (kept, gone):
        audit_record(actor=professional, action="view", client=trajectory.client, obj=trajectory)
    client.force_login(functional_admin)
    session = client.session
    session[TWO_FACTOR_VERIFIED_AT] = 1
    session.save()
    page = client.get(reverse("audit:log"), {"client": "1-1-1980"})
    assert {e.client_uuid for e in page.context["page"].object_list} == {kept.client.uuid}
    by_id = client.get(reverse("audit:log"), {"client": str(gone.client.uuid)})  # by public id it still opens
    assert {e.client_uuid for e in by_id.context["page"].object_list} == {gone.client.uuid}
