"""Access rules of the login and session pages (issue 3). Two-factor login is off in these runs (the
test settings), so a user without an authenticator app may open the set-up and is sent from the
verification step to the set-up (302)."""

from django.urls import reverse

from tests.matrix import LOGIN, STAFF, STAFF_A, no_object

STAFF_200 = STAFF

MATRIX = {
    "accounts:two_factor": ("get", lambda w: reverse("accounts:two_factor"), None, STAFF_200),
    "accounts:two_factor_setup": ("get", lambda w: reverse("accounts:two_factor_setup"), None, STAFF_200),
    "accounts:two_factor_verify": (
        "get",
        lambda w: reverse("accounts:two_factor_verify"),
        None,
        no_object({"anonymous": LOGIN, **dict.fromkeys(STAFF_A, 302)}),
    ),
    "accounts:confirm": ("get", lambda w: reverse("accounts:confirm"), None, STAFF_200),
}
