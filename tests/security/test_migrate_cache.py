"""`migrate` on a fresh database leaves a working cache (issue 13).

Production without REDIS_URL keeps rate limits and page fragments in database cache tables.
Django creates those only with `manage.py createcachetable`, so a fresh `migrate` crashed
(`no such table: komdir_cache`: data migrations write content, and every content write bumps
the fragment generation), and a database migrated otherwise answered 500 on the first login.
Run as the README says, in a real process with production settings and a new database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

# Logs in with a wrong and then the right password and views a cached page, all through the
# test client of the migrated process: each step writes to one of the cache tables.
CHECK = """
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from tests.factories import PASSWORD, make_member

# As the suite's conftest: no collectstatic, and a fast hasher.
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
).enable()
member = make_member(email="ny@kommune.test")
client = Client()
wrong = client.post("/accounts/login/", {"login": member.email, "password": "forkert-forkert"}, secure=True)
assert wrong.status_code == 200, wrong.status_code
assert "ikke korrekt" in wrong.content.decode() or "forkert" in wrong.content.decode().lower()
right = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD}, secure=True)
assert right.status_code == 302, right.status_code
assert client.get("/", secure=True).status_code == 200
assert client.get("/cases/", secure=True).status_code == 200
print("cache works")
"""


def _production_env(database_url: str) -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KOMDIR_", "REDIS_"))}
    return {
        **keep,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "KOMDIR_TASKS_BACKEND": "immediate",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "1",
    }


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def fresh_database(tmp_path):
    """A new, empty database of the kind the suite runs on (SQLite file or PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    import psycopg

    name = f"komdir_fresh_{uuid.uuid4().hex[:12]}"
    params = connection.settings_dict
    admin = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "dbname": "postgres",
        "autocommit": True,
    }
    if params["PASSWORD"]:
        admin["password"] = params["PASSWORD"]
    with psycopg.connect(**admin) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    yield f"postgres://{auth}@{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(**admin) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrate_on_a_fresh_database_leaves_the_cache_ready_for_the_first_login(fresh_database):
    env = _production_env(fresh_database)
    migrated = _manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    checked = _manage(env, "shell", "-c", CHECK)
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "cache works" in checked.stdout
    # Migrating again (the next deploy) finds the tables in place and keeps them.
    again = _manage(env, "migrate", "--noinput")
    assert again.returncode == 0, again.stderr[-3000:]
