"""Access rules of the matching pages (merged into tests/test_access.py::MATRIX; docs/authorization.md).

Employers and jobs are the organisation's, not client data: every case worker of the organisation reads
and keeps them (200, or 302 after a change); the functional administrator and the knowledge editor have no
part in them (403 on the pages without an object, 404 for an employer or job); another organisation's staff
get 404. A client's fit list and the decisions on it follow the dossier (``DOSSIER``): the responsible
professional, 403 for the team lead who knows the trajectory, 404 for everyone else. The client's side
(``portal:jobs``, ``portal:job_respond``) is in tests/access_portal.py.
"""

import uuid
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from tests.matrix import DOSSIER, DOSSIER_PART_POST, DOSSIER_POST, LOGIN, no_object, org_a_object

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
        fake = SimpleNamespace(uuid=uuid.uuid4(), pk=0, version=1)
        return {"employer": fake, "contact": fake, "job": fake, "proposal": fake}
    if "_matching" not in w:
        from waardewerk.matching.models import ContactPerson, Employer, Job, Proposal

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
        w["_matching"] = {"employer": employer, "contact": contact, "job": job, "proposal": proposal}
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
    "matching:share": ("post", _url("matching:share", "proposal"), None, DOSSIER_PART_POST),
}
