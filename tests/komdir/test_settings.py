import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from komdir import env

ROOT = Path(__file__).resolve().parents[2]


def run_django(args: list[str], **extra_env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    environment.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unset_database_url_means_sqlite_file():
    config = env.database_config(None, sqlite_path="/tmp/db.sqlite3")
    assert config == {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/db.sqlite3"}


def test_postgres_url_is_parsed():
    config = env.database_config("postgres://portal:hemmelig@db.example:5433/komdir", sqlite_path="x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "portal",
        "hemmelig",
        "db.example",
        5433,
        "komdir",
    )


@pytest.mark.parametrize(
    "url",
    ["nonsense", "http://example.com/db", "postgres://u@h:notaport/db", "postgres://", "mysql://u@h/db"],
)
def test_malformed_database_url_is_refused_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database_config(url, sqlite_path="x")


def test_secret_key_is_required_without_debug():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY must be set"):
        env.secret_key(None, debug=False)
    with pytest.raises(ImproperlyConfigured, match="too short"):
        env.secret_key("short", debug=False)
    assert env.secret_key(None, debug=True).startswith("django-insecure")


def test_debug_flag_rejects_nonsense():
    assert env.env_bool("DJANGO_DEBUG", "1") is True
    assert env.env_bool("DJANGO_DEBUG", "off") is False
    assert env.env_bool("DJANGO_DEBUG", None) is False
    with pytest.raises(ImproperlyConfigured):
        env.env_bool("DJANGO_DEBUG", "måske")


def test_start_up_with_malformed_database_url_fails_with_a_readable_message():
    result = run_django(["check"], DJANGO_DEBUG="1", DATABASE_URL="postgres://u@h:notaport/db")
    assert result.returncode != 0
    assert "DATABASE_URL could not be read" in result.stderr
    assert "Expected e.g. postgres://" in result.stderr


def test_start_up_without_secret_key_in_production_fails_with_a_readable_message():
    result = run_django(["check"], DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="portal.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
