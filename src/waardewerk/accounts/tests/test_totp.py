"""TOTP against the published test vectors of RFC 4226 (HOTP) and RFC 6238 (TOTP)."""

import base64
import hashlib
import re
from urllib.parse import parse_qs, urlparse

import pytest

from waardewerk.accounts import totp

SEED_SHA1 = b"12345678901234567890"
SEED_SHA256 = b"12345678901234567890123456789012"
SEED_SHA512 = b"1234567890123456789012345678901234567890123456789012345678901234"
SEEDS = {
    "sha1": (SEED_SHA1, hashlib.sha1),
    "sha256": (SEED_SHA256, hashlib.sha256),
    "sha512": (SEED_SHA512, hashlib.sha512),
}

# RFC 6238, appendix B: (Unix time, 8-digit code, mode)
RFC6238 = [
    (59, "94287082", "sha1"),
    (59, "46119246", "sha256"),
    (59, "90693936", "sha512"),
    (1111111109, "07081804", "sha1"),
    (1111111109, "68084774", "sha256"),
    (1111111109, "25091201", "sha512"),
    (1111111111, "14050471", "sha1"),
    (1111111111, "67062674", "sha256"),
    (1111111111, "99943326", "sha512"),
    (1234567890, "89005924", "sha1"),
    (1234567890, "91819424", "sha256"),
    (1234567890, "93441116", "sha512"),
    (2000000000, "69279037", "sha1"),
    (2000000000, "90698825", "sha256"),
    (2000000000, "38618901", "sha512"),
    (20000000000, "65353130", "sha1"),
    (20000000000, "77737706", "sha256"),
    (20000000000, "47863826", "sha512"),
]

# RFC 4226, appendix D: HOTP values for counters 0..9 of the SHA-1 seed.
RFC4226 = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]


def b32(seed: bytes) -> str:
    return base64.b32encode(seed).decode().rstrip("=")


@pytest.mark.parametrize(("timestamp", "code", "mode"), RFC6238)
def test_rfc6238_vectors(timestamp, code, mode):
    seed, digest = SEEDS[mode]
    assert totp.totp(b32(seed), timestamp, digits=8, digest=digest) == code


@pytest.mark.parametrize(("counter", "code"), list(enumerate(RFC4226)))
def test_rfc4226_hotp_vectors(counter, code):
    assert totp.hotp(SEED_SHA1, counter) == code


def test_six_digit_sha1_defaults_are_the_last_six_digits_of_the_vectors():
    for timestamp, code, mode in RFC6238:
        if mode == "sha1":
            assert totp.totp(b32(SEED_SHA1), timestamp) == code[-6:]


def test_window_accepts_one_step_either_side_only():
    secret = b32(SEED_SHA1)
    now = 1111111111  # step 37037037
    step = totp.time_step(now)
    for offset in (-1, 0, 1):
        code = totp.hotp(SEED_SHA1, step + offset)
        assert totp.matching_step(secret, code, now) == step + offset
    for offset in (-2, 2):
        assert totp.matching_step(secret, totp.hotp(SEED_SHA1, step + offset), now) is None


def test_used_step_and_older_ones_are_refused():
    secret = b32(SEED_SHA1)
    now = 1111111111
    step = totp.time_step(now)
    code = totp.hotp(SEED_SHA1, step)
    assert totp.matching_step(secret, code, now, after_step=step) is None
    assert totp.matching_step(secret, totp.hotp(SEED_SHA1, step - 1), now, after_step=step - 1) is None
    assert totp.matching_step(secret, totp.hotp(SEED_SHA1, step + 1), now, after_step=step) == step + 1


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", None])
def test_malformed_codes_are_refused(bad):
    assert totp.matching_step(b32(SEED_SHA1), bad, 59) is None


def test_code_with_spaces_is_accepted():
    code = totp.totp(b32(SEED_SHA1), 59)
    assert totp.matching_step(b32(SEED_SHA1), f"{code[:3]} {code[3:]}", 59) == 1


def test_generated_secret_is_160_bits_of_base32():
    secret = totp.generate_secret()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert len(totp.secret_bytes(secret)) == 20
    assert secret != totp.generate_secret()


def test_provisioning_uri_and_grouping():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", account="pia@example.org", issuer="Waardewerk")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parsed.path == "/Waardewerk:pia@example.org"
    query = parse_qs(parsed.query)
    assert query["secret"] == ["JBSWY3DPEHPK3PXP"] and query["issuer"] == ["Waardewerk"]
    assert query["digits"] == ["6"] and query["period"] == ["30"] and query["algorithm"] == ["SHA1"]
    assert totp.grouped("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP"
    assert totp.secret_bytes("jbsw y3dp ehpk 3pxp") == totp.secret_bytes("JBSWY3DPEHPK3PXP")
