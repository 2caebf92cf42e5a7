"""Access rules of the login and session pages (issue 3). Two-factor login is off in these runs (the
test settings), so a user without an authenticator app may open the set-up and is sent from the
verification step to the set-up (302)."""

from django.urls import reverse

ROLES = ["anonymous", "professional", "colleague", "team_lead", "functional_admin"]
LOGIN = "login"
STAFF_200 = {"anonymous": LOGIN, **{r: 200 for r in ROLES if r != "anonymous"}}

MATRIX = {
    "accounts:two_factor": ("get", lambda w: reverse("accounts:two_factor"), None, STAFF_200),
    "accounts:two_factor_setup": ("get", lambda w: reverse("accounts:two_factor_setup"), None, STAFF_200),
    "accounts:two_factor_verify": (
        "get",
        lambda w: reverse("accounts:two_factor_verify"),
        None,
        {"anonymous": LOGIN, **{r: 302 for r in ROLES if r != "anonymous"}},
    ),
    "accounts:confirm": ("get", lambda w: reverse("accounts:confirm"), None, STAFF_200),
}
