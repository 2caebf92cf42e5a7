"""Access rules of the matching pages (merged into tests/test_access.py::MATRIX; docs/authorization.md).

Employers and jobs are the organisation's, not client data: every case worker of the organisation reads
and keeps them (200, or 302 after a change); the functional administrator and the knowledge editor have no
part in them (403 on the pages without an object, 404 for an employer or job); another organisation's staff
get 404. A client's fit list, the decisions on it and a new placement follow the dossier (``DOSSIER``): the
responsible professional, 403 for the team lead who knows the trajectory, 404 for everyone else; a placement
and its follow-ups are parts of the dossier (``DOSSIER_PART``: 404 for the team lead too). The client's side
(``portal:jobs``, ``portal:job_respond``, ``portal:availability``) is in tests/access_portal.py.
"""

import secrets
import uuid
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from tests.matrix import (
    DOSSIER,
    DOSSIER_PART,
    DOSSIER_PART_POST,
    DOSSIER_POST,
    LOGIN,
    ROLES,
    no_object,
    org_a_object,
)

CASE_WORKERS = no_object(
    {
        "anonymous": LOGIN,
        "professional": 200,
        "colleague": 200,
        "team_lead": 200,
        "functional_admin": 403,
        "knowledge_editor": 403,
    }
)
ORGANISATION = org_a_object(
    {
        "anonymous": LOGIN,
        "professional": 200,
        "colleague": 200,
        "team_lead": 200,
        "functional_admin": 404,
        "knowledge_editor": 404,
    }
)
ORGANISATION_POST = ORGANISATION | {"professional": 302, "colleague": 302, "team_lead": 302}


def matching_world(w) -> dict:
    """An employer with a contact person and a job with a value profile, and the job proposed to the
    world's client (made once per world)."""
    if w["trajectory"].pk is None:  # the "unknown object" test: objects that do not exist
        fake = SimpleNamespace(uuid=uuid.uuid4(), pk=0, version=1, month=1)
        return {
            "employer": fake,
            "contact": fake,
            "job": fake,
            "proposal": fake,
            "placement": fake,
            "follow_up": fake,
        }
    if "_matching" not in w:
        from waardewerk.matching.models import ContactPerson, Employer, FollowUp, Job, Placement, Proposal

        trajectory = w["trajectory"]
        employer = Employer.objects.create(
            organisation=trajectory.organisation,
            name="Zorggroep De Linde",
            kvk_number="87654321",
            profile={"contacts": 5},
        )
        contact = ContactPerson.objects.create(employer=employer, name="Mira de Wit", function="HR")
        job = Job.objects.create(
            employer=employer,
            title="Medewerker facilitair",
            occupation="1115",
            hours=24,
            profile={"income": 4},
        )
        proposal = Proposal.objects.create(
            trajectory=trajectory,
            job=job,
            decision="propose",
            reason="Past bij wat zij belangrijk vindt",
            fit={"matched": ["income"], "gaps": []},
            decided_by=trajectory.responsible,
            decided_at=timezone.now(),
        )
        placement = Placement.objects.create(
            trajectory=trajectory, job=job, start_date=trajectory.start_date, hours=24
        )
        follow_up = FollowUp.objects.create(placement=placement, month=1, due_on=trajectory.start_date)
        w["_matching"] = {
            "employer": employer,
            "contact": contact,
            "job": job,
            "proposal": proposal,
            "placement": placement,
            "follow_up": follow_up,
        }
    return w["_matching"]


def _url(name, key):
    return lambda w: reverse(name, args=[matching_world(w)[key].uuid])


def _employer_post(w):
    return {"base_version": 1, "name": "Zorggroep De Linde", "kvk_number": "87654321", "city": "Deventer"}


def _job_post(w):
    return {"base_version": 1, "title": "Medewerker facilitair", "occupation": "1115", "hours": "24"}


