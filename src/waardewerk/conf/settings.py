"""Settings, read from environment variables with defaults that run locally.

Every variable is documented in README.md ("Configuration").
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from waardewerk.conf import published

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("WAARDEWERK_DEBUG", False)
DATA_DIR = Path(os.environ.get("WAARDEWERK_DATA_DIR", Path.cwd() / "var")).resolve()


def _secret_key() -> str:
    """``WAARDEWERK_SECRET_KEY``; only in debug mode the published development key. It signs sessions and
    keys the portal's one-time codes and the recovery codes, so a public key outside debug is refused."""

    secret = os.environ.get("WAARDEWERK_SECRET_KEY", "").strip()
    if DEBUG:
        return secret or published.DEV_SECRET_KEY
    if not secret:
        hint = ""
        if "WAARDEWERK_ALLOW_DEV_SECRET" in os.environ:
            hint = (
                " WAARDEWERK_ALLOW_DEV_SECRET is no longer accepted: the development key is published in the "
                "source code, so anyone could forge sessions and portal codes with it."
            )
        raise ImproperlyConfigured(
            "Set WAARDEWERK_SECRET_KEY to a long random value, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` (or set WAARDEWERK_DEBUG=1 for "
            "local development only)." + hint
        )
    if secret == published.DEV_SECRET_KEY:
        raise ImproperlyConfigured(
            "WAARDEWERK_SECRET_KEY is the development key, which is published in the source code. Set a long "
            "random value."
        )
    return secret


SECRET_KEY = _secret_key()
# Earlier secret keys, comma-separated, while rotating: still accepted for signatures and recovery codes.
SECRET_KEY_FALLBACKS = env_list("WAARDEWERK_SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = env_list("WAARDEWERK_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("WAARDEWERK_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "waardewerk.core",
    "waardewerk.accounts",
    "waardewerk.clients",
    "waardewerk.trajectories",
    "waardewerk.timeline",
    "waardewerk.instruments",
    "waardewerk.knowledge",
    "waardewerk.matching",
    "waardewerk.intervision",
    "waardewerk.development",
    "waardewerk.insights",
    "waardewerk.quality",
    "waardewerk.audit",
    "waardewerk.reports",
    "waardewerk.portal",
    "waardewerk.agenda",
    "waardewerk.workday",
    "waardewerk.transfer",
    "waardewerk.privacy",
    "waardewerk.pages",
    "waardewerk.sampledata",
    "waardewerk.api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

# The API (docs/api.md): Django REST framework, the application's token only (no session, so no staff
# page's log-in or CSRF token opens it), errors as problem+json, OpenAPI 3 by drf-spectacular with its
# documentation page's assets served from this server (sidecar), never from a CDN.
# The API's views refuse the methods they do not serve themselves, as a problem with their own Allow header.
WAARDEWERK_HTTP_METHODS_BY_VIEW = ["/api/"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["waardewerk.api.authentication.ApplicationTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["waardewerk.api.authentication.IsApplication"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "waardewerk.api.rest.problem_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Waardewerk API",
    "DESCRIPTION": "Clients, trajectories, measurements, plans, actions, conversations, employers, jobs and "
    "placements of one organisation, for a registered application (docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "waardewerk.api.schema.add_problems_and_version",
    ],
}

MIDDLEWARE = [
    # The request id comes first (every log line of the request carries it); the health endpoints answer
    # before sessions, log-in, HTTPS redirects and the access log (docs/operations.md, "Health").
    "waardewerk.core.observability.RequestIdMiddleware",
    "waardewerk.core.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A request that writes commits its change and its access-log events in one transaction.
    "waardewerk.core.middleware.WriteTransactionMiddleware",
    "waardewerk.audit.middleware.AuditMiddleware",
    "waardewerk.core.middleware.AllowedMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "waardewerk.core.middleware.LanguageChoiceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "waardewerk.core.middleware.PrivateResponseMiddleware",
    "waardewerk.accounts.middleware.SessionTimeoutMiddleware",
    "waardewerk.accounts.middleware.TwoFactorMiddleware",
    "waardewerk.portal.middleware.PortalSessionMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "waardewerk.urls"
WSGI_APPLICATION = "waardewerk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waardewerk.pages.context_processors.navigation",
            ],
            "builtins": ["waardewerk.core.templatetags.days"],
        },
    }
]

