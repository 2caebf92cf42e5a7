"""Settings for the test suite: the normal settings with fast password hashing."""

import os

from waardewerk.conf.published import TEST_AUDIT_KEY, TEST_FIELD_KEY, TEST_SECRET_KEY

# Production mode with fixed keys of its own: published in the repository, so they protect no real data
# (and `waardewerk check --deploy` reports them).
os.environ.setdefault("WAARDEWERK_DEBUG", "0")
os.environ.setdefault("WAARDEWERK_SECRET_KEY", TEST_SECRET_KEY)

from waardewerk.conf.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
FIELD_ENCRYPTION_KEYS = [TEST_FIELD_KEY]
FIELD_ENCRYPTION_KEYS_FILE = ""
WAARDEWERK_AUDIT_KEYS = [TEST_AUDIT_KEY]
WAARDEWERK_AUDIT_KEY_FILE = ""
# Two-factor login is off unless a test turns it on with the `settings` fixture.
WAARDEWERK_REQUIRE_2FA = False
# Tasks run inside the request that enqueues them, so a test sees their effect at once; the tests of the
# queue itself switch to the database backend (core/tests/test_worker.py).
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
