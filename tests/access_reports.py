"""Access rules of the trajectory report (merged into tests/test_access.py::MATRIX).

A report is dossier contents: only who may see the trajectory (here: the responsible professional) gets the
page that offers the versions and the PDF itself; a colleague, a team lead who is not assigned and the
functional administrator get the same 404 as for a trajectory that does not exist.
"""

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
