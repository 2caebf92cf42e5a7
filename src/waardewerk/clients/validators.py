"""Validation of Dutch personal data."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def bsn_is_valid(value: str) -> bool:
    """The BSN "elfproef": 9 digits d1..d9 with 9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11.

    8-digit numbers are valid BSNs written without their leading zero.
    """
    if not value.isdigit() or len(value) not in (8, 9):
        return False
    digits = [int(c) for c in value.zfill(9)]
    if digits == [0] * 9:
        return False
    total = sum(weight * d for weight, d in zip(range(9, 1, -1), digits[:8], strict=True)) - digits[8]
    return total % 11 == 0


def normalise_bsn(value: str) -> str:
    return "".join(ch for ch in value if not ch.isspace() and ch not in ".-").zfill(9) if value else ""


def validate_bsn(value: str) -> None:
    cleaned = "".join(ch for ch in value if not ch.isspace() and ch not in ".-")
    if not cleaned.isdigit() or len(cleaned) not in (8, 9):
        raise ValidationError(_("A BSN has 9 digits."), code="bsn_format")
    if not bsn_is_valid(cleaned):
        raise ValidationError(
            _("This is not a valid BSN: the check digit is wrong (elfproef). Check the number."),
            code="bsn_checksum",
        )


def validate_date_of_birth(value: dt.date) -> None:
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."), code="dob_future")
    if value.year < today.year - 120:
        raise ValidationError(_("The date of birth is more than 120 years ago."), code="dob_too_old")


def mask_bsn(value: str) -> str:
    """Show only the last three digits, as is usual in Dutch case-management software."""
    if not value:
        return ""
    return "•" * 6 + value[-3:]
