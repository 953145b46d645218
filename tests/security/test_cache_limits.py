"""Login rate limits and two-factor replay protection survive a flood of anonymous page views.

Issue 13: without REDIS_URL production used one database cache of 300 rows, culled
alphabetically, for both the security counters and the rendered page fragments; every
cookie-less visit to a cached page added a fragment row, so a few hundred anonymous GETs
deleted the counters. Every test here runs with the cache settings production builds from its
environment (`komdir.env.cache_config`), once without REDIS_URL (the database cache) and once
with a real Redis (database 12, flushed before and after).
"""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from komdir import env
from tests.conftest import current_totp_code

REDIS_URL = "redis://127.0.0.1:6379/12"
LOGIN = "/accounts/login/"
TOTP = "/accounts/2fa/authenticate/"
TOO_MANY = "for mange mislykkede logonforsøg"
# More anonymous views than the old cache had rows (300): enough to cull it more than once.
FLOOD = 330


def _flush_redis():
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture(params=["database", "redis"])
def production_caches(request, settings, db):
    """The CACHES production builds without REDIS_URL, or with REDIS_URL at Redis db 12."""
    url = REDIS_URL if request.param == "redis" else ""
    _flush_redis()
    settings.CACHES = env.cache_config(url, debug=False)
    call_command("createcachetable", verbosity=0)
    yield request.param
    _flush_redis()


def _stored_entries() -> int:
    """Every entry in every cache production uses: database cache rows plus Redis keys."""
    total = 0
    for config in settings.CACHES.values():
        if config["BACKEND"].endswith("DatabaseCache"):
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(config["LOCATION"])  # our own setting, quoted
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                total += cursor.fetchone()[0]
    total += redis.Redis.from_url(REDIS_URL).dbsize()
    return total


def _flood(count: int = FLOOD) -> None:
    """Anonymous visitors without cookies, each viewing the (cached) front page once."""
    for _ in range(count):
        assert Client().get("/").status_code == 200


@pytest.mark.django_db
def test_anonymous_visits_store_nothing_in_any_cache(production_caches):
    _flood(2)  # the first views may store what every viewer shares (the content generation)
    before = _stored_entries()
    _flood(25)
    assert _stored_entries() == before


@pytest.mark.django_db
def test_the_login_limit_still_bites_after_a_flood(production_caches, client, member, password):
    for _ in range(5):
        wrong = client.post(LOGIN, {"login": member.email, "password": "forkert-forkert"})
        assert wrong.status_code == 200 and TOO_MANY not in wrong.content.decode()
    _flood()
    refused = client.post(LOGIN, {"login": member.email, "password": password})
    assert refused.status_code == 200
    assert TOO_MANY in refused.content.decode()
    assert not refused.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_the_two_factor_limit_still_bites_after_a_flood(production_caches, client, secretariat, password):
    assert client.post(LOGIN, {"login": secretariat.email, "password": password}).status_code == 302
    for _ in range(5):
        wrong = client.post(TOTP, {"code": "000000"})
        assert wrong.status_code == 200 and TOO_MANY not in wrong.content.decode()
    _flood()
    refused = client.post(TOTP, {"code": current_totp_code()})
    assert refused.status_code == 200
    assert TOO_MANY in refused.content.decode()
    assert not refused.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_a_used_two_factor_code_stays_used_after_a_flood(production_caches, settings, secretariat, password):
    # A ten-minute code period, so the flood always fits inside one period however slow the
    # machine: the used-code guard is kept for one period, and the test is whether visitors can
    # evict it, not whether 330 requests finish within 30 seconds.
    settings.MFA_TOTP_PERIOD = 600
    code = current_totp_code(margin=60)
    first = Client()
    assert first.post(LOGIN, {"login": secretariat.email, "password": password}).status_code == 302
    assert first.post(TOTP, {"code": code}).status_code == 302
    _flood()
    second = Client()
    assert second.post(LOGIN, {"login": secretariat.email, "password": password}).status_code == 302
    assert current_totp_code(margin=0) == code, "the flood outlasted the code's period"
    replay = second.post(TOTP, {"code": code})
    assert replay.status_code == 200
    assert not replay.wsgi_request.user.is_authenticated
