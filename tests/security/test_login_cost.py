"""A burst of failed logins cannot make the server hash passwords without end (issue 13).

PBKDF2 costs about a second of CPU per hash. The per-address and per-account limits refuse
before any hash is computed, a failed attempt costs one hash (not one per authentication
backend), and each app-server process hashes for one login at a time, so a burst of logins
cannot occupy every worker thread (komdir/gunicorn.conf.py, docs/deploy.md).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from members import adapters

LOGIN = "/accounts/login/"
TOO_MANY = "for mange mislykkede logonforsøg"
BUSY = "Login er midlertidigt ikke muligt"


class CountingHasher(MD5PasswordHasher):
    """A real hasher, registered in PASSWORD_HASHERS, that counts the hashes it computes."""

    computed = 0

    def encode(self, password, salt):
        CountingHasher.computed += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings, member, password):
    settings.PASSWORD_HASHERS = ["tests.security.test_login_cost.CountingHasher"]
    member.set_password(password)
    member.save(update_fields=["password"])
    CountingHasher.computed = 0
    return CountingHasher


def _attempt(client, email, password="forkert-forkert"):
    return client.post(LOGIN, {"login": email, "password": password})


@pytest.mark.django_db
def test_a_failed_login_costs_one_hash_known_address_or_not(client, hashes, member):
    assert not _attempt(client, member.email).wsgi_request.user.is_authenticated
    assert hashes.computed == 1
    assert not _attempt(client, "ukendt@kommune.test").wsgi_request.user.is_authenticated
    assert hashes.computed == 2


@pytest.mark.django_db
def test_past_the_per_address_limit_no_password_is_hashed(client, hashes):
    for i in range(10):
        assert TOO_MANY not in _attempt(client, f"ukendt{i}@kommune.test").content.decode()
    assert hashes.computed == 10
    for i in range(10, 20):
        refused = _attempt(client, f"ukendt{i}@kommune.test")
        assert refused.status_code == 200 and TOO_MANY in refused.content.decode()
    assert hashes.computed == 10


@pytest.mark.django_db
def test_past_the_per_account_limit_not_even_the_right_password_is_hashed(client, hashes, member, password):
    for _ in range(5):
        _attempt(client, member.email)
    before = hashes.computed
    for attempt in ("forkert-igen", password):
        refused = _attempt(client, member.email, attempt)
        assert TOO_MANY in refused.content.decode()
        assert not refused.wsgi_request.user.is_authenticated
    assert hashes.computed == before


@pytest.mark.django_db
def test_while_this_process_hashes_for_another_login_a_new_one_is_refused_in_danish(
    client, settings, hashes, member, password
):
    settings.KOMDIR_LOGIN_HASH_WAIT_SECONDS = 0
    # Another thread of this process is checking a password right now (it holds the slot).
    assert adapters.password_checks.acquire(blocking=False)
    try:
        refused = _attempt(client, member.email, password)
    finally:
        adapters.password_checks.release()
    assert refused.status_code == 200
    assert BUSY in refused.content.decode()
    assert not refused.wsgi_request.user.is_authenticated
    assert hashes.computed == 0
    # Once the other check is done, logging in works (the refusal did not use up the limits).
    assert _attempt(client, member.email, password).status_code == 302