PREPARED_STATEMENTS_DEFAULT = True  # docs/operations.md, "Database": prepared statements
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'waardewerk.sqlite3'}"),
        conn_max_age=int(os.environ.get("WAARDEWERK_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if "DATABASE_URL" not in os.environ:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout let the web process and the task worker share the file safely.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "WAARDEWERK_DB_PREPARED_STATEMENTS", PREPARED_STATEMENTS_DEFAULT
):
    # Prepared statements (docs/operations.md, "Database"): the values go to the server apart from the SQL
    # (server-side binding), so a statement's text is the same on every request, and psycopg prepares a
    # statement that a connection has run ``prepare_threshold`` times: the server plans it once per
    # connection instead of on every request. Off behind a pooler in transaction mode before PgBouncer 1.21.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": int(os.environ.get("WAARDEWERK_DB_PREPARE_THRESHOLD", "5")),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache shared by all processes (rendered charts): Redis when REDIS_URL
# is set, otherwise a table in the database (created by `migrate`, migration core.0001). Nothing in it is
# the only copy of anything; entries are found by their content, so an emptied cache only costs time.
# "local" is each process's own memory, for rendered fragments that depend only on the language and the
# request's query string (the caseload's filter form).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_TABLE = "waardewerk_cache"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "waardewerk",
            "TIMEOUT": 30 * 24 * 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "TIMEOUT": 30 * 24 * 3600,
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("WAARDEWERK_CACHE_MAX_ENTRIES", "50000"))},
        }
    }
# Background work (Django's tasks API, docs/operations.md): a queue in the database, served by
# `waardewerk worker` (`make run` starts one next to the web server). WAARDEWERK_TASKS=immediate runs every
# task inside the request that enqueues it instead, for a single process without a worker.
TASKS_MODE = os.environ.get("WAARDEWERK_TASKS", "database")
if TASKS_MODE == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_MODE == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured("WAARDEWERK_TASKS must be 'database' or 'immediate'.")

CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "waardewerk-local",
    "TIMEOUT": 24 * 3600,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Security headers. The Content-Security-Policy allows no inline script or style without a nonce
