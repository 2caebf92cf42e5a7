"""Settings for the test suite: the normal settings with fast password hashing."""

import os

os.environ.setdefault("WAARDEWERK_DEBUG", "0")
os.environ.setdefault("WAARDEWERK_ALLOW_DEV_SECRET", "1")

# A fixed field encryption key for the tests only; it protects no real data.
TEST_FIELD_KEY = "3z-Jq1ED0j-P72ovpqU-h48niYx0cYSk3L-XUsHQW6k="

from waardewerk.conf.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
FIELD_ENCRYPTION_KEYS = [TEST_FIELD_KEY]
FIELD_ENCRYPTION_KEYS_FILE = ""
# Two-factor login is off unless a test turns it on with the `settings` fixture.
WAARDEWERK_REQUIRE_2FA = False
