"""Access rules of the access log pages (merged into tests/test_access.py::MATRIX)."""

from django.urls import reverse

LOGIN = "login"
ADMIN_ONLY_WITH_2FA = {
    "anonymous": LOGIN,
    "professional": 403,
    "colleague": 403,
    "team_lead": 403,
    "functional_admin": 302,  # to the two-factor step: the log needs a verified second factor
}

MATRIX = {
    "audit:log": ("get", lambda w: reverse("audit:log"), None, ADMIN_ONLY_WITH_2FA),
    "audit:export": ("get", lambda w: reverse("audit:export"), None, ADMIN_ONLY_WITH_2FA),
}
