"""Access rules of the functional administrator's user and team pages (merged into
tests/test_access.py::MATRIX; docs/authorization.md).

Only the functional administrator manages users and teams, of their own organisation: other roles get the
403 of a page that is not for their role (whatever the id, so organisation B's too); organisation B's
administrator gets 404 for organisation A's user or team. The page where a user sets a password with a link
answers 404 for a link that does not work, for everyone.
"""

from django.urls import reverse

from tests.matrix import ADMIN, ROLES

ADMIN_OBJECT = ADMIN | {"org_b_functional_admin": 404}
ADMIN_OBJECT_POST = ADMIN_OBJECT | {"functional_admin": 302}

MATRIX = {
    "accounts:user_new": ("get", lambda w: reverse("accounts:user_new"), None, ADMIN),
    "accounts:user": (
        "get",
        lambda w: reverse("accounts:user", args=[w["users"]["colleague"].uuid]),
        None,
        ADMIN_OBJECT,
    ),
    "accounts:user_active": (
        "post",
        lambda w: reverse("accounts:user_active", args=[w["users"]["colleague"].uuid]),
        lambda w: {"active": "no"},
        ADMIN_OBJECT_POST,
    ),
    "accounts:password_link": (
        "post",
        lambda w: reverse("accounts:password_link", args=[w["users"]["colleague"].uuid]),
        lambda w: {},
        ADMIN_OBJECT_POST,
    ),
    "accounts:team_new": ("get", lambda w: reverse("accounts:team_new"), None, ADMIN),
    "accounts:team": (
        "get",
        lambda w: reverse("accounts:team", args=[w["trajectory"].team.uuid]),
        None,
        ADMIN_OBJECT,
    ),
    "accounts:password_set": (
        "get",
        lambda w: reverse("accounts:password_set", args=[w["users"]["colleague"].uuid, "nope-nope"]),
        None,
        dict.fromkeys(ROLES, 404),
    ),
}
