"""The secret key outside debug mode, and the project's own deploy checks (`waardewerk check --deploy`)."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from waardewerk.conf import published
from waardewerk.conf import settings as settings_module
from waardewerk.core import checks as core_checks

GOOD_SECRET = "a-long-random-production-secret-key-that-nobody-published-0123456789"
GOOD_FIELD_KEY = "0b6lwE7Kc2Gz9rj0Yl2YqkO7cQ8Y2d1V2yXzTdU0F3A="
GOOD_AUDIT_KEY = "a-random-audit-key-of-at-least-thirty-two-characters"


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """A production environment for loading the settings module afresh."""
    for name in ("WAARDEWERK_SECRET_KEY", "WAARDEWERK_ALLOW_DEV_SECRET", "WAARDEWERK_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    monkeypatch.setenv("WAARDEWERK_DATA_DIR", str(tmp_path))
    return monkeypatch


def load_settings():
    """Execute the settings file again, in a namespace of its own (Django's settings stay as they are)."""
    return runpy.run_path(str(Path(settings_module.__file__)), run_name="settings_under_test")


def test_the_development_key_is_refused_outside_debug_even_when_allowed(environment):
    environment.setenv("WAARDEWERK_ALLOW_DEV_SECRET", "1")
    with pytest.raises(ImproperlyConfigured, match="WAARDEWERK_ALLOW_DEV_SECRET is no longer accepted"):
        load_settings()


def test_no_secret_key_is_refused_outside_debug(environment):
    with pytest.raises(ImproperlyConfigured, match="Set WAARDEWERK_SECRET_KEY"):
        load_settings()


def test_the_development_key_given_as_the_secret_key_is_refused(environment):
    environment.setenv("WAARDEWERK_SECRET_KEY", published.DEV_SECRET_KEY)
    with pytest.raises(ImproperlyConfigured, match="is the development key"):
        load_settings()


def test_debug_runs_on_the_development_key_and_production_on_its_own(environment):
    environment.setenv("WAARDEWERK_DEBUG", "1")
    assert load_settings()["SECRET_KEY"] == published.DEV_SECRET_KEY
    environment.setenv("WAARDEWERK_DEBUG", "0")
    environment.setenv("WAARDEWERK_SECRET_KEY", GOOD_SECRET)
    environment.setenv("WAARDEWERK_SECRET_KEY_FALLBACKS", "old-key-1, old-key-2")
    loaded = load_settings()
    assert loaded["SECRET_KEY"] == GOOD_SECRET and loaded["SECRET_KEY_FALLBACKS"] == [
        "old-key-1",
        "old-key-2",
    ]


def ids(problems):
    return sorted(problem.id for problem in problems)


def run_deploy_checks():
    from django.core.checks import run_checks

    return [p for p in run_checks(include_deployment_checks=True) if p.id.startswith("waardewerk.")]


@pytest.mark.django_db
def test_the_test_settings_fail_every_deploy_check(settings):
    """The test settings are production mode with published keys, HTTPS and two-step verification off."""
    settings.WAARDEWERK_SMS_BACKEND = "log"
    assert ids(run_deploy_checks()) == [f"waardewerk.E00{n}" for n in (1, 2, 4, 6, 7, 8)]
    with pytest.raises(SystemCheckError, match="waardewerk.E001"):
        call_command("check", "--deploy")


@pytest.mark.django_db
def test_a_good_production_configuration_passes(settings, tmp_path):
    field_keys = tmp_path / "field-keys"
    field_keys.write_text(GOOD_FIELD_KEY + "\n")
    field_keys.chmod(0o600)
    settings.SECRET_KEY = GOOD_SECRET
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_KEYS_FILE = str(field_keys)
    settings.WAARDEWERK_AUDIT_KEYS = [GOOD_AUDIT_KEY]
    settings.HTTPS = True
    settings.WAARDEWERK_REQUIRE_2FA = True
    settings.WAARDEWERK_SMS_BACKEND = ""
    assert run_deploy_checks() == []


def test_key_problems_are_named(settings, tmp_path):
    settings.SECRET_KEY = GOOD_SECRET
    settings.SECRET_KEY_FALLBACKS = [published.DEV_SECRET_KEY]
    assert ids(core_checks.check_secret_key()) == ["waardewerk.E001"]

    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_KEYS_FILE = ""
    assert "No field encryption key" in core_checks.check_field_keys()[0].msg
    readable = tmp_path / "field-keys"
    readable.write_text(f"{GOOD_FIELD_KEY}\n{published.TEST_FIELD_KEY}\n")
    readable.chmod(0o644)
    settings.FIELD_ENCRYPTION_KEYS_FILE = str(readable)
    problems = core_checks.check_field_keys()
    assert ids(problems) == ["waardewerk.E002", "waardewerk.W003"]
    assert "test key" in next(p.msg for p in problems if p.id == "waardewerk.E002")

    from waardewerk.audit import checks as audit_checks

    settings.WAARDEWERK_AUDIT_KEYS = []
    settings.WAARDEWERK_AUDIT_KEY_FILE = str(tmp_path / "missing")
    assert "does not exist" in audit_checks.check_audit_key()[0].msg
    settings.WAARDEWERK_AUDIT_KEY_FILE = ""
    settings.DEBUG = True
    settings.DATA_DIR = tmp_path
    assert "development key file" in audit_checks.check_audit_key()[0].msg
