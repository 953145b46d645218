"""Ending a member's sessions ends them everywhere the session engine keeps them.

Production now keeps sessions in the database alone, but a deployment that reads them from Redis
first (`cached_db`, as the portal once did with REDIS_URL) must stay safe: deleting only the
database rows left the cached copy alive, so after deactivate → reactivate the old browser was
logged in again. These tests run with `cached_db` against a real Redis (database 14), and once
with the default settings.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from members import services
from tests.factories import PASSWORD, make_member

REDIS_TEST_URL = "redis://127.0.0.1:6379/14"
NEW_PASSWORD = "helt-nyt-kodeord-2026"


@pytest.fixture
def redis_sessions(settings):
    """Redis for every cache alias, sessions cached in it and kept in the database."""
    redis = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_TEST_URL,
        "KEY_PREFIX": "komdir-test-sessions",
    }
    settings.CACHES = {"default": redis, "fragments": {**redis, "KEY_PREFIX": "komdir-test-fragments"}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=["redis", "default"])
def session_settings(request):
    if request.param == "redis":
        request.getfixturevalue("redis_sessions")
    return request.param


def logged_in(user, password: str = PASSWORD) -> Client:
    """A browser that logged in through the portal's login form, as a member does."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content[:300]
    assert client.get("/medlemmer/").status_code == 200
    return client


def session_key(client: Client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def stored_anywhere(key: str) -> bool:
    """Whether the session engine (cache or database) still holds this session."""
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    in_db = Session.objects.filter(session_key=key).exists()
    return store().exists(key) or in_db


def is_logged_out(client: Client) -> bool:
    response = client.get("/medlemmer/")
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_deactivated_then_reactivated_member_stays_logged_out(session_settings, secretariat, member):
    browser = logged_in(member)
    key = session_key(browser)
    other = make_member(municipality_name="Vejle", email="bliver@vejle.dk")
    other_browser = logged_in(other)

    services.member_deactivate(member=member, actor=secretariat)
    services.member_reactivate(member=member, actor=secretariat)

    assert is_logged_out(browser)
    assert not stored_anywhere(key)
    assert other_browser.get("/medlemmer/").status_code == 200, "other members stay logged in"
    # The member can log in again with a new session.
    assert logged_in(member).get("/medlemmer/").status_code == 200


@pytest.mark.django_db
def test_admin_deactivate_and_reactivate_actions_end_the_cached_session(
    redis_sessions, secretariat_client, member
):
    browser = logged_in(member)
    key = session_key(browser)
    for action in ("deactivate", "reactivate"):
        response = secretariat_client.post(
            "/admin/members/user/", {"action": action, "_selected_action": [member.pk]}
        )
        assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_active
    assert is_logged_out(browser)
    assert not stored_anywhere(key)
    assert secretariat_client.get("/admin/").status_code == 200, "the secretary stays logged in"


@pytest.mark.django_db
def test_unticking_and_reticking_active_in_the_admin_ends_the_cached_session(
    redis_sessions, secretariat_client, member
):
    from tests.members.test_admin_members import change_form_data

    browser = logged_in(member)
    key = session_key(browser)
    url = f"/admin/members/user/{member.pk}/change/"
    data = change_form_data(secretariat_client, url)
    data.pop("is_active")
    assert secretariat_client.post(url, data).status_code == 302
    data = change_form_data(secretariat_client, url)
    data["is_active"] = "on"
    assert secretariat_client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.is_active
    assert not stored_anywhere(key)
    assert is_logged_out(browser)


@pytest.mark.django_db
def test_password_set_by_the_secretariat_ends_every_session_of_the_member(
    session_settings, secretariat_client, member
):
    browser = logged_in(member)
    key = session_key(browser)
    response = secretariat_client.post(
        f"/admin/members/user/{member.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert not stored_anywhere(key)
    assert is_logged_out(browser)
    assert secretariat_client.get("/admin/").status_code == 200, "the secretary stays logged in"


@pytest.mark.django_db
def test_deleting_ones_account_ends_the_sessions_on_other_devices(session_settings, member):
    phone = logged_in(member)
    laptop = logged_in(member)
    phone_key, laptop_key = session_key(phone), session_key(laptop)
    response = laptop.post("/medlemmer/mig/data/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not stored_anywhere(phone_key)
    assert not stored_anywhere(laptop_key)
    assert is_logged_out(phone)
    assert is_logged_out(laptop)


@pytest.mark.django_db
def test_changing_ones_own_password_ends_the_other_sessions_and_keeps_this_one(session_settings, member):
    phone = logged_in(member)
    laptop = logged_in(member)
    phone_key = session_key(phone)
    response = laptop.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content[:500]
    assert not stored_anywhere(phone_key)
    assert is_logged_out(phone)
    assert laptop.get("/medlemmer/").status_code == 200, "the browser that changed it stays logged in"


@pytest.mark.django_db
def test_sessions_opened_outside_the_login_form_are_ended_too(session_settings, secretariat, member):
    # force_login goes through django.contrib.auth.login only, as the admin and tests do.
    browser = Client()
    browser.force_login(member)
    key = session_key(browser)
    assert browser.get("/medlemmer/").status_code == 200
    services.member_deactivate(member=member, actor=secretariat)
    services.member_reactivate(member=member, actor=secretariat)
    assert not stored_anywhere(key)
    assert is_logged_out(browser)


@pytest.mark.django_db
def test_the_member_sees_and_can_end_their_own_sessions(member):
    from allauth.usersessions.models import UserSession

    phone = logged_in(member)
    laptop = logged_in(member)
    assert UserSession.objects.filter(user=member).count() == 2
    page = laptop.get("/accounts/sessions/")
    assert page.status_code == 200
    response = laptop.post("/accounts/sessions/", {"action": "end"})
    assert response.status_code == 302
    assert is_logged_out(phone)
    assert laptop.get("/medlemmer/").status_code == 200


@pytest.mark.django_db
def test_the_members_data_export_lists_their_sessions_without_the_keys(member):
    import json

    browser = logged_in(member)
    key = session_key(browser)
    raw = browser.get("/medlemmer/mig/data/eksport.json").content.decode()
    sessions = json.loads(raw)["sessions"]
    assert [s["ip"] for s in sessions] == ["127.0.0.1"]
    assert key not in raw
