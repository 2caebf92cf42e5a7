"""Access rules of the access log pages (merged into tests/test_access.py::MATRIX)."""

from django.urls import reverse

from tests.matrix import ADMIN, no_object

# The functional administrator goes to the two-factor step first: the log needs a verified second factor.
ADMIN_ONLY_WITH_2FA = no_object(ADMIN | {"functional_admin": 302})

MATRIX = {
    "audit:log": ("get", lambda w: reverse("audit:log"), None, ADMIN_ONLY_WITH_2FA),
    "audit:export": ("get", lambda w: reverse("audit:export"), None, ADMIN_ONLY_WITH_2FA),
}
