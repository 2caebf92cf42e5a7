"""Settings for the test suite: the normal settings with fast password hashing."""

import os

os.environ.setdefault("WAARDEWERK_DEBUG", "0")
os.environ.setdefault("WAARDEWERK_ALLOW_DEV_SECRET", "1")

from waardewerk.conf.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
