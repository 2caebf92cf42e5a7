"""Access rules of the development pages (merged into tests/test_access.py::MATRIX).

The world's professional owns a private development log: an activity with evidence, a learning goal from
its reflection, and a mentor relation in which they are the mentee (their mentor is a separate colleague).
Nothing is shared, so the colleague, the team lead and the functional administrator get the same 404 as for
an item that does not exist; the pages that name no object are the professional's and the team lead's own.
Mentor, mentee, sharing with the team lead and the second organisation are in
tests/test_access_development.py; a client's portal session opens none of these pages
(tests/test_access_portal.py::test_a_client_session_opens_no_staff_page).
"""

import datetime as dt
import uuid
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.matrix import LOGIN, no_object, org_a_object

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = dt.date(2026, 3, 10)

CASE_WORKERS = no_object(
    {"anonymous": LOGIN, "professional": 200, "colleague": 200, "team_lead": 200, "functional_admin": 403}
)
OWNER = org_a_object(
    {"anonymous": LOGIN, "professional": 200, "colleague": 404, "team_lead": 404, "functional_admin": 404}
)
OWNER_POST = OWNER | {"professional": 302}


def evidence_file(name="certificaat.pdf", data=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def development_world(w) -> dict:
    """The professional's activity (with evidence), a goal from it and a mentor relation with a separate
    mentor. Made once per world."""
    if w["trajectory"].pk is None:  # the "unknown object" test: objects that do not exist
        fake = SimpleNamespace(uuid=uuid.uuid4(), version=1)
        return {"activity": fake, "goal": fake, "mentorship": fake, "mentor": fake}
    if "_development" not in w:
        from tests.factories import UserFactory
        from waardewerk.accounts.models import Role
        from waardewerk.development import services

        owner = w["trajectory"].responsible
        mentor = UserFactory(
            organisation=owner.organisation, role=Role.PROFESSIONAL, first_name="Mo", last_name="Mentor"
        )
        activity = services.activity_create(
            actor=owner,
            kind="course",
            title="Motiverende gespreksvoering",
            pe_id="PE-12345",
            date=DAY,
            hours=8,
            points=8,
            registers=["registerplein"],
            reflections={"reflection_personal": "Ik luister beter."},
            evidence=evidence_file(),
        )
        goal = services.goal_create(
            actor=owner, title="Meer open vragen stellen", sources={"source_activity": activity}
        )
        mentorship = services.mentorship_start(actor=owner, mentor=mentor)
        w["_development"] = {"activity": activity, "goal": goal, "mentorship": mentorship, "mentor": mentor}
    return w["_development"]


def _url(name, key):
    return lambda w: reverse(name, args=[development_world(w)[key].uuid])


def activity_post(w):
    return {
        "base_version": development_world(w)["activity"].version,
        "kind": "course",
        "title": "Motiverende gespreksvoering (dag 2)",
        "pe_id": "PE-12345",
        "date": DAY.isoformat(),
        "hours": "4",
        "points": "4",
        "registers": ["registerplein", "skj"],
    }


def goal_post(w):
    return {
        "base_version": development_world(w)["goal"].version,
        "title": "Vaker doorvragen",
        "status": "working",
    }


def _export(w):
    return (
        reverse("development:export") + "?register=registerplein&start=2026-01-01&end=2026-12-31&format=csv"
    )


MATRIX = {
    "development:log": ("get", lambda w: reverse("development:log"), None, CASE_WORKERS),
    "development:activity_new": ("get", lambda w: reverse("development:activity_new"), None, CASE_WORKERS),
    "development:activity": ("get", _url("development:activity", "activity"), None, OWNER),
    "development:activity_edit": (
        "post",
        _url("development:activity_edit", "activity"),
        activity_post,
        OWNER_POST,
    ),
    "development:activity_delete": (
        "post",
        _url("development:activity_delete", "activity"),
        None,
        OWNER_POST,
    ),
    "development:activity_restore": (
        "post",
        _url("development:activity_restore", "activity"),
        None,
        OWNER_POST,
    ),
    "development:evidence": ("get", _url("development:evidence", "activity"), None, OWNER),
    "development:goal_new": ("get", lambda w: reverse("development:goal_new"), None, CASE_WORKERS),
    "development:goal": ("get", _url("development:goal", "goal"), None, OWNER),
    "development:goal_edit": ("post", _url("development:goal_edit", "goal"), goal_post, OWNER_POST),
    "development:goal_progress": (
        "post",
        _url("development:goal_progress", "goal"),
        lambda w: {"date": DAY.isoformat(), "note": "Twee gesprekken met alleen open vragen."},
        OWNER_POST,
    ),
    "development:export": ("get", _export, None, CASE_WORKERS),
    "development:shared": ("get", lambda w: reverse("development:shared"), None, CASE_WORKERS),
    "development:mentoring": ("get", lambda w: reverse("development:mentoring"), None, CASE_WORKERS),
    "development:mentorship_new": (
        "get",
        lambda w: reverse("development:mentorship_new"),
        None,
        CASE_WORKERS,
    ),
    "development:mentorship": ("get", _url("development:mentorship", "mentorship"), None, OWNER),
    "development:mentorship_notes": (
        "post",
        _url("development:mentorship_notes", "mentorship"),
        lambda w: {
            "base_version": development_world(w)["mentorship"].version,
            "notes": "Afspraak: elke maand.",
        },
        OWNER_POST,
    ),
    "development:meeting_new": (
        "post",
        _url("development:meeting_new", "mentorship"),
        lambda w: {"date": dt.date.today().isoformat(), "summary": "Kennismaking."},
        OWNER_POST,
    ),
    "development:mentorship_end": (
        "post",
        _url("development:mentorship_end", "mentorship"),
        None,
        OWNER_POST,
    ),
}
