"""Journey 2, continued: a visitor reads the case list and a public case, and is sent to login for
anything else (a members-only case too: after login the visitor lands on it)."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from circles.models import Attachment, Meeting
from focus.models import Case
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_a_public_case_but_not_comments_or_members_only_cases(
    page, live_server, demo, problems
):
    public = Case.objects.filter(is_public=True, status="published").order_by("pk").first()
    private = Case.objects.filter(is_public=False, status="published").order_by("pk").first()

    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=public.title)).to_be_visible()
    expect(page.get_by_role("link", name=private.title)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name=public.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(public.title)
    # Comments are for members only: a visitor gets a way to log in instead.
    expect(page.get_by_role("button", name="Send kommentar")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Log ind som medlem for at læse og skrive kommentarer.").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=" + f"(%2F|/)cases(%2F|/){public.pk}-"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    assert_accessible(page)

    # A link to a members-only case (from a colleague's mail): log in, and land on the case.
    page.goto(live_server.url + private.get_absolute_url())
    expect(page).to_have_url(
        live_server.url + "/accounts/login/?next=" + quote(private.get_absolute_url(), safe="/")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    page.get_by_label("E-mail").fill("medlem@komdir.test")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(live_server.url + private.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(private.title)


def test_visitor_is_sent_to_login_for_every_member_page(page, live_server, demo):
    meeting = Meeting.objects.order_by("pk").first()
    attachment = Attachment.objects.order_by("pk").first()
    paths = [
        "/cases/ny/",
        "/cases/mine-kladder/",
        "/kredse/",
        "/kredse/nordjylland/",
        "/medlemmer/",
        meeting.get_absolute_url(),
        f"/bilag/{attachment.pk}/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        expect(page, path).to_have_url(re.compile(r"/accounts/login/\?next="))
        expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    assert_accessible(page)
    # The header's login button keeps the page the visitor came from.
    page.goto(live_server.url + "/perioder/")
    page.get_by_role("link", name="Log ind").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=(%2F|/)perioder(%2F|/)$"))