MATRIX = {
    "matching:employers": ("get", lambda w: reverse("matching:employers"), None, CASE_WORKERS),
    "matching:employer_new": ("get", lambda w: reverse("matching:employer_new"), None, CASE_WORKERS),
    "matching:employer": ("get", _url("matching:employer", "employer"), None, ORGANISATION),
    "matching:employer_edit": (
        "post",
        _url("matching:employer_edit", "employer"),
        _employer_post,
        ORGANISATION_POST,
    ),
    "matching:employer_profile": (
        "post",
        _url("matching:employer_profile", "employer"),
        lambda w: {"base_version": 1, "income": "3"},
        ORGANISATION_POST,
    ),
    "matching:contact_new": (
        "post",
        _url("matching:contact_new", "employer"),
        lambda w: {"name": "Ravi Pinas"},
        ORGANISATION_POST,
    ),
    "matching:contact_remove": ("post", _url("matching:contact_remove", "contact"), None, ORGANISATION_POST),
    "matching:job_new": ("post", _url("matching:job_new", "employer"), _job_post, ORGANISATION_POST),
    "matching:job": ("get", _url("matching:job", "job"), None, ORGANISATION),
    "matching:job_edit": ("post", _url("matching:job_edit", "job"), _job_post, ORGANISATION_POST),
    "matching:job_profile": (
        "post",
        _url("matching:job_profile", "job"),
        lambda w: {"base_version": 1, "income": "5"},
        ORGANISATION_POST,
    ),
    "matching:fit": ("get", lambda w: reverse("matching:fit", args=[w["trajectory"].uuid]), None, DOSSIER),
    "matching:decide": (
        "post",
        lambda w: reverse("matching:decide", args=[w["trajectory"].uuid, matching_world(w)["job"].uuid]),
        lambda w: {
            f"j{matching_world(w)['job'].pk}-decision": "not_now",
            f"j{matching_world(w)['job'].pk}-reason": "Eerst een opleiding",
        },
        DOSSIER_POST,
    ),
    # The client's availability and strengths, recorded with the client: the fit list's rule.
    "matching:availability": (
        "get",
        lambda w: reverse("matching:availability", args=[w["trajectory"].uuid]),
        None,
        DOSSIER,
    ),
    "matching:share": ("post", _url("matching:share", "proposal"), None, DOSSIER_PART_POST),
    # The candidate profile: only once the client answered "interested" with consent for this employer
    # (the world's proposal has no answer: 403 for the professional, the same as the team lead's 404 else).
    "matching:candidate_profile": (
        "get",
        _url("matching:candidate_profile", "proposal"),
        None,
        DOSSIER_PART | {"professional": 403},
    ),
    "matching:placement_new": (
        "get",
        lambda w: reverse("matching:placement_new", args=[w["trajectory"].uuid]),
        None,
        DOSSIER,
    ),
    "matching:placement": ("get", _url("matching:placement", "placement"), None, DOSSIER_PART),
    "matching:follow_up": (
        "post",
        _url("matching:follow_up", "follow_up"),
        lambda w: {
            "f1-done_on": timezone.localdate().isoformat(),
            "f1-still_working": "yes",
            "f1-hours": "24",
        },
        DOSSIER_PART_POST,
    ),
    # The employer's one-time link: a POST makes it and shows it once (200); the world's proposal was not
    # shared with the employer, so the professional is sent back to the fit list with the reason (302).
    "matching:job_link_new": ("post", _url("matching:job_link_new", "job"), None, ORGANISATION),
    "matching:proposal_link_new": (
        "post",
        _url("matching:proposal_link_new", "proposal"),
        None,
        DOSSIER_PART_POST,
    ),
    # The employer's page behind the link: open without a log-in; an unknown token is a 404 for anyone
    # (expired, used and revoked links: 410, matching/tests/test_employer_link.py).
    "matching:employer_link": (
        "get",
        lambda w: reverse("matching:employer_link", args=[secrets.token_urlsafe(32)]),
        None,
        dict.fromkeys(ROLES, 404),
    ),
    "matching:note_new": (
        "post",
        _url("matching:note_new", "employer"),
        lambda w: {"on": timezone.localdate().isoformat(), "text": "Kennismaking met HR"},
        ORGANISATION_POST,
    ),
    "matching:trajectory_employer": (
        "post",
        lambda w: reverse("matching:trajectory_employer", args=[w["trajectory"].uuid]),
        lambda w: {"employer": str(matching_world(w)["employer"].uuid), "track": "second"},
        DOSSIER_POST,
    ),
}
