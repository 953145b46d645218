"""Redis away: the portal keeps working uncached, says so on /healthz, and recovers by itself.

Issue 13: with REDIS_URL pointing at a Redis that did not answer, `/` and `/cases/` answered 500
while /healthz answered 200. Here REDIS_URL is a real closed port (a refused connection, as in
the database outage tests in test_faults.py) and then the real Redis again (database 12,
flushed before and after), in the same process, with the cache settings production builds.
"""

from __future__ import annotations

import socket

import pytest
import redis
from django.core.management import call_command

from focus import services as focus_services
from focus.models import FocusArea
from komdir import env

LIVE = "redis://127.0.0.1:6379/12"
LOGIN = "/accounts/login/"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_at(settings, db):
    """point("down") sends REDIS_URL to a closed port, point("up") to the real Redis db 12."""
    down = f"redis://127.0.0.1:{_closed_port()}/12"
    live = redis.Redis.from_url(LIVE)
    live.flushdb()
    # Try Redis again at once after a failure, so the recovery shows on the very next request.
    settings.KOMDIR_CACHE_RETRY_SECONDS = 0

    def point(state: str) -> None:
        settings.CACHES = env.cache_config(down if state == "down" else LIVE, debug=False)

    point("up")
    call_command("createcachetable", verbosity=0)
    yield point
    live.flushdb()


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


@pytest.mark.django_db
def test_pages_render_without_redis_health_says_so_and_all_recovers(client, redis_at, member, area, password):
    case = focus_services.case_create(
        author=member, focus_area=area, title="Før udfaldet", summary="R", body="T", publish=True
    )
    assert client.post(LOGIN, {"login": member.email, "password": password}).status_code == 302
    # Up: the case list is rendered once and kept in Redis.
    assert "Før udfaldet" in client.get("/cases/").content.decode()
    assert redis.Redis.from_url(LIVE).dbsize() > 0
    assert client.get("/healthz").json()["cache"] == "ok"

    redis_at("down")
    for url in ("/", "/cases/", case.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.wsgi_request.user == member, url  # the session comes from the database
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["status"] == "unavailable"
    assert health.json()["cache"] == "down"
    assert health.json()["database"] == "ok"
    # A write while Redis is away cannot mark the cached pages stale there ...
    focus_services.case_update(
        case=case, editor=member, focus_area=area, title="Under udfaldet", summary="R", body="T"
    )
    assert "Under udfaldet" in client.get("/cases/").content.decode()

    redis_at("up")
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["cache"] == "ok"
    # ... so the first answer after it starts afresh: the page from before is never served again.
    html = client.get("/cases/").content.decode()
    assert "Under udfaldet" in html and "Før udfaldet" not in html
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_login_keeps_its_limits_while_redis_is_away(client, redis_at, member, password):
    redis_at("down")
    for _ in range(5):
        wrong = client.post(LOGIN, {"login": member.email, "password": "forkert-forkert"})
        assert wrong.status_code == 200
        assert "for mange mislykkede logonforsøg" not in wrong.content.decode()
    refused = client.post(LOGIN, {"login": member.email, "password": password})
    assert refused.status_code == 200
    assert "for mange mislykkede logonforsøg" in refused.content.decode()
    assert not refused.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_login_and_logout_work_while_redis_is_away(client, redis_at, member, password):
    redis_at("down")
    assert client.post(LOGIN, {"login": member.email, "password": password}).status_code == 302
    assert client.get("/overblik/").wsgi_request.user == member
    assert client.post("/accounts/logout/").status_code == 302
    redis_at("up")
    assert not client.get("/overblik/").wsgi_request.user.is_authenticated
