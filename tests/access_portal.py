"""Access rules of the client portal.

``MATRIX`` (merged into ``tests/test_access.py::MATRIX``) gives every portal URL's answer for the five staff
roles of that test: staff sessions never open a client's page (403), and the professional's side of the
portal follows the dossier's rules. ``CLIENT_MATRIX`` gives every portal URL's answer for the client roles
(``tests/test_access_portal.py``): anonymous, the logged-in client on their own objects, and a second
client on the first client's objects (the same 404 as for an object that does not exist). A new portal
URL without a rule in both fails ``test_every_portal_url_has_a_rule_for_every_client_role``.
"""

import secrets
import uuid
from types import SimpleNamespace

from django.urls import reverse

from tests.access_matching import matching_world
from tests.matrix import DOSSIER, DOSSIER_PART_POST, DOSSIER_POST, LOGIN, ROLES, no_object

CLIENT_ROLES = ["anonymous", "client", "other_client"]


def _fake(w) -> bool:
    return w["trajectory"].pk is None  # the "unknown object" test replaces objects with unsaved ones


def _lazy(w, key, make):
    """An object the world of tests/test_access.py does not have, made once per world."""
    if _fake(w):
        return SimpleNamespace(uuid=uuid.uuid4())
    cache = f"_portal_{key}"
    if cache not in w:
        w[cache] = make(w)
    return w[cache]


def _proposal(w):
    from waardewerk.portal.models import GoalProposal

    return _lazy(
        w, "proposal", lambda w: GoalProposal.objects.create(trajectory=w["trajectory"], text="Werken")
    )


def _request(w):
    from waardewerk.instruments.models import Instrument
    from waardewerk.portal.models import QuestionnaireRequest

    return _lazy(
        w,
        "request",
        lambda w: QuestionnaireRequest.objects.create(
            trajectory=w["trajectory"],
            instrument=Instrument.objects.get(key="igm"),
            requested_by=w["trajectory"].responsible,
        ),
    )


def _consent(w):
    from django.utils import timezone

    from waardewerk.clients.models import Consent

    return _lazy(
        w,
        "consent",
        lambda w: Consent.objects.create(
            client=w["trajectory"].client, kind="research", given_at=timezone.now(), given_via="portal"
        ),
    )


def _client_action(w):
    from tests.factories import ActionFactory

    return _lazy(w, "client_action", lambda w: ActionFactory(trajectory=w["trajectory"], owner="client"))


def _random_token(w):
    return secrets.token_urlsafe(32)


OWNER = DOSSIER
OWNER_POST = DOSSIER_POST
# The client's pages refuse every staff session (403) and send anyone else to the portal's log-in; the
# portal client of organisation B sees their own page, and gets 404 for an object of A's client.
CLIENT_PAGE = no_object({"anonymous": 302, **{r: 403 for r in ROLES[1:5]}}) | {"org_b_client": 200}
CLIENT_OBJECT = CLIENT_PAGE | {"org_b_client": 404}
ALL = lambda status: dict.fromkeys(ROLES, status)  # noqa: E731
ALL_CLIENTS = lambda status: dict.fromkeys(CLIENT_ROLES, status)  # noqa: E731

