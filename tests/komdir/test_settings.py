import json
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
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "KOMDIR_S3_", "AWS_"))
    }
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


@pytest.mark.parametrize("storage_env", [{}, "s3"], ids=["file system", "S3 storage"])
def test_production_settings_pass_the_deployment_checklist(storage_env):
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="portal.example",
        **(S3_ENV if storage_env == "s3" else {}),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


S3_ENV = {
    "KOMDIR_S3_BUCKET": "komdir-bilag",
    "KOMDIR_S3_ENDPOINT_URL": "https://s3.example.dk",
    "KOMDIR_S3_REGION": "eu-north-1",
    "KOMDIR_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "KOMDIR_S3_SECRET_ACCESS_KEY": "hemmelig-noegle",
}
# Builds the default storage (no network: boto3 connects lazily) and prints what it became.
DESCRIBE_STORAGE = (
    "import json; from django.core.files.storage import storages; s = storages['default']; "
    "print(json.dumps({'class': type(s).__module__ + '.' + type(s).__name__, "
    "**{k: getattr(s, k, None) for k in ('bucket_name', 'endpoint_url', 'region_name', 'access_key', "
    "'default_acl', 'custom_domain', 'file_overwrite', 'querystring_auth')}}))"
)


def storage_with(**extra_env: str) -> dict:
    result = run_django(["shell", "-v", "0", "-c", DESCRIBE_STORAGE], DJANGO_DEBUG="1", **extra_env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_attachments_stay_on_the_file_system_without_s3_variables():
    assert storage_with()["class"] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_s3_bucket_in_the_environment_selects_private_s3_storage():
    storage = storage_with(**S3_ENV)
    assert storage == {
        "class": "storages.backends.s3.S3Storage",
        "bucket_name": "komdir-bilag",
        "endpoint_url": "https://s3.example.dk",
        "region_name": "eu-north-1",
        "access_key": "AKIAEXAMPLE",
        "default_acl": None,
        "custom_domain": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }


def test_s3_with_instance_credentials_needs_no_keys():
    storage = storage_with(KOMDIR_S3_BUCKET="komdir-bilag", KOMDIR_S3_USE_INSTANCE_CREDENTIALS="1")
    assert storage["class"] == "storages.backends.s3.S3Storage"
    assert storage["access_key"] is None


@pytest.mark.parametrize(
    ("extra_env", "message"),
    [
        ({"KOMDIR_S3_BUCKET": "komdir-bilag"}, "KOMDIR_S3_BUCKET is set, but no credentials"),
        (
            {"KOMDIR_S3_BUCKET": "komdir-bilag", "KOMDIR_S3_ACCESS_KEY_ID": "AKIAEXAMPLE"},
            "must be set together",
        ),
        ({**S3_ENV, "KOMDIR_S3_USE_INSTANCE_CREDENTIALS": "1"}, "remove KOMDIR_S3_ACCESS_KEY_ID"),
        ({**S3_ENV, "KOMDIR_S3_ADDRESSING_STYLE": "sideways"}, "KOMDIR_S3_ADDRESSING_STYLE"),
        ({"KOMDIR_S3_ENDPOINT_URL": "https://s3.example.dk"}, "KOMDIR_S3_BUCKET is not"),
    ],
)
def test_half_an_s3_configuration_fails_start_up_with_a_readable_message(extra_env, message):
    result = run_django(["check"], DJANGO_DEBUG="1", **extra_env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_trusted_proxy_count_comes_from_the_environment():
    script = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    behind_nginx = run_django(
        ["shell", "-v", "0", "-c", script], DJANGO_DEBUG="1", KOMDIR_TRUSTED_PROXY_COUNT="1"
    )
    assert behind_nginx.stdout.strip() == "1", behind_nginx.stderr
    direct = run_django(["shell", "-v", "0", "-c", script], DJANGO_DEBUG="1")
    assert direct.stdout.strip() == "0", direct.stderr


def test_postgres_connections_start_no_parallel_workers():
    config = env.database_config("postgres://portal@db.example:5432/komdir", sqlite_path="x")
    assert config["OPTIONS"]["options"] == "-c max_parallel_workers_per_gather=0"
    keep = env.database_config(
        "postgres://portal@db.example:5432/komdir?options=-c%20work_mem%3D8MB", sqlite_path="x"
    )
    assert keep["OPTIONS"]["options"] == "-c work_mem=8MB"  # an operator's own options win


@pytest.mark.django_db
def test_the_portals_database_connection_has_its_session_options():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"
    else:
        assert "OPTIONS" not in env.database_config(None, sqlite_path="x")
