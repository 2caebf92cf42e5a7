import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from waardewerk.clients.validators import bsn_is_valid, mask_bsn, validate_bsn, validate_date_of_birth


def _with_check_digit(first_eight: list[int]) -> str | None:
    total = sum(w * d for w, d in zip(range(9, 1, -1), first_eight, strict=True))
    last = total % 11
    return None if last == 10 else "".join(map(str, first_eight)) + str(last)


@given(st.lists(st.integers(0, 9), min_size=8, max_size=8))
def test_numbers_built_by_the_elfproef_are_valid(digits):
    bsn = _with_check_digit(digits)
    if bsn is not None and bsn != "000000000":
        assert bsn_is_valid(bsn)


@given(st.lists(st.integers(0, 9), min_size=8, max_size=8), st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_breaks_the_check(digits, position, delta):
    bsn = _with_check_digit(digits)
    if bsn is None or bsn == "000000000":
        return
    changed = list(bsn)
    changed[position] = str((int(changed[position]) + delta) % 10)
    assert not bsn_is_valid("".join(changed))


@pytest.mark.parametrize("value", ["111222333", "123456782", " 1112 22333 ", "12345672"])
def test_known_valid_numbers(value):
    validate_bsn(value)


@pytest.mark.parametrize(
    "value,code",
    [
        ("123456789", "bsn_checksum"),
        ("12345", "bsn_format"),
        ("12345678a", "bsn_format"),
        ("000000000", "bsn_checksum"),
    ],
)
def test_invalid_numbers_are_rejected_with_a_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_bsn(value)
    assert exc.value.code == code


def test_mask_shows_only_the_last_three_digits():
    assert mask_bsn("111222333") == "••••••333"
    assert "111222" not in mask_bsn("111222333")
    assert mask_bsn("") == ""


def test_date_of_birth_in_future_is_rejected():
    with pytest.raises(ValidationError):
        validate_date_of_birth(timezone.localdate() + dt.timedelta(days=1))
    validate_date_of_birth(timezone.localdate())
