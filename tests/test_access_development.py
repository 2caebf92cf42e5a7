"""Every development URL for the roles the log knows: the owner (who is also a mentee), their mentor, the
mentor's own log seen by the mentee, the team lead of the owner's team, another professional, the
functional administrator, three roles of another organisation and a client in the portal.

The owner shares one activity with both mentor and team lead and one goal with the mentor only; their
other activity and goal are private. Whoever an item is shared with reads it but may not change it (403);
for everyone else it does not exist (404). The first organisation's generic roles are in
tests/access_development.py."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.access_development import PDF, evidence_file
from tests.factories import OrganisationFactory, TrajectoryFactory, UserFactory
from tests.portal_helpers import log_in_client
from waardewerk.accounts.models import Role
from waardewerk.development import services

DAY = dt.date(2026, 4, 2)
ROLES = [
    "owner",
    "mentor",
    "team_lead",
    "other_professional",
    "functional_admin",
    "other_org_professional",
    "other_org_team_lead",
    "other_org_admin",
    "client",
    "anonymous",
]
LOGIN = "login"
OUTSIDE = {
    "other_professional": 404,
    "functional_admin": 404,
    "other_org_professional": 404,
    "other_org_team_lead": 404,
    "other_org_admin": 404,
    "client": LOGIN,
    "anonymous": LOGIN,
}
PAGE = {  # a page that names no object: every case worker has their own
    "owner": 200,
    "mentor": 200,
    "team_lead": 200,
    "other_professional": 200,
    "functional_admin": 403,
    "other_org_professional": 200,
    "other_org_team_lead": 200,
    "other_org_admin": 403,
    "client": LOGIN,
    "anonymous": LOGIN,
}


def _activity(owner, title, **extra):
    return services.activity_create(
        actor=owner,
        kind="supervision",
        title=title,
        date=DAY,
        hours=2,
        points=2,
        registers=["registerplein"],
        evidence=evidence_file(),
        **extra,
    )


@pytest.fixture
def w(professional, team_lead, colleague, functional_admin):
    org = professional.organisation
    mentor = UserFactory(organisation=org, role=Role.PROFESSIONAL, first_name="Mo", last_name="Mentor")
    other = OrganisationFactory(name="Andere Gemeente")
    shared = _activity(professional, "Gedeelde supervisie", shared_with_mentor=True, shared_with_lead=True)
    private = _activity(professional, "Prive supervisie")
    mentor_private = _activity(mentor, "Eigen cursus van de mentor")
    goal_shared = services.goal_create(actor=professional, title="Gedeeld doel", shared_with_mentor=True)
    goal_private = services.goal_create(actor=professional, title="Prive doel")
    mentorship = services.mentorship_start(actor=professional, mentor=mentor)
    client = TrajectoryFactory(responsible=professional, client__organisation=org).client
    return {
        "users": {
            "owner": professional,
            "mentor": mentor,
            "team_lead": team_lead,
            "other_professional": colleague,
            "functional_admin": functional_admin,
            "other_org_professional": UserFactory(organisation=other, role=Role.PROFESSIONAL),
            "other_org_team_lead": UserFactory(organisation=other, role=Role.TEAM_LEAD),
            "other_org_admin": UserFactory(organisation=other, role=Role.FUNCTIONAL_ADMIN),
        },
        "client": client,
        "shared": shared,
        "private": private,
        "mentor_private": mentor_private,
        "goal_shared": goal_shared,
        "goal_private": goal_private,
        "mentorship": mentorship,
    }


def _obj(name, key):
    return lambda w: reverse(name, args=[w[key].uuid])


def _activity_post(w):
    return {"base_version": 1, "kind": "supervision", "title": "X", "date": DAY, "hours": 1, "points": 1}


READ_SHARED = {"owner": 200, "mentor": 200, "team_lead": 200, **OUTSIDE}
WRITE_SHARED = {"owner": 302, "mentor": 403, "team_lead": 403, **OUTSIDE}
READ_PRIVATE = {"owner": 200, "mentor": 404, "team_lead": 404, **OUTSIDE}
WRITE_PRIVATE = READ_PRIVATE | {"owner": 302}
RELATION = {"owner": 200, "mentor": 200, "team_lead": 404, **OUTSIDE}
RELATION_POST = RELATION | {"owner": 302, "mentor": 302}

# name -> (method, url, data, expected); every development URL at least once.
CASES = {
    "log": ("get", lambda w: reverse("development:log"), None, PAGE),
    "activity_new": ("get", lambda w: reverse("development:activity_new"), None, PAGE),
    "activity shared": ("get", _obj("development:activity", "shared"), None, READ_SHARED),
    "activity private": ("get", _obj("development:activity", "private"), None, READ_PRIVATE),
    "activity of the mentor, for the mentee": (
        "get",
        _obj("development:activity", "mentor_private"),
        None,
        READ_PRIVATE | {"owner": 404, "mentor": 200},
    ),
    "activity_edit shared": (
        "post",
        _obj("development:activity_edit", "shared"),
        _activity_post,
        WRITE_SHARED,
    ),
    "activity_edit private": (
        "post",
        _obj("development:activity_edit", "private"),
        _activity_post,
        WRITE_PRIVATE,
    ),
    "activity_delete shared": ("post", _obj("development:activity_delete", "shared"), None, WRITE_SHARED),
    "activity_restore shared": ("post", _obj("development:activity_restore", "shared"), None, WRITE_SHARED),
    "evidence shared": ("get", _obj("development:evidence", "shared"), None, READ_SHARED),
    "evidence private": ("get", _obj("development:evidence", "private"), None, READ_PRIVATE),
    "goal_new": ("get", lambda w: reverse("development:goal_new"), None, PAGE),
    "goal shared with the mentor": (
        "get",
        _obj("development:goal", "goal_shared"),
        None,
        READ_SHARED | {"team_lead": 404},
    ),
    "goal private": ("get", _obj("development:goal", "goal_private"), None, READ_PRIVATE),
    "goal_edit shared": (
        "get",
        _obj("development:goal_edit", "goal_shared"),
        None,
        READ_SHARED | {"mentor": 403, "team_lead": 404},
    ),
    "goal_progress shared": (
        "post",
        _obj("development:goal_progress", "goal_shared"),
        lambda w: {"date": DAY, "note": "Stap"},
        WRITE_SHARED | {"team_lead": 404},
    ),
    "export": (
        "get",
        lambda w: (
            reverse("development:export")
            + "?register=registerplein&start=2026-01-01&end=2026-12-31&format=pdf"
        ),
        None,
        PAGE,
    ),
    "shared": ("get", lambda w: reverse("development:shared"), None, PAGE),
    "mentoring": ("get", lambda w: reverse("development:mentoring"), None, PAGE),
    "mentorship_new": ("get", lambda w: reverse("development:mentorship_new"), None, PAGE),
    "mentorship": ("get", _obj("development:mentorship", "mentorship"), None, RELATION),
    "mentorship_notes": (
        "post",
        _obj("development:mentorship_notes", "mentorship"),
        lambda w: {"base_version": w["mentorship"].version, "notes": "Samen"},
        RELATION_POST,
    ),
    "meeting_new": (
        "post",
        _obj("development:meeting_new", "mentorship"),
        lambda w: {"date": dt.date.today(), "summary": "Gesprek"},
        RELATION_POST,
    ),
    "mentorship_end": ("post", _obj("development:mentorship_end", "mentorship"), None, RELATION_POST),
}


def test_every_development_url_is_here():
    from tests.access_development import MATRIX

    assert {name.removeprefix("development:") for name in MATRIX} == {name.split(" ")[0] for name in CASES}


def _browser(role, w) -> Client:
    browser = Client()
    if role == "client":
        log_in_client(browser, w["client"])
    elif role != "anonymous":
        browser.force_login(w["users"][role])
    return browser


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(CASES))
def test_access(w, case):
    from django.db import transaction

    method, url_for, data_for, expected = CASES[case]
    answers = {}
    for role in ROLES:
        with transaction.atomic():
            response = getattr(_browser(role, w), method)(url_for(w), data_for(w) if data_for else None)
            transaction.set_rollback(True)
        to_login = response.status_code == 302 and response["Location"].startswith(reverse("login"))
        answers[role] = LOGIN if (to_login and expected[role] == LOGIN) else response.status_code
    wrong = {role: (answers[role], expected[role]) for role in ROLES if answers[role] != expected[role]}
    assert not wrong, f"{case}: role -> (answer, expected): {wrong}"


@pytest.mark.django_db
def test_the_shared_page_shows_what_was_shared_and_nothing_else(w):
    for role, sees in (
        ("mentor", {"Gedeelde supervisie", "Gedeeld doel"}),
        ("team_lead", {"Gedeelde supervisie"}),
        ("other_professional", set()),
        ("other_org_team_lead", set()),
    ):
        body = _browser(role, w).get(reverse("development:shared")).content.decode()
        for title in ("Gedeelde supervisie", "Prive supervisie", "Gedeeld doel", "Prive doel"):
            assert (title in body) == (title in sees), (role, title)


@pytest.mark.django_db
def test_the_evidence_is_the_file_and_its_download_is_logged(w):
    from waardewerk.audit.models import AccessEvent

    response = _browser("team_lead", w).get(reverse("development:evidence", args=[w["shared"].uuid]))
    assert response.content == PDF and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert AccessEvent.objects.filter(actor_username=w["users"]["team_lead"].username, action="view").exists()