# and never 'unsafe-eval'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# The database store, except that a lost connection while saving is a 503, not a 400 (core/sessions.py).
SESSION_ENGINE = "waardewerk.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
HTTPS = env_bool("WAARDEWERK_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("WAARDEWERK_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = int(os.environ.get("WAARDEWERK_SESSION_SECONDS", str(10 * 3600)))
# Login and sessions (docs/security.md, "Login and sessions"). SESSION_COOKIE_AGE is also the absolute
# limit of a session, counted from the login; the idle limit ends a session nobody used for that long.
WAARDEWERK_SESSION_IDLE_SECONDS = int(os.environ.get("WAARDEWERK_SESSION_IDLE_SECONDS", "1800"))
# Two-factor login (TOTP) for every staff user; off by default only in development (WAARDEWERK_DEBUG=1).
WAARDEWERK_REQUIRE_2FA = env_bool("WAARDEWERK_REQUIRE_2FA", not DEBUG)
# When it is required, the first set-up of an authenticator app needs a one-time link from a functional
# administrator (valid this many hours) and a password typed within WAARDEWERK_2FA_ENROLMENT_MINUTES.
WAARDEWERK_2FA_ENROLMENT_HOURS = int(os.environ.get("WAARDEWERK_2FA_ENROLMENT_HOURS", "24"))
WAARDEWERK_2FA_ENROLMENT_MINUTES = int(os.environ.get("WAARDEWERK_2FA_ENROLMENT_MINUTES", "10"))
# Login throttling (docs/security.md, "Lockout and throttling"): a user name from one address is locked for
# LOCKOUT_MINUTES after LOCKOUT_ATTEMPTS failed logins within that many minutes; a user name from all
# addresses together gets LOCKOUT_USER_ATTEMPTS, then growing delays (LOCKOUT_DELAY_SECONDS, doubling, at
# most LOCKOUT_MINUTES) instead of a lock; an address gets LOCKOUT_IP_ATTEMPTS failures for all names.
WAARDEWERK_LOCKOUT_ATTEMPTS = int(os.environ.get("WAARDEWERK_LOCKOUT_ATTEMPTS", "5"))
WAARDEWERK_LOCKOUT_MINUTES = int(os.environ.get("WAARDEWERK_LOCKOUT_MINUTES", "15"))
WAARDEWERK_LOCKOUT_USER_ATTEMPTS = int(
    os.environ.get("WAARDEWERK_LOCKOUT_USER_ATTEMPTS", str(2 * WAARDEWERK_LOCKOUT_ATTEMPTS))
)
WAARDEWERK_LOCKOUT_DELAY_SECONDS = int(os.environ.get("WAARDEWERK_LOCKOUT_DELAY_SECONDS", "30"))
WAARDEWERK_LOCKOUT_IP_ATTEMPTS = int(os.environ.get("WAARDEWERK_LOCKOUT_IP_ATTEMPTS", "20"))
# Login attempts (user name, address, time, outcome) are deleted after this many days.
WAARDEWERK_LOGIN_ATTEMPT_DAYS = int(os.environ.get("WAARDEWERK_LOGIN_ATTEMPT_DAYS", "30"))
# Behind a reverse proxy: the header that carries the client's address (e.g. X-Forwarded-For) and how many
# proxies append to it (waardewerk.core.network). Empty: REMOTE_ADDR is the client's address.
WAARDEWERK_TRUSTED_PROXY_HEADER = os.environ.get("WAARDEWERK_TRUSTED_PROXY_HEADER", "").strip()
WAARDEWERK_TRUSTED_PROXIES = int(os.environ.get("WAARDEWERK_TRUSTED_PROXIES", "1"))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Field encryption: free-text notes and health-related fields are encrypted at rest with Fernet keys
# kept outside the database (waardewerk.core.crypto; docs/security.md, "Encryption at rest"). Give the
# keys newest first, either in the variable (comma-separated) or in a file (one key per line). With
# neither, DEBUG generates DATA_DIR/field-keys once; otherwise the app refuses to start.
FIELD_ENCRYPTION_KEYS = env_list("WAARDEWERK_FIELD_KEYS", "")
FIELD_ENCRYPTION_KEYS_FILE = os.environ.get("WAARDEWERK_FIELD_KEYS_FILE", "").strip()
# The key that signs the access log's checkpoints (waardewerk.audit.keys), also outside the database:
# WAARDEWERK_AUDIT_KEY (comma-separated, newest first) or WAARDEWERK_AUDIT_KEY_FILE; DEBUG generates
# DATA_DIR/audit-key once, otherwise the app refuses to start without one.
WAARDEWERK_AUDIT_KEYS = env_list("WAARDEWERK_AUDIT_KEY", "")
WAARDEWERK_AUDIT_KEY_FILE = os.environ.get("WAARDEWERK_AUDIT_KEY_FILE", "").strip()
# The access log's chains side by side: each database connection appends to one of its own, so writers
# in several workers and nodes do not wait for each other (docs/security.md, "Audit trail"). At least the
# number of database connections that write at once; lowering it later is harmless.
WAARDEWERK_AUDIT_CHAINS = int(os.environ.get("WAARDEWERK_AUDIT_CHAINS", "16"))

# The HTTP methods the application serves at all; anything else gets 405 before a view runs
# (waardewerk.core.middleware.AllowedMethodsMiddleware). Each view narrows it with its own decorator.
WAARDEWERK_HTTP_METHODS = ("GET", "HEAD", "POST")

# Practice-based evidence (docs/practice-evidence.md): figures resting on fewer trajectories than this say
# "too few to show" (k; 5 at least: a lower value stops the application at start). The figures are
# computed again on the first view after they are this many hours old (or by `waardewerk insights compute`).
INSIGHTS_MIN_CELL_SIZE = int(os.environ.get("WAARDEWERK_INSIGHTS_MIN_CELL_SIZE", "10"))
INSIGHTS_MAX_AGE_HOURS = int(os.environ.get("WAARDEWERK_INSIGHTS_MAX_AGE_HOURS", "24"))
# Team quality figures (docs/quality.md) are computed again on the first view after they are this many hours
# old (or by `waardewerk quality compute`).
QUALITY_MAX_AGE_HOURS = int(os.environ.get("WAARDEWERK_QUALITY_MAX_AGE_HOURS", "24"))

# Page size of lists such as the caseload.
WAARDEWERK_PAGE_SIZE = int(os.environ.get("WAARDEWERK_PAGE_SIZE", "25"))

# Mail (Django 6.1 MAILERS): the console in development (the message is printed, nothing is sent), SMTP
# otherwise. The test runner replaces every mailer with the in-memory outbox.
if DEBUG and not os.environ.get("WAARDEWERK_EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("WAARDEWERK_EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("WAARDEWERK_EMAIL_PORT", "25")),
                "username": os.environ.get("WAARDEWERK_EMAIL_USER", ""),
                "password": os.environ.get("WAARDEWERK_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("WAARDEWERK_EMAIL_STARTTLS", False),
                "use_ssl": env_bool("WAARDEWERK_EMAIL_SSL", False),
                "timeout": int(os.environ.get("WAARDEWERK_EMAIL_TIMEOUT", "10")),
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("WAARDEWERK_EMAIL_FROM", "Waardewerk <noreply@localhost>")

# Emergency access ("break the glass", docs/authorization.md): how long a team lead's emergency read access
# to a dossier of their team lasts.
WAARDEWERK_EMERGENCY_ACCESS_HOURS = int(os.environ.get("WAARDEWERK_EMERGENCY_ACCESS_HOURS", "4"))

# The start page (docs/workday.md): after how many days without a conversation an open trajectory is a
# signal, and how long a questionnaire the client returned stays one.
# How a client asks for access, correction or erasure of their data (the portal's "Mijn gegevens" page):
# a contact text (e.g. "privacy@gemeente.nl of 14 020") and a page with the organisation's privacy
# statement. Both optional; without them the page says to ask the professional (docs/privacy.md).
WAARDEWERK_PRIVACY_CONTACT = os.environ.get("WAARDEWERK_PRIVACY_CONTACT", "").strip()
WAARDEWERK_PRIVACY_URL = os.environ.get("WAARDEWERK_PRIVACY_URL", "").strip()
WAARDEWERK_NO_CONTACT_DAYS = int(os.environ.get("WAARDEWERK_NO_CONTACT_DAYS", "30"))
WAARDEWERK_RETURNED_QUESTIONNAIRE_DAYS = int(os.environ.get("WAARDEWERK_RETURNED_QUESTIONNAIRE_DAYS", "14"))

# The client portal (docs/portal.md). An invitation link works once and expires; the one-time code that
# follows expires sooner and allows a few attempts.
WAARDEWERK_PORTAL_INVITATION_HOURS = int(os.environ.get("WAARDEWERK_PORTAL_INVITATION_HOURS", "72"))
WAARDEWERK_PORTAL_CODE_MINUTES = int(os.environ.get("WAARDEWERK_PORTAL_CODE_MINUTES", "10"))
WAARDEWERK_PORTAL_CODE_ATTEMPTS = int(os.environ.get("WAARDEWERK_PORTAL_CODE_ATTEMPTS", "5"))
# Requests per address to the portal's public log-in steps (link, code, identity-provider return) in
# WAARDEWERK_PORTAL_RATE_MINUTES; more get "429 Too Many Requests" until the period ends.
WAARDEWERK_PORTAL_RATE_LIMIT = int(os.environ.get("WAARDEWERK_PORTAL_RATE_LIMIT", "30"))
WAARDEWERK_PORTAL_RATE_MINUTES = int(os.environ.get("WAARDEWERK_PORTAL_RATE_MINUTES", "10"))
# Development only: show the invitation link to the professional and log the one-time code, so the demo
# works without mail. Never on in production.
WAARDEWERK_PORTAL_DEV_SECRETS = DEBUG and env_bool("WAARDEWERK_PORTAL_DEV_SECRETS", True)
# Text messages: "" (no SMS; the invitation offers e-mail only), "log" (development: written to the log,
# not sent), "http" (a JSON-over-HTTPS gateway, WAARDEWERK_SMS_HTTP_*) or the dotted path of a backend class.
WAARDEWERK_SMS_BACKEND = os.environ.get("WAARDEWERK_SMS_BACKEND", "log" if DEBUG else "")
WAARDEWERK_SMS_HTTP_URL = os.environ.get("WAARDEWERK_SMS_HTTP_URL", "")
WAARDEWERK_SMS_HTTP_TOKEN = os.environ.get("WAARDEWERK_SMS_HTTP_TOKEN", "")
WAARDEWERK_SMS_SENDER = os.environ.get("WAARDEWERK_SMS_SENDER", "Waardewerk")
# Log-in with an external identity provider (OpenID Connect, e.g. a DigiD broker). Off unless the issuer,
# client id and secret are set; the BSN claim identifies the client (Client.bsn).
WAARDEWERK_OIDC_ISSUER = os.environ.get("WAARDEWERK_OIDC_ISSUER", "").rstrip("/")
WAARDEWERK_OIDC_CLIENT_ID = os.environ.get("WAARDEWERK_OIDC_CLIENT_ID", "")
WAARDEWERK_OIDC_CLIENT_SECRET = os.environ.get("WAARDEWERK_OIDC_CLIENT_SECRET", "")
WAARDEWERK_OIDC_REDIRECT_URI = os.environ.get("WAARDEWERK_OIDC_REDIRECT_URI", "")
WAARDEWERK_OIDC_SCOPES = os.environ.get("WAARDEWERK_OIDC_SCOPES", "openid")
WAARDEWERK_OIDC_BSN_CLAIM = os.environ.get("WAARDEWERK_OIDC_BSN_CLAIM", "bsn")
WAARDEWERK_OIDC_LABEL = os.environ.get("WAARDEWERK_OIDC_LABEL", "DigiD")

# Logs (docs/operations.md, "Logs and errors"): one JSON object per line on standard error, each with the
# request id of the request it belongs to; WAARDEWERK_LOG_FORMAT=text for lines a person reads (the default
# with WAARDEWERK_DEBUG=1).
LOG_FORMAT = os.environ.get("WAARDEWERK_LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("WAARDEWERK_LOG_FORMAT must be 'json' or 'text'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "waardewerk.core.observability.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # UTC, ISO 8601
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("WAARDEWERK_LOG_LEVEL", "INFO")},
}

# Readiness (/readyz, docs/operations.md "Health"): not ready when the oldest task that could run has waited
# this many seconds in the queue (no worker running, or too few); 0 leaves the queue out of the check.
WAARDEWERK_READY_TASK_LAG_SECONDS = int(os.environ.get("WAARDEWERK_READY_TASK_LAG_SECONDS", "300"))

# Error reports to Sentry (or a service that speaks its protocol) when SENTRY_DSN is set, without personal
# data (waardewerk.core.observability.strip_personal_data).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
if SENTRY_DSN:
    from waardewerk.core.observability import init_sentry

    init_sentry(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", "production"))
