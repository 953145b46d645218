"""Journey 4, continued: the secretariat's own pages, after password and TOTP, checked with axe:
the admin index, a change list, a change form, and the member pages the secretariat sees."""

import re
import time

import pytest
from playwright.sync_api import expect

from focus.models import GuidingQuestion
from tests.browser.conftest import assert_accessible, login
from tests.conftest import current_totp_code
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fresh_totp_code(margin: float = 8.0) -> str:
    """A TOTP code with at least `margin` seconds of its period left, so a slow machine does not
    submit it after it has expired (allauth accepts the current period only)."""
    from allauth.mfa import app_settings

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.2)
    return current_totp_code()


def secretariat_login(page, base_url: str) -> None:
    login(page, base_url, "sekretariat@komdir.test", PASSWORD)
    expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    page.get_by_label(re.compile("Kode|Code|Godkendelseskode", re.I)).fill(fresh_totp_code())
    page.get_by_role("button", name=re.compile("Log ind|Sign In|Bekræft", re.I)).click()
    expect(page.locator(".komdir-usermenu")).to_be_visible()


def test_secretariat_pages_have_no_barriers(page, live_server, demo):
    login(page, live_server.url, "sekretariat@komdir.test", PASSWORD)
    expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    assert_accessible(page)
    page.get_by_label(re.compile("Kode|Code|Godkendelseskode", re.I)).fill(fresh_totp_code())
    page.get_by_role("button", name=re.compile("Log ind|Sign In|Bekræft", re.I)).click()
    expect(page.locator(".komdir-usermenu")).to_be_visible()
    assert_accessible(page)

    page.locator(".komdir-usermenu summary").click()
    page.get_by_role("link", name="Administration").click()
    expect(page.locator("#content h1")).to_be_visible()
    assert_accessible(page)

    question = GuidingQuestion.objects.order_by("pk").first()
    for path in (
        "/admin/focus/guidingquestion/",
        f"/admin/focus/guidingquestion/{question.pk}/change/",
        "/admin/focus/case/",
    ):
        page.goto(live_server.url + path)
        expect(page.locator("#content h1")).to_be_visible()
        assert_accessible(page)

    for path in ("/kredse/", "/kredse/nordjylland/", "/medlemmer/"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
