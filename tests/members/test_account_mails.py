"""Every e-mail allauth sends for the portal is Danish, signed by KOMDIR, with links that work.

Each test triggers the mail the way a member does (the real pages, the real mail outbox),
checks subject and text, and follows the link in it with the test client.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from members.models import User
from tests.factories import PASSWORD

NEW_PASSWORD = "et-helt-nyt-kodeord-2026"
# What allauth's own (English, or machine-translated Danish) templates say.
FOREIGN = (
    "Hej fra",
    "Hello from",
    "Thank you for using",
    "Tak fordi du",
    "Password Email",
    "Nulstilling af Password",
    "You are receiving",
    "You're receiving",
    "testserver!",
    "testserver\n",
)
SITE = "https://portal.komdir.test"
LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def assert_komdir_mail(mail, *, subject: str, to: str) -> None:
    assert mail.to == [to]
    assert mail.subject == f"[KOMDIR] {subject}"
    for text in FOREIGN:
        assert text not in mail.subject and text not in mail.body, text
    assert f"Venlig hilsen\nKOMDIR\n{SITE}" in mail.body
    assert "&amp;" not in mail.body and "&#x27;" not in mail.body and "&quot;" not in mail.body


def links(mail) -> list[str]:
    found = LINK.findall(mail.body)
    for url in found:
        assert url.startswith(("http://testserver/", SITE)), url
    return [url for url in found if url.startswith("http://testserver/")]


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def logged_in(user, password: str = PASSWORD) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"login": user.email, "password": password}).status_code == 302
    return client


@pytest.mark.django_db
def test_password_reset_mail_is_danish_and_its_link_sets_a_new_password(client, member, mailoutbox):
    User.objects.filter(pk=member.pk).update(first_name="Åse")
    assert client.post("/accounts/password/reset/", {"email": member.email}).status_code == 302
    [mail] = mailoutbox
    assert_komdir_mail(mail, subject="Nulstil din adgangskode til KOMDIR-portalen", to=member.email)
    assert mail.body.startswith("Kære Åse\n")
    assert "Vælg en ny adgangskode her:" in mail.body
    [link] = links(mail)
    assert "/accounts/password/reset/key/" in link
    response = client.get(path_of(link), follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path_of(link)
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    # The member is told that the password was reset.
    notice = mailoutbox[1]
    assert_komdir_mail(notice, subject="Din adgangskode er nulstillet", to=member.email)
    assert "Din adgangskode er nulstillet." in notice.body
    assert "kontakt KOMDIRs sekretariat" in notice.body


@pytest.mark.django_db
def test_password_reset_in_english_still_mails_danish(client, member, mailoutbox):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/accounts/password/reset/", {"email": member.email})
    [mail] = mailoutbox
    assert_komdir_mail(mail, subject="Nulstil din adgangskode til KOMDIR-portalen", to=member.email)


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_says_so_in_danish(client, mailoutbox):
    assert client.post("/accounts/password/reset/", {"email": "ukendt@kommune.test"}).status_code == 302
    [mail] = mailoutbox
    assert_komdir_mail(mail, subject="Der findes ingen konto med din e-mail", to="ukendt@kommune.test")
    assert "ukendt@kommune.test" in mail.body
    assert mail.body.startswith("Hej\n")
    for link in links(mail):
        assert client.get(path_of(link)).status_code == 200


@pytest.mark.django_db
def test_changing_ones_password_sends_a_danish_notice(member, mailoutbox):
    browser = logged_in(member)
    response = browser.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    [mail] = mailoutbox
    assert_komdir_mail(mail, subject="Din adgangskode er ændret", to=member.email)
    assert f"Kære {member.first_name}\n" in mail.body
    assert "Din adgangskode er ændret." in mail.body
    assert "fra IP-adressen: 127.0.0.1" in mail.body


@pytest.mark.django_db
def test_a_new_email_address_is_confirmed_by_a_danish_mail_whose_link_works(member, mailoutbox):
    browser = logged_in(member)
    new = "ny.adresse@kommune.test"
    response = browser.post("/accounts/email/", {"email": new, "action_add": ""})
    assert response.status_code == 302, response.content[:500]
    [mail] = mailoutbox
    assert_komdir_mail(mail, subject="Bekræft din e-mail", to=new)
    assert f"Du har tilføjet e-mailen {new} til din konto på KOMDIR-portalen." in mail.body
    [link] = links(mail)
    assert "/accounts/confirm-email/" in link
    assert browser.get(path_of(link)).status_code == 200
    response = browser.post(path_of(link))
    assert response.status_code == 302
    assert EmailAddress.objects.get(email=new).verified
    # With ACCOUNT_CHANGE_EMAIL the new address replaces the old one; the old one is told.
    notices = [m for m in mailoutbox[1:] if m.to == [member.email]]
    assert notices, [m.subject for m in mailoutbox]
    assert_komdir_mail(notices[0], subject="Din e-mail er ændret", to=member.email)
    assert f"Din e-mail er ændret fra {member.email} til {new}." in notices[0].body


@pytest.mark.django_db
def test_new_recovery_codes_send_a_danish_notice(
    secretariat_client, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post("/accounts/2fa/recovery-codes/generate/")
    if response.status_code == 302 and "reauthenticate" in response["Location"]:
        # Generating codes asks for the password again first, as allauth does.
        assert secretariat_client.post(response["Location"], {"password": PASSWORD}).status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            response = secretariat_client.post("/accounts/2fa/recovery-codes/generate/")
    assert response.status_code == 302, response.content[:300]
    [mail] = mailoutbox
    assert_komdir_mail(mail, subject="Nye gendannelseskoder", to=secretariat.email)
    assert "De gamle virker ikke længere." in mail.body


@pytest.mark.django_db
def test_every_allauth_mail_template_is_the_portals_own():
    """A new allauth release with a new mail must not slip out in English."""
    from pathlib import Path

    import allauth
    from django.conf import settings

    shipped = Path(allauth.__file__).parent / "templates"
    ours = Path(settings.BASE_DIR) / "templates"
    for folder in ("account/email", "mfa/email"):
        for template in (shipped / folder).glob("*.txt"):
            assert (ours / folder / template.name).exists(), f"{folder}/{template.name}"
