import logging
import time

import pytest

from komdir.middleware import LOGIN_AT_KEY, SEEN_AT_KEY


def assert_hardened(response):
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_public_page_has_the_security_headers_and_may_be_cached(client):
    response = client.get("/")
    assert_hardened(response)
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_member_pages_are_never_stored(member_client):
    response = member_client.get("/")
    assert_hardened(response)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_admin_has_the_security_headers_and_is_never_stored(secretariat_client):
    response = secretariat_client.get("/admin/")
    assert response.status_code == 200
    assert_hardened(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_session_cookie_is_httponly_and_samesite(client, member, password):
    response = client.post("/accounts/login/", {"login": member.email, "password": password})
    cookie = response.cookies["komdir_session"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_production_cookies_are_secure_and_hsts_is_on():
    from tests.komdir.test_settings import run_django

    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000,"
        " s.SECURE_SSL_REDIRECT)"
    )
    result = run_django(
        ["shell", "--no-imports", "-c", code],
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="portal.example",
    )
    assert result.stdout.split() == ["True", "True", "True", "True"], result.stderr


@pytest.mark.django_db
def test_idle_session_ends(member_client, settings):
    session = member_client.session
    session[SEEN_AT_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = member_client.get("/")
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_session_ends_after_the_absolute_limit_even_when_active(member_client, settings):
    session = member_client.session
    session[LOGIN_AT_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_TIMEOUT - 5
    session[SEEN_AT_KEY] = int(time.time())
    session.save()
    response = member_client.get("/")
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_active_session_survives(member_client):
    member_client.get("/")
    assert member_client.get("/").wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_logins_and_failures_are_logged_without_secrets(client, member, password, caplog):
    with caplog.at_level(logging.INFO, logger="komdir.security"):
        client.post("/accounts/login/", {"login": member.email, "password": "forkert-kodeord-1"})
        client.post("/accounts/login/", {"login": member.email, "password": password})
    text = caplog.text
    assert "login.failed" in text
    assert f"login.success user={member.pk}" in text
    assert member.email not in text
    assert password not in text and "forkert-kodeord-1" not in text


@pytest.mark.django_db
def test_two_factor_login_is_logged(client, secretariat, password, caplog):
    from tests.conftest import current_totp_code

    with caplog.at_level(logging.INFO, logger="komdir.security"):
        client.post("/accounts/login/", {"login": secretariat.email, "password": password})
        client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert "mfa.failed" in caplog.text
    assert f"mfa.success user={secretariat.pk} type=totp" in caplog.text


@pytest.mark.django_db
def test_next_redirect_stays_on_our_host(client, member, password):
    response = client.post(
        "/accounts/login/?next=https://evil.example/steal",
        {"login": member.email, "password": password, "next": "https://evil.example/steal"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
