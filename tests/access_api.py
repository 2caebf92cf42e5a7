"""Access rules of the API and of the functional administrator's application pages (merged into
tests/test_access.py::MATRIX; docs/api.md).

The API answers an application's token only: every staff role and the portal's client, signed in or not,
gets 401 (the API's own tests in ``waardewerk/api/tests`` cover every endpoint per scope and organisation).
The schema and its documentation page are public. The application pages are the functional
administrator's, in their own organisation: organisation B's administrator gets 404 for A's application.
"""

import datetime as dt
import uuid

from django.urls import reverse
from django.utils import timezone

from tests.matrix import ADMIN, ROLES

ADMIN_OBJECT = ADMIN | {"org_b_functional_admin": 404}
ADMIN_OBJECT_POST = ADMIN_OBJECT | {"functional_admin": 302}
TOKEN_ONLY = dict.fromkeys(ROLES, 401)
PUBLIC = dict.fromkeys(ROLES, 200)


def api_world(w):
    """An application of the world's organisation with a subscription (made once per world)."""
    if "_api" not in w:
        from waardewerk.api.services import application_register, subscription_add

        admin = w["users"]["functional_admin"]
        application, _token = application_register(
            actor=admin,
            name="Zaaksysteem",
            scopes=["clients:read", "trajectories:read"],
            expires_on=timezone.localdate() + dt.timedelta(days=30),
        )
        subscription, _secret = subscription_add(
            actor=admin,
            application=application,
            event="trajectory.phase_changed",
            url="https://example.org/hook",
        )
        w["_api"] = {"application": application, "subscription": subscription}
    return w["_api"]


def _api(name, key=None):
    if key is None:
        return lambda w: reverse(name)
    return lambda w: reverse(name, args=[getattr(w.get(key), "uuid", None) or uuid.uuid4()])


MATRIX = {
    "api:schema": ("get", _api("api:schema"), None, PUBLIC),
    "api:docs": ("get", _api("api:docs"), None, PUBLIC),
    "api:clients": ("get", _api("api:clients"), None, TOKEN_ONLY),
    "api:client": ("get", _api("api:client", "client"), None, TOKEN_ONLY),
    "api:trajectories": ("get", _api("api:trajectories"), None, TOKEN_ONLY),
    "api:trajectory": ("get", _api("api:trajectory", "trajectory"), None, TOKEN_ONLY),
    "api:trajectory_history": ("get", _api("api:trajectory_history", "trajectory"), None, TOKEN_ONLY),
    "api:trajectory_plan": ("get", _api("api:trajectory_plan", "trajectory"), None, TOKEN_ONLY),
    "api:measurements": ("post", _api("api:measurements"), lambda w: {}, TOKEN_ONLY),
    "api:measurement": ("get", _api("api:measurement", "measurement"), None, TOKEN_ONLY),
    "api:actions": ("get", _api("api:actions"), None, TOKEN_ONLY),
    "api:action": ("get", _api("api:action", "action"), None, TOKEN_ONLY),
    "api:conversations": ("get", _api("api:conversations"), None, TOKEN_ONLY),
    "api:conversation": ("get", _api("api:conversation", "_none"), None, TOKEN_ONLY),
    "api:employers": ("get", _api("api:employers"), None, TOKEN_ONLY),
    "api:employer": ("get", _api("api:employer", "_none"), None, TOKEN_ONLY),
    "api:jobs": ("get", _api("api:jobs"), None, TOKEN_ONLY),
    "api:job": ("get", _api("api:job", "_none"), None, TOKEN_ONLY),
    "api:placements": ("get", _api("api:placements"), None, TOKEN_ONLY),
    "api:placement": ("get", _api("api:placement", "_none"), None, TOKEN_ONLY),
    "api_admin:applications": ("get", lambda w: reverse("api_admin:applications"), None, ADMIN),
    "api_admin:application_new": ("get", lambda w: reverse("api_admin:application_new"), None, ADMIN),
    "api_admin:application": (
        "get",
        lambda w: reverse("api_admin:application", args=[api_world(w)["application"].uuid]),
        None,
        ADMIN_OBJECT,
    ),
    "api_admin:application_revoke": (
        "post",
        lambda w: reverse("api_admin:application_revoke", args=[api_world(w)["application"].uuid]),
        lambda w: {},
        ADMIN_OBJECT_POST,
    ),
    "api_admin:subscription_remove": (
        "post",
        lambda w: reverse("api_admin:subscription_remove", args=[api_world(w)["subscription"].uuid]),
        lambda w: {},
        ADMIN_OBJECT_POST,
    ),
}
