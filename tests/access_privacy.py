"""Access rules of the privacy pages (merged into tests/test_access.py::MATRIX): only the functional
administrator of the client's organisation handles retention, legal holds and requests; a case worker who
knows the client (their own, or their team's) gets 403 for the client's page, anyone else 404."""

from django.urls import reverse
from django.utils import timezone

from tests.matrix import ADMIN, LOGIN, no_object, org_a_object

CLIENT = org_a_object(
    {
        "anonymous": LOGIN,
        "professional": 403,
        "colleague": 404,
        "team_lead": 403,
        "functional_admin": 200,
        "knowledge_editor": 404,
    }
)
CLIENT_POST = CLIENT | {"functional_admin": 302}
ONLY_ADMIN = org_a_object(
    {
        "anonymous": LOGIN,
        "professional": 404,
        "colleague": 404,
        "team_lead": 404,
        "functional_admin": 200,
        "knowledge_editor": 404,
    }
)


def _hold(w):
    from waardewerk.privacy.models import LegalHold

    if "_hold" not in w:
        w["_hold"] = LegalHold.objects.create(
            client=w["client"], reason="Bezwaar en beroep lopen", set_by=w["users"]["functional_admin"]
        )
    return w["_hold"]


def _request(w, kind="access"):
    from waardewerk.privacy.models import DataSubjectRequest, one_month_after

    key = f"_request_{kind}"
    if key not in w:
        today = timezone.localdate()
        w[key] = DataSubjectRequest.objects.create(
            organisation=w["client"].organisation,
            client=w["client"],
            kind=kind,
            received_on=today,
            deadline=one_month_after(today),
            description="Verzoek",
            registered_by=w["users"]["functional_admin"],
        )
    return w[key]


MATRIX = {
    "privacy:overview": ("get", lambda w: reverse("privacy:overview"), None, ADMIN),
    "privacy:client": ("get", lambda w: reverse("privacy:client", args=[w["client"].uuid]), None, CLIENT),
    "privacy:hold_set": (
        "post",
        lambda w: reverse("privacy:hold_set", args=[w["client"].uuid]),
        lambda w: {"reason": "Rechtszaak loopt"},
        CLIENT_POST,
    ),
    "privacy:request_new": (
        "post",
        lambda w: reverse("privacy:request_new", args=[w["client"].uuid]),
        lambda w: {
            "kind": "access",
            "received_on": timezone.localdate().isoformat(),
            "description": "Inzage in mijn dossier",
        },
        CLIENT_POST,
    ),
    # Without "confirmed": the confirmation page (200) for the administrator.
    "privacy:hold_lift": (
        "post",
        lambda w: reverse("privacy:hold_lift", args=[_hold(w).uuid]),
        lambda w: {"reason": "Zaak afgerond"},
        ONLY_ADMIN,
    ),
    "privacy:request": (
        "get",
        lambda w: reverse("privacy:request", args=[_request(w).uuid]),
        None,
        ONLY_ADMIN,
    ),
    "privacy:request_export": (
        "get",
        lambda w: reverse("privacy:request_export", args=[_request(w).uuid]),
        None,
        ONLY_ADMIN,
    ),
    "privacy:request_erase": (
        "post",
        lambda w: reverse("privacy:request_erase", args=[_request(w, "erasure").uuid]),
        lambda w: {},
        ONLY_ADMIN,
    ),
}


# Retention terms and destruction lists: the terms are the administrator's page; a destruction list is
# approved by the administrator and a team lead of the organisation (two people), nobody else knows of it.
APPROVERS = org_a_object(
    {
        "anonymous": LOGIN,
        "professional": 404,
        "colleague": 404,
        "team_lead": 200,
        "functional_admin": 200,
        "knowledge_editor": 404,
    }
)
APPROVERS_POST = APPROVERS | {"team_lead": 302, "functional_admin": 302}
APPROVERS_PAGE = no_object(
    {
        "anonymous": LOGIN,
        "professional": 403,
        "colleague": 403,
        "team_lead": 200,
        "functional_admin": 200,
        "knowledge_editor": 403,
    }
)


def _destruction_list(w):
    from waardewerk.privacy.models import DestructionItem, DestructionList

    if "_destruction_list" not in w:
        made = DestructionList.objects.create(organisation=w["client"].organisation)
        DestructionItem.objects.create(
            destruction_list=made, client=w["client"], client_uuid=w["client"].uuid, action="anonymise"
        )
        w["_destruction_list"] = made
    return w["_destruction_list"]


MATRIX |= {
    "privacy:retention": ("get", lambda w: reverse("privacy:retention"), None, ADMIN),
    "privacy:destruction_lists": (
        "get",
        lambda w: reverse("privacy:destruction_lists"),
        None,
        APPROVERS_PAGE,
    ),
    # With the page's filters and a page number: they change what is listed, never who may see it.
    "privacy:destruction_list": (
        "get",
        lambda w: (
            reverse("privacy:destruction_list", args=[_destruction_list(w).uuid])
            + "?action=anonymise&result=waiting&page=1"
        ),
        None,
        APPROVERS,
    ),
    # The list's client has an open trajectory: the approval finds it out of date and redirects.
    "privacy:destruction_approve": (
        "post",
        lambda w: reverse("privacy:destruction_approve", args=[_destruction_list(w).uuid]),
        lambda w: {},
        APPROVERS_POST,
    ),
    "privacy:destruction_reject": (
        "post",
        lambda w: reverse("privacy:destruction_reject", args=[_destruction_list(w).uuid]),
        lambda w: {"reason": "Dossier nog nodig"},
        APPROVERS_POST,
    ),
}
