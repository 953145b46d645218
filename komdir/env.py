"""Parsing of the environment variables that drive settings.

Kept apart from settings.py so that the rules can be tested without re-importing
settings, and so that a bad value fails start-up with a message an operator can act on.
"""

from __future__ import annotations

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_bool(name: str, value: str | None, *, default: bool = False) -> bool:
    if value is None:
        return default
    normalised = value.strip().lower()
    if normalised in TRUE_VALUES:
        return True
    if normalised in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_list(value: str | None, *, default: list[str]) -> list[str]:
    if value is None or not value.strip():
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key(value: str | None, *, debug: bool) -> str:
    if value:
        if not debug and len(value) < 50:
            raise ImproperlyConfigured(
                "DJANGO_SECRET_KEY is too short: use at least 50 random characters, "
                'e.g. python -c "import secrets; print(secrets.token_urlsafe(50))".'
            )
        return value
    if debug:
        # Development only: a fixed, obviously insecure key so sessions survive restarts.
        return "django-insecure-development-key-do-not-use-in-production-komdir-portalen"
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. Generate one with "
        'python -c "import secrets; print(secrets.token_urlsafe(50))".'
    )


SUPPORTED_ENGINES = {
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
}


PG_SESSION_OPTIONS = "-c max_parallel_workers_per_gather=0"


def database_config(url: str | None, *, sqlite_path: str) -> dict:
    """Return Django's DATABASES["default"] for DATABASE_URL (unset = a SQLite file)."""
    if url is None or not url.strip():
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": sqlite_path}
    try:
        config = dj_database_url.parse(url.strip(), conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises ValueError/KeyError for odd input
        raise ImproperlyConfigured(
            f"DATABASE_URL could not be read ({exc}). Expected e.g. "
            "postgres://user:password@127.0.0.1:5432/komdir or sqlite:///path/to/db.sqlite3"
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in SUPPORTED_ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL uses an unsupported database ({engine or 'unknown'}); "
            "KOMDIR-portalen runs on PostgreSQL (postgres://…) or SQLite (sqlite:///…)."
        )
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL names no database: add it after the host, e.g. "
            "postgres://postgres@127.0.0.1:5432/komdir"
        )
    if engine == "django.db.backends.sqlite3":
        config.pop("CONN_HEALTH_CHECKS", None)
        config["CONN_MAX_AGE"] = 0
    if engine == "django.db.backends.postgresql":
        # A page's queries are short and many run at once on few cores: parallel workers only
        # add their start-up (measured: search 76 -> 68 ms alone, more under load).
        options = config.setdefault("OPTIONS", {})
        options.setdefault("options", PG_SESSION_OPTIONS)
    return config


# The security cache (allauth's rate limits, the two-factor replay guard, the `default` alias
# allauth uses) is never culled by page traffic: only login, reset and two-factor attempts
# write to it, and they are rate-limited per address, so this bound is never reached.
SECURITY_CACHE_MAX_ENTRIES = 1_000_000
# Rendered page fragments (komdir/lib/fragments/), the `fragments` alias: culled when full,
# which costs nothing but a re-render.
FRAGMENT_CACHE_MAX_ENTRIES = 5_000
# Seconds a Redis that does not answer may hold up a request (connect, then each reply).
REDIS_TIMEOUT = 0.5


def cache_config(redis_url: str | None, *, debug: bool) -> dict:
    """Return Django's CACHES for REDIS_URL: two aliases that never share a store.

    `default` holds security state (login and reset rate limits, used two-factor codes): the
    database cache, shared by every app server and kept as long as the database is. `fragments`
    holds rendered page fragments: Redis when REDIS_URL is set, else its own database cache
    table. Page views can therefore never evict a security counter, and a Redis outage costs
    only speed. Development (DEBUG) without REDIS_URL keeps both in process memory.
    """
    if debug and not redis_url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "security"},
            "fragments": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "fragments",
            },
        }
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "komdir_cache",
            "OPTIONS": {"MAX_ENTRIES": SECURITY_CACHE_MAX_ENTRIES},
        }
    }
    if redis_url:
        caches["fragments"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "komdir",
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    else:
        caches["fragments"] = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "komdir_fragment_cache",
            "OPTIONS": {"MAX_ENTRIES": FRAGMENT_CACHE_MAX_ENTRIES},
        }
    return caches
