"""Settings for KOMDIR-portalen: one module, driven by environment variables.

DJANGO_DEBUG (default off), DJANGO_SECRET_KEY (required with DEBUG off),
DJANGO_ALLOWED_HOSTS (comma-separated), DATABASE_URL (unset = SQLite file),
plus the optional variables documented in README.md.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from komdir import env

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.env_bool("DJANGO_DEBUG", os.environ.get("DJANGO_DEBUG"), default=False)
SECRET_KEY = env.secret_key(os.environ.get("DJANGO_SECRET_KEY"), debug=DEBUG)
ALLOWED_HOSTS = env.env_list(
    os.environ.get("DJANGO_ALLOWED_HOSTS"),
    default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [],
)
CSRF_TRUSTED_ORIGINS = env.env_list(os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS"), default=[])
SITE_URL = os.environ.get("KOMDIR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "komdir.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Records each login's session key, so ending a member's sessions reaches every store.
    "allauth.usersessions",
    "taggit",
    "django_tasks_db",
    # The layers, bottom up (docs/architecture.md): people, the strategy and what members write
    # about it, circles and meetings, then the features that gather from all of them.
    "members",
    "focus",
    "focus.voice",
    "circles",
    "circles.polls",
    "circles.decisions",
    "komdir.notifications",
    "komdir.overview",
    "komdir.directory",
    "komdir.search",
    "komdir.privacy",
    "komdir.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "komdir.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "komdir.middleware.SessionTimeoutMiddleware",
    "komdir.middleware.RecentWriterMiddleware",
    "komdir.middleware.PortalLoginRequiredMiddleware",
    "komdir.middleware.MembersLoginMiddleware",
    "komdir.middleware.SecurityHeadersMiddleware",
]
# `make bench` counts each page's SQL queries in an X-Query-Count header; never set in production.
if os.environ.get("KOMDIR_BENCH_QUERY_COUNT") == "1":
    MIDDLEWARE.insert(0, "komdir.middleware.QueryCountMiddleware")

# Form widgets render through templates/django/forms/ so they carry the design system's classes.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "komdir.urls"
WSGI_APPLICATION = "komdir.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "komdir.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.database_config(os.environ.get("DATABASE_URL"), sqlite_path=str(BASE_DIR / "db.sqlite3"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite (development) builds a covering index without its INCLUDE columns, which only
# PostgreSQL's index-only scans use (focus.Case's listing index): that is all W040 says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "members.User"
# allauth's backend only (it is Django's ModelBackend plus e-mail login): with both, every
# failed login computed two PBKDF2 hashes, one per backend.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "overview:overview"

# django-allauth: e-mail login, no usernames, no public signup (see members.adapters).
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[KOMDIR] "
# A member is told by mail when their password, e-mail or two-factor login changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind the reverse proxy every request comes from 127.0.0.1: the per-IP limits above would
# be one limit for all members. KOMDIR_TRUSTED_PROXY_COUNT=1 (docs/deploy.md) makes allauth
# take the client's address from the proxy's X-Forwarded-For; never set it without a proxy,
# or clients could choose their own address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("KOMDIR_TRUSTED_PROXY_COUNT", "0"))
# A login waits at most this long for its process's password check slot (members.adapters),
# then is refused with a Danish message: a burst of logins never holds every worker thread.
KOMDIR_LOGIN_HASH_WAIT_SECONDS = float(os.environ.get("KOMDIR_LOGIN_HASH_WAIT_SECONDS", "1"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "KOMDIR-portalen"

INVITATION_VALID_DAYS = int(os.environ.get("KOMDIR_INVITATION_VALID_DAYS", "14"))

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
_DKFDS = BASE_DIR / "node_modules" / "dkfds" / "dist"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("dkfds/css", _DKFDS / "css"),
    ("dkfds/js", _DKFDS / "js"),
    ("dkfds/fonts", _DKFDS / "fonts"),
    ("dkfds/img", _DKFDS / "img"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("KOMDIR_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded attachments go to an S3-compatible bucket when KOMDIR_S3_BUCKET is set (see
# docs/deploy.md). They are only ever handed out by the permission-checked download view, which
# streams them through the storage API, so objects stay private: no ACL is sent (the bucket's
# private default applies, and buckets with ACLs disabled accept the upload), no custom domain,
# and storage.url() is never used for attachments.
_S3_VARS = (
    "KOMDIR_S3_BUCKET",
    "KOMDIR_S3_ENDPOINT_URL",
    "KOMDIR_S3_REGION",
    "KOMDIR_S3_ACCESS_KEY_ID",
    "KOMDIR_S3_SECRET_ACCESS_KEY",
    "KOMDIR_S3_ADDRESSING_STYLE",
    "KOMDIR_S3_USE_INSTANCE_CREDENTIALS",
)
_s3 = {name: os.environ.get(name, "").strip() for name in _S3_VARS}
_s3["KOMDIR_S3_USE_INSTANCE_CREDENTIALS"] = env.env_bool(
    "KOMDIR_S3_USE_INSTANCE_CREDENTIALS", os.environ.get("KOMDIR_S3_USE_INSTANCE_CREDENTIALS"), default=False
)
if _s3["KOMDIR_S3_BUCKET"]:
    _use_instance_credentials = _s3["KOMDIR_S3_USE_INSTANCE_CREDENTIALS"]
    _has_key, _has_secret = bool(_s3["KOMDIR_S3_ACCESS_KEY_ID"]), bool(_s3["KOMDIR_S3_SECRET_ACCESS_KEY"])
    if _has_key != _has_secret:
        raise ImproperlyConfigured(
            "KOMDIR_S3_ACCESS_KEY_ID and KOMDIR_S3_SECRET_ACCESS_KEY must be set together."
        )
    if _use_instance_credentials and _has_key:
        raise ImproperlyConfigured(
            "KOMDIR_S3_USE_INSTANCE_CREDENTIALS=1 takes the credentials from the server's role; "
            "remove KOMDIR_S3_ACCESS_KEY_ID and KOMDIR_S3_SECRET_ACCESS_KEY, or switch it off."
        )
    if not _use_instance_credentials and not _has_key:
        raise ImproperlyConfigured(
            "KOMDIR_S3_BUCKET is set, but no credentials: set KOMDIR_S3_ACCESS_KEY_ID and "
            "KOMDIR_S3_SECRET_ACCESS_KEY, or KOMDIR_S3_USE_INSTANCE_CREDENTIALS=1 to use the "
            "server's role (boto3's default credential chain)."
        )
    if _s3["KOMDIR_S3_ADDRESSING_STYLE"] not in {"", "auto", "path", "virtual"}:
        raise ImproperlyConfigured(
            f"KOMDIR_S3_ADDRESSING_STYLE={_s3['KOMDIR_S3_ADDRESSING_STYLE']!r} is not one of "
            "auto, path, virtual."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3["KOMDIR_S3_BUCKET"],
            "endpoint_url": _s3["KOMDIR_S3_ENDPOINT_URL"] or None,
            "region_name": _s3["KOMDIR_S3_REGION"] or None,
            # None: boto3 looks for credentials itself (instance role, AWS_* variables).
            "access_key": _s3["KOMDIR_S3_ACCESS_KEY_ID"] or None,
            "secret_key": _s3["KOMDIR_S3_SECRET_ACCESS_KEY"] or None,
            "addressing_style": _s3["KOMDIR_S3_ADDRESSING_STYLE"] or None,
            "default_acl": None,
            "custom_domain": None,
            "querystring_auth": True,
            # Names are random already; never silently replace an existing object.
            "file_overwrite": False,
            # A download is spooled before streaming: keep up to 5 MB in memory, spill the rest
            # of a (max 20 MB) attachment to a temporary file.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
elif any(_s3.values()):
    raise ImproperlyConfigured(
        "Some KOMDIR_S3_* variables are set, but KOMDIR_S3_BUCKET is not: set the bucket to "
        "store attachments in S3, or remove the other KOMDIR_S3_* variables to keep them in "
        "KOMDIR_MEDIA_ROOT."
    )

# Mail goes through Django's mail system. Development without EMAIL_HOST prints mail to the
# console; production always uses SMTP (EMAIL_HOST, default a local MTA on localhost:25).
DEFAULT_FROM_EMAIL = os.environ.get("KOMDIR_FROM_EMAIL", "KOMDIR <noreply@komdir.dk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if DEBUG and not os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env.env_bool("EMAIL_USE_TLS", os.environ.get("EMAIL_USE_TLS"), default=False),
            },
        }
    }

# Security. Content-Security-Policy: our own origin only, scripts by nonce, no inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A form that can no longer be sent gets the portal's page, which keeps what was written.
CSRF_FAILURE_VIEW = "komdir.views.csrf_failure"
# Sessions live in the database (shared by every app server). A session ends after two hours
# without activity (idle) and twelve hours after login (absolute), whichever comes first.
SESSION_IDLE_TIMEOUT = int(os.environ.get("KOMDIR_SESSION_IDLE_SECONDS", 60 * 60 * 2))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("KOMDIR_SESSION_ABSOLUTE_SECONDS", 60 * 60 * 12))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_NAME = "komdir_session"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.env_bool(
        "DJANGO_SECURE_SSL_REDIRECT", os.environ.get("DJANGO_SECURE_SSL_REDIRECT"), default=True
    )
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Caches.
# Two stores that never share rows (komdir/env.py `cache_config`): `default` holds the login,
# reset and two-factor rate limits and the two-factor replay guard (allauth uses `default`) in
# the database cache, never culled by page views; `fragments` holds rendered page fragments
# (komdir/lib/fragments/), in Redis when REDIS_URL is set, else in their own database cache table.
# `migrate` creates the cache tables (komdir/apps.py). Redis is only ever a speed-up: when it
# does not answer, pages render uncached and /healthz reports the cache as down.
# Development and tests without REDIS_URL use per-process memory caches.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = env.cache_config(REDIS_URL, debug=DEBUG)
# After Redis has failed, pages skip it for this many seconds before trying again.
KOMDIR_CACHE_RETRY_SECONDS = float(os.environ.get("KOMDIR_CACHE_RETRY_SECONDS", "5"))
# Sessions stay in the database alone (Django's default engine): none of them is lost or
# resurrected by a cache, whatever happens to Redis.

# Busy pages keep their rendered discussion and lists in the shared cache, per audience
# (komdir/lib/fragments/); KOMDIR_FRAGMENT_CACHE=0 turns it off (`make bench` measures both).
KOMDIR_FRAGMENT_CACHE = env.env_bool(
    "KOMDIR_FRAGMENT_CACHE", os.environ.get("KOMDIR_FRAGMENT_CACHE"), default=True
)
# A new comment reaches the lists that show comments (home, search, the most discussed) within
# this many seconds; its own page, and every page of the member who wrote it, at once.
KOMDIR_FRAGMENT_SOON_SECONDS = float(os.environ.get("KOMDIR_FRAGMENT_SOON_SECONDS", "60"))

# Background work (e-mail) through Django's tasks framework: at once in development and
# tests, through django-tasks-db's queue and `manage.py db_worker` in production.
TASKS_BACKEND = os.environ.get("KOMDIR_TASKS_BACKEND", "immediate" if DEBUG else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "komdir": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "komdir.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
