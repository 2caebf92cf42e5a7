"""Access rules of the trajectory report (merged into tests/test_access.py::MATRIX).

A report is dossier contents: only who may see the trajectory (here: the responsible professional) gets the
page that offers the versions and the PDF itself; a colleague, a team lead who is not assigned and the
functional administrator get the same 404 as for a trajectory that does not exist.
"""

import datetime as dt

from django.urls import reverse

from tests.matrix import DOSSIER as OWNER_ONLY


def _with_employer_consent(w) -> None:
    """The employer version needs the client's consent (docs/portal.md); give it once per world."""
    from django.utils import timezone

    from waardewerk.clients.models import Consent

    trajectory = w["trajectory"]
    if trajectory.pk is not None and not w.get("_employer_consent"):
        Consent.objects.get_or_create(
            client=trajectory.client,
            kind="employer",
            withdrawn_at=None,
            defaults={"given_at": timezone.now(), "given_via": "professional"},
        )
        w["_employer_consent"] = True


MATRIX = {
    "reports:choose": (
        "get",
        lambda w: reverse("reports:choose", args=[w["trajectory"].uuid]),
        None,
        OWNER_ONLY,
    ),
    "reports:trajectory": (
        "get",
        lambda w: (
            _with_employer_consent(w)
            or reverse("reports:trajectory", args=[w["trajectory"].uuid]) + "?audience=employer&lang=nl"
        ),
        None,
        OWNER_ONLY,
    ),
}


def _prepared(w):
    """A report prepared for the responsible professional (only they see it)."""
    from django.utils import timezone

    from waardewerk.core import crypto
    from waardewerk.core.models import PreparedFile

    if "_prepared" not in w:
        w["_prepared"] = PreparedFile.objects.create(
            kind="reports.trajectory",
            params={"trajectory": str(w["trajectory"].uuid), "audience": "file", "language": "nl"},
            key=f"access-{w['trajectory'].uuid}",
            requested_by=w["users"]["professional"],
            client_uuid=w["client"].uuid,
            status="ready",
            filename="rapportage.pdf",
            content_type="application/pdf",
            content=crypto.get_multifernet().encrypt(b"%PDF-1.7 test"),
            size=13,
            expires_at=timezone.now() + dt.timedelta(hours=1),
        )
    return w["_prepared"]


ONLY_REQUESTER = OWNER_ONLY | {"team_lead": 404}

MATRIX |= {
    "reports:prepare": (
        "post",
        lambda w: reverse("reports:prepare", args=[w["trajectory"].uuid]),
        lambda w: {"audience": "file", "lang": "nl"},
        OWNER_ONLY | {"professional": 302},
    ),
    "reports:prepared": (
        "get",
        lambda w: reverse("reports:prepared", args=[_prepared(w).uuid]),
        None,
        ONLY_REQUESTER,
    ),
    "reports:prepared_download": (
        "get",
        lambda w: reverse("reports:prepared_download", args=[_prepared(w).uuid]),
        None,
        ONLY_REQUESTER,
    ),
}