# name -> (method, url, data, {staff role: expected}, {client role: expected})
_SPEC = {
    # Log-in: open to everyone. An unknown link is a 404 for anyone; the code page without an opened link
    # and the log-out go back to the log-in page; the identity provider's pages exist only when configured.
    "portal:login": (
        "get",
        lambda w: reverse("portal:login"),
        None,
        ALL(200) | {"org_b_client": 302},
        {"anonymous": 200, "client": 302, "other_client": 302},
    ),
    "portal:invitation": (
        "get",
        lambda w: reverse("portal:invitation", args=[_random_token(w)]),
        None,
        ALL(404),
        ALL_CLIENTS(404),
    ),
    "portal:code": ("get", lambda w: reverse("portal:code"), None, ALL(302), ALL_CLIENTS(302)),
    "portal:logout": ("post", lambda w: reverse("portal:logout"), lambda w: {}, ALL(302), ALL_CLIENTS(302)),
    # A choice of the client's agreed plan (tests/test_access_portal.py's world agrees a plan with choice
    # c-1; the staff matrix's world has no agreed plan, so B's client gets 404).
    "portal:preference": (
        "get",
        lambda w: reverse("portal:preference", args=["c-1"]),
        None,
        CLIENT_OBJECT,
        {"anonymous": 302, "client": 200, "other_client": 404},
    ),
    # The client agrees to the newest version of their own plan (no object in the URL: their trajectory's
    # plan; without a plan 404, as for an object that does not exist).
    "portal:plan_agree": (
        "post",
        lambda w: reverse("portal:plan_agree"),
        lambda w: {"version": "1"},
        CLIENT_PAGE | {"org_b_client": 302},
        {"anonymous": 302, "client": 302, "other_client": 404},
    ),
    "portal:oidc_start": ("get", lambda w: reverse("portal:oidc_start"), None, ALL(404), ALL_CLIENTS(404)),
    "portal:oidc_callback": (
        "get",
        lambda w: reverse("portal:oidc_callback"),
        None,
        ALL(404),
        ALL_CLIENTS(404),
    ),
    # The client's pages: only with a portal session. Every client sees their own; object URLs of another
    # client give 404.
    **{
        f"portal:{name}": (
            "get",
            (lambda page: lambda w: reverse(f"portal:{page}"))(name),
            None,
            CLIENT_PAGE,
            {"anonymous": 302, "client": 200, "other_client": 200},
        )
        for name in (
            "home",
            "goals",
            "goal_propose",
            "actions",
            "appointments",
            "questionnaires",
            "progress",
            "evaluation",
            "consent",
            "jobs",
            "availability",
            "access_log",
            "my_data",
            "export_json",
            "export_pdf",
        )
    },
    "portal:questionnaire": (
        "get",
        lambda w: reverse("portal:questionnaire", args=[_request(w).uuid]),
        None,
        CLIENT_OBJECT,
        {"anonymous": 302, "client": 200, "other_client": 404},
    ),
    "portal:action_done": (
        "post",
        lambda w: reverse("portal:action_done", args=[_client_action(w).uuid]),
        lambda w: {},
        CLIENT_OBJECT,
        {"anonymous": 302, "client": 302, "other_client": 404},
    ),
    "portal:consent_withdraw": (
        "post",
        lambda w: reverse("portal:consent_withdraw", args=[_consent(w).uuid]),
        lambda w: {"confirmed": "yes"},
        CLIENT_OBJECT,
        {"anonymous": 302, "client": 302, "other_client": 404},
    ),
    # A job the professional proposed (tests/access_matching.py makes it for the world's trajectory).
    "portal:job_respond": (
        "post",
        lambda w: reverse("portal:job_respond", args=[matching_world(w)["proposal"].uuid]),
        lambda w: {f"p{matching_world(w)['proposal'].pk}-response": "interested"},
        CLIENT_OBJECT,
        {"anonymous": 302, "client": 302, "other_client": 404},
    ),
    # The professional's side: the dossier's rules; a client session is not a staff log-in.
    "portal:staff": (
        "get",
        lambda w: reverse("portal:staff", args=[w["trajectory"].uuid]),
        None,
        OWNER,
        ALL_CLIENTS(LOGIN),
    ),
    "portal:invite": (
        "post",
        lambda w: reverse("portal:invite", args=[w["trajectory"].uuid]),
        lambda w: {"channel": "email"},
        OWNER_POST,
        ALL_CLIENTS(LOGIN),
    ),
    "portal:end_access": (
        "post",
        lambda w: reverse("portal:end_access", args=[w["trajectory"].uuid]),
        lambda w: {"confirmed": "yes"},
        OWNER_POST,
        ALL_CLIENTS(LOGIN),
    ),
    "portal:ask": (
        "post",
        lambda w: reverse("portal:ask", args=[w["trajectory"].uuid]),
        lambda w: {"instrument": "lwc"},
        OWNER_POST,
        ALL_CLIENTS(LOGIN),
    ),
    "portal:record_consent": (
        "post",
        lambda w: reverse("portal:record_consent", args=[w["trajectory"].uuid]),
        lambda w: {"kind": "employer"},
        OWNER_POST,
        ALL_CLIENTS(LOGIN),
    ),
    "portal:cancel_request": (
        "post",
        lambda w: reverse("portal:cancel_request", args=[_request(w).uuid]),
        lambda w: {},
        DOSSIER_PART_POST,
        ALL_CLIENTS(LOGIN),
    ),
    "portal:accept_proposal": (
        "post",
        lambda w: reverse("portal:accept_proposal", args=[_proposal(w).uuid]),
        lambda w: {"text": "Werken in de zorg"},
        DOSSIER_PART_POST,
        ALL_CLIENTS(LOGIN),
    ),
    "portal:decline_proposal": (
        "post",
        lambda w: reverse("portal:decline_proposal", args=[_proposal(w).uuid]),
        lambda w: {"reason": "Past nu niet"},
        DOSSIER_PART_POST,
        ALL_CLIENTS(LOGIN),
    ),
    "portal:staff_withdraw_consent": (
        "post",
        lambda w: reverse("portal:staff_withdraw_consent", args=[_consent(w).uuid]),
        lambda w: {"trajectory": str(w["trajectory"].uuid), "confirmed": "yes"},
        DOSSIER_PART_POST,
        ALL_CLIENTS(LOGIN),
    ),
}

MATRIX = {name: (method, url, data, staff) for name, (method, url, data, staff, _c) in _SPEC.items()}
CLIENT_MATRIX = {
    name: (method, url, data, clients) for name, (method, url, data, _s, clients) in _SPEC.items()
}
