"""Access rules of the login and session pages (issue 3). Two-factor login is off in these runs (the
test settings), so a user without an authenticator app may open the set-up and is sent from the
verification step to the set-up (302)."""

from django.urls import reverse

from tests.matrix import LOGIN, ROLES, STAFF, STAFF_A, no_object

STAFF_200 = STAFF
STAFF_302 = no_object({"anonymous": LOGIN, **dict.fromkeys(STAFF_A, 302)})

MATRIX = {
    "accounts:two_factor": ("get", lambda w: reverse("accounts:two_factor"), None, STAFF_200),
    "accounts:two_factor_setup": ("get", lambda w: reverse("accounts:two_factor_setup"), None, STAFF_200),
    "accounts:two_factor_verify": (
        "get",
        lambda w: reverse("accounts:two_factor_verify"),
        None,
        STAFF_302,
    ),
    "accounts:confirm": ("get", lambda w: reverse("accounts:confirm"), None, STAFF_200),
    # Without an authenticator app the recovery step sends on to the verification step.
    "accounts:two_factor_recovery": (
        "get",
        lambda w: reverse("accounts:two_factor_recovery"),
        None,
        STAFF_302,
    ),
    # New recovery codes need the password again first.
    "accounts:recovery_codes": ("get", lambda w: reverse("accounts:recovery_codes"), None, STAFF_302),
    # An unknown (or used, expired, someone else's) set-up link: the same page for everyone, not a login.
    "accounts:two_factor_enrol": (
        "get",
        lambda w: reverse("accounts:two_factor_enrol", args=["x" * 43]),
        None,
        {r: 404 for r in ROLES},
    ),
    # The administrator is first sent to the second factor (the test sessions have not passed it); other
    # roles are refused by role before the user is looked up, the same for any id (organisation B's too).
    # Organisation B's administrator gets 404 for organisation A's user.
    "accounts:user_two_factor": (
        "get",
        lambda w: reverse("accounts:user_two_factor", args=[w["users"]["colleague"].uuid]),
        None,
        no_object(
            {
                "anonymous": LOGIN,
                "professional": 403,
                "colleague": 403,
                "team_lead": 403,
                "functional_admin": 302,
            }
        )
        | {"org_b_functional_admin": 404},
    ),
}
