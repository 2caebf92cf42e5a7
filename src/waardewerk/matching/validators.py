"""The KvK number (Dutch Chamber of Commerce registration number) of an employer."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

KVK_RE = re.compile(r"^\d{8}$")


def normalise_kvk(value: str) -> str:
    """Spaces, dots and dashes people type between the digits are left out: "12 34 56 78" -> "12345678"."""
    return re.sub(r"[\s.\-]", "", value or "")


def validate_kvk(value: str) -> None:
    """Eight digits. The KvK number has no check digit since the register moved to eight-digit numbers
    (KvK, 2009), so the form is the whole check; whether the number exists is for the KvK register to say."""
    if not KVK_RE.match(value or ""):
        raise ValidationError(_("A KvK number has 8 digits, for example 12345678."), code="kvk")
    if value == "00000000":
        raise ValidationError(_("00000000 is not a KvK number."), code="kvk")
