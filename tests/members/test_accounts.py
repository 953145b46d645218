import re

import pytest

from members.models import User


@pytest.mark.django_db
def test_member_logs_in_with_email_and_password_and_logs_out(client, member, password):
    response = client.post("/accounts/login/", {"login": member.email, "password": password})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == member
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not client.get("/").wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_wrong_password_is_refused_in_danish(client, member):
    response = client.post("/accounts/login/", {"login": member.email, "password": "forkert-forkert"})
    assert response.status_code == 200
    assert "ikke korrekt" in response.content.decode() or "forkert" in response.content.decode().lower()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_inactive_member_cannot_log_in(client, member, password):
    User.objects.filter(pk=member.pk).update(is_active=False)
    client.post("/accounts/login/", {"login": member.email, "password": password})
    assert not client.get("/").wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_password_reset_mails_a_link_that_sets_a_new_password(client, member, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new = "et-helt-nyt-kodeord-2026"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new)


@pytest.mark.django_db
def test_public_signup_is_closed(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "Kun for inviterede medlemmer" in response.content.decode()
    response = client.post(
        "/accounts/signup/", {"email": "fremmed@example.com", "password1": "x" * 14, "password2": "x" * 14}
    )
    assert not User.objects.filter(email="fremmed@example.com").exists()


@pytest.mark.django_db
def test_login_page_offers_no_signup_link(client):
    html = client.get("/accounts/login/").content.decode()
    assert "/accounts/signup/" not in html
    assert html.count("/accounts/password/reset/") == 1


@pytest.mark.django_db
def test_behind_the_proxy_login_limits_count_per_client_address(
    client, settings, member, other_member, password
):
    """With KOMDIR_TRUSTED_PROXY_COUNT=1 (nginx in front) ten failures from one client's address
    block that address only, not every member behind the same proxy."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def attempt(email, pw, address):
        return client.post("/accounts/login/", {"login": email, "password": pw}, HTTP_X_FORWARDED_FOR=address)

    for i in range(10):
        attempt(f"ukendt{i}@kommune.test", "forkert-forkert", "198.51.100.7")
    refused = attempt(member.email, password, "198.51.100.7")
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    assert "for mange mislykkede logonforsøg" in refused.content.decode()
    response = attempt(other_member.email, password, "203.0.113.9")
    assert response.status_code == 302 and response.wsgi_request.user == other_member
