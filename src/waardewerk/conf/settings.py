"""Settings, read from environment variables with defaults that run locally.

Every variable is documented in README.md ("Configuration").
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

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

_secret = os.environ.get("WAARDEWERK_SECRET_KEY")
if not _secret:
    if not DEBUG and not env_bool("WAARDEWERK_ALLOW_DEV_SECRET", False):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set WAARDEWERK_SECRET_KEY (or WAARDEWERK_DEBUG=1 for local development).")
    _secret = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = _secret

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
    "waardewerk.core",
    "waardewerk.accounts",
    "waardewerk.clients",
    "waardewerk.trajectories",
    "waardewerk.timeline",
    "waardewerk.instruments",
    "waardewerk.knowledge",
    "waardewerk.audit",
    "waardewerk.reports",
    "waardewerk.portal",
    "waardewerk.pages",
    "waardewerk.sampledata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "waardewerk.audit.middleware.AuditMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "waardewerk.core.middleware.LanguageChoiceMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
        },
    }
]

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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
# A user name is locked for LOCKOUT_MINUTES after LOCKOUT_ATTEMPTS failed logins within that many minutes.
WAARDEWERK_LOCKOUT_ATTEMPTS = int(os.environ.get("WAARDEWERK_LOCKOUT_ATTEMPTS", "5"))
WAARDEWERK_LOCKOUT_MINUTES = int(os.environ.get("WAARDEWERK_LOCKOUT_MINUTES", "15"))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Field encryption: free-text notes and health-related fields are encrypted at rest with Fernet keys
# kept outside the database (waardewerk.core.crypto; docs/security.md, "Encryption at rest"). Give the
# keys newest first, either in the variable (comma-separated) or in a file (one key per line). With
# neither, DEBUG generates DATA_DIR/field-keys once; otherwise the app refuses to start.
FIELD_ENCRYPTION_KEYS = env_list("WAARDEWERK_FIELD_KEYS", "")
FIELD_ENCRYPTION_KEYS_FILE = os.environ.get("WAARDEWERK_FIELD_KEYS_FILE", "").strip()

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

# The client portal (docs/portal.md). An invitation link works once and expires; the one-time code that
# follows expires sooner and allows a few attempts.
WAARDEWERK_PORTAL_INVITATION_HOURS = int(os.environ.get("WAARDEWERK_PORTAL_INVITATION_HOURS", "72"))
WAARDEWERK_PORTAL_CODE_MINUTES = int(os.environ.get("WAARDEWERK_PORTAL_CODE_MINUTES", "10"))
WAARDEWERK_PORTAL_CODE_ATTEMPTS = int(os.environ.get("WAARDEWERK_PORTAL_CODE_ATTEMPTS", "5"))
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WAARDEWERK_LOG_LEVEL", "INFO")},
}
