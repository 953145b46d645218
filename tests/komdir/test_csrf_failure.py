"""A form that can no longer be sent (an old tab) gets a Danish page that keeps the text."""

import html
from urllib.parse import quote

import pytest
from django.test import Client

from focus.models import Comment, FocusArea
from komdir.lib import kept
from tests.factories import PASSWORD
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db

TEXT = "Min lange kommentar om «rekruttering» & <ledelse>"
STALE_MESSAGE = "Formularen var for gammel til at blive sendt. Vi har gemt det, du skrev — tjek og send igen."
ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


def log_in(client, user, next_url=""):
    login_url = "/accounts/login/" + (f"?next={quote(next_url, safe='/')}" if next_url else "")
    client.get(login_url)
    token = client.cookies["csrftoken"].value
    response = client.post(
        login_url, {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    return response


@pytest.fixture
def old_tab(member, area):
    """A member's browser with a case page open from before the CSRF token was rotated."""
    case = make_case(member, area, public=False)
    browser = Client(enforce_csrf_checks=True)
    log_in(browser, member)
    browser.get(case.get_absolute_url())
    stale = browser.cookies["csrftoken"].value
    # Logging in again (another tab) rotates the CSRF token: the old tab's form is stale.
    browser.logout()
    log_in(browser, member)
    assert browser.cookies["csrftoken"].value != stale
    return browser, case, stale


def test_a_stale_form_gets_the_portals_danish_page_with_the_text(old_tab):
    browser, case, stale = old_tab
    path = f"/kommentarer/ny/case/{case.pk}/"
    response = browser.post(
        path, {"body": TEXT, "submission_token": "c" * 32, "csrfmiddlewaretoken": stale}, **ORIGIN
    )
    assert response.status_code == 403
    content = response.content.decode()
    assert "Formularen kunne ikke sendes" in content
    assert "CSRF" not in content  # not Django's technical page
    assert "<title>Formularen kunne ikke sendes · KOMDIR-portalen</title>" in content
    assert (
        f'<textarea class="form-input" id="kopi-1" rows="6" readonly>{html.escape(TEXT)}</textarea>'
        in content
    )
    assert f'href="{path}"' in content
    assert not Comment.objects.exists()


def test_back_to_the_form_gives_the_text_back_to_check_and_send(old_tab):
    browser, case, stale = old_tab
    path = f"/kommentarer/ny/case/{case.pk}/"
    browser.post(path, {"body": TEXT, "csrfmiddlewaretoken": stale}, **ORIGIN)
    page = browser.get(path)
    assert page.status_code == 200
    content = page.content.decode()
    assert STALE_MESSAGE in content
    assert html.escape(TEXT, quote=False) in content
    assert not Comment.objects.exists()
    token = browser.cookies["csrftoken"].value
    sent = browser.post(path, {"body": TEXT, "csrfmiddlewaretoken": token})
    assert sent.status_code == 302
    assert Comment.objects.get().body == TEXT


def test_a_stale_form_after_the_session_ended_comes_back_after_login(member, area):
    case = make_case(member, area, public=False)
    browser = Client(enforce_csrf_checks=True)
    log_in(browser, member)
    browser.get(f"/cases/{case.pk}/rediger/")
    browser.logout()  # the session ends; the CSRF token is rotated at the next login elsewhere
    browser.cookies["csrftoken"] = "x" * 32
    path = f"/cases/{case.pk}/rediger/"
    response = browser.post(
        path, {"title": "Ny titel", "body": TEXT, "csrfmiddlewaretoken": "y" * 32}, **ORIGIN
    )
    assert response.status_code == 403
    assert browser.get(path)["Location"] == f"/accounts/login/?next={quote(path, safe='/')}"
    log_in(browser, member, next_url=path)
    content = browser.get(path).content.decode()
    assert STALE_MESSAGE in content
    assert 'value="Ny titel"' in content


def test_a_forged_cross_site_post_keeps_and_shows_nothing(old_tab):
    browser, case, stale = old_tab
    path = f"/kommentarer/ny/case/{case.pk}/"
    response = browser.post(
        path,
        {"body": "Ord fra en anden side", "csrfmiddlewaretoken": "z" * 32},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert "Formularen kunne ikke sendes" in response.content.decode()
    assert "Ord fra en anden side" not in response.content.decode()
    assert kept.SESSION_KEY not in browser.session


def test_a_stale_login_form_keeps_no_password(db):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/accounts/login/")
    response = browser.post(
        "/accounts/login/",
        {"login": "a@b.dk", "password": "hemmelig", "csrfmiddlewaretoken": "q" * 32},
        **ORIGIN,
    )
    assert response.status_code == 403
    assert "hemmelig" not in response.content.decode()
    assert kept.SESSION_KEY not in browser.session
