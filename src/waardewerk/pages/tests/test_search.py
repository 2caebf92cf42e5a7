"""The search box (clients.search, pages.search; docs/search.md)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import ClientFactory, TrajectoryFactory
from waardewerk.audit.models import AccessEvent
from waardewerk.clients import services
from waardewerk.clients.search import BSN, DATE_OF_BIRTH, NAME, parse_client_query

BORN = dt.date(1980, 2, 3)


def test_parse_tells_name_bsn_and_date_apart():
    assert parse_client_query("  Öztürk ").words == ("ozturk",) and parse_client_query("ozturk").kind == NAME
    assert parse_client_query("De Vries").words == ("de", "vries")
    assert parse_client_query("111 222 333").kind == BSN
    assert parse_client_query("10000021").kind == BSN  # eight digits: a BSN without its leading zero
    assert parse_client_query("3-2-1980").date_of_birth == BORN
    assert parse_client_query("03/02/1980").kind == DATE_OF_BIRTH
    for bad in ("123456789", "1234", "31-02-1980", "a", "-", "x" * 101):
        query = parse_client_query(bad)
        assert not query and query.error, bad
    assert not parse_client_query("") and not parse_client_query("").error


def _names(response) -> str:
    return response.content.decode()


@pytest.fixture
def people(professional, colleague):
    org = professional.organisation
    turk = ClientFactory(
        organisation=org, first_name="Ayşe", last_name="Öztürk", date_of_birth=BORN, bsn="111222333"
    )
    TrajectoryFactory(client=turk, responsible=professional)
    vries = ClientFactory(organisation=org, first_name="Jan", infix="de", last_name="Vries")
    TrajectoryFactory(
        client=vries, responsible=professional, end_date=dt.date(2025, 3, 1), end_reason="other"
    )
    # Registered by the professional, no trajectory yet.
    waiting = services.client_register(
        actor=professional, data={"first_name": "Fleur", "last_name": "Vriesman", "date_of_birth": BORN}
    )
    theirs = ClientFactory(organisation=org, first_name="Piet", last_name="de Vries", date_of_birth=BORN)
    TrajectoryFactory(client=theirs, responsible=colleague)
    return {"turk": turk, "vries": vries, "waiting": waiting, "theirs": theirs}


def _search(c, q, page=None):
    params = {"q": q} | ({"page": page} if page else {})
    return c.get(reverse("clients:search"), params)


@pytest.mark.django_db
def test_search_by_name_ignores_accents_case_and_finds_without_open_trajectory(login, professional, people):
    c = login(professional)
    page = _names(_search(c, "ozturk"))
    assert "Öztürk, Ayşe" in page
    assert str(people["turk"].uuid) in page
    page = _names(_search(c, "de vries"))
    assert str(people["vries"].uuid) in page and str(people["theirs"].uuid) not in page
    page = _names(_search(c, "VRIES"))
    assert str(people["vries"].uuid) in page and str(people["waiting"].uuid) in page
    assert str(people["theirs"].uuid) not in page  # the colleague's client: not visible, not found
    assert str(people["turk"].uuid) not in page


@pytest.mark.django_db
def test_rows_say_open_closed_or_not_started_and_who_is_responsible(login, professional, people):
    c = login(professional)
    response = _search(c, "vries")
    rows = {row["client"].pk: row for row in response.context["rows"]}
    assert rows[people["vries"].pk]["state"] == "closed"
    assert rows[people["waiting"].pk]["state"] == "none" and rows[people["waiting"].pk]["responsible"] == ""
    rows = {row["client"].pk: row for row in _search(c, "ozturk").context["rows"]}
    assert rows[people["turk"].pk]["state"] == "open"
    assert rows[people["turk"].pk]["responsible"] == str(professional)


@pytest.mark.django_db
def test_search_by_bsn_and_date_of_birth(login, professional, people):
    c = login(professional)
    page = _names(_search(c, "111.222.333"))
    assert str(people["turk"].uuid) in page
    assert "111222333" not in page.replace('value="111.222.333"', "")
    page = _names(_search(c, "3-2-1980"))
    assert str(people["turk"].uuid) in page and str(people["waiting"].uuid) in page
    assert str(people["theirs"].uuid) not in page


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["123456789", "31-02-1980", "1234", "ä"])
def test_bad_input_gets_a_message(login, professional, people, q):
    response = _search(login(professional), q)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in _names(response)


@pytest.mark.django_db
def test_every_client_shown_is_a_read_and_the_text_is_not_logged(login, professional, people, settings):
    settings.WAARDEWERK_PAGE_SIZE = 1
    c = login(professional)
    _search(c, "vries")
    reads = AccessEvent.objects.filter(object_type="client_search", action="view", actor_id=professional.pk)
    assert reads.count() == 1
    search = AccessEvent.objects.get(object_type="client_search", action="search")
    assert search.detail == {"by": "name", "found": 2, "page": 1}
    _search(c, "111222333")
    assert not AccessEvent.objects.filter(detail__icontains="111222333").exists()


@pytest.mark.django_db
def test_header_has_the_search_box_for_case_workers_only(login, professional, functional_admin):
    assert 'id="header-search"' in _names(login(professional).get(reverse("trajectories:caseload")))
    assert 'id="header-search"' not in _names(login(functional_admin).get(reverse("accounts:organisation")))


@pytest.mark.django_db
def test_paging(login, professional, settings):
    settings.WAARDEWERK_PAGE_SIZE = 2
    for i in range(5):
        TrajectoryFactory(
            responsible=professional,
            client__organisation=professional.organisation,
            client__last_name=f"Bakker{i}",
        )
    c = login(professional)
    first, last = _search(c, "bakker"), _search(c, "bakker", page=3)
    assert first.context["page"].paginator.count == 5 and len(first.context["rows"]) == 2
    assert len(last.context["rows"]) == 1 and "q=bakker" in _names(first)
