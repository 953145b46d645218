"""Journey 2 (and the phone check of the public pages): a visitor reads the public pages."""

import re

import pytest
from playwright.sync_api import expect

from focus.models import FocusArea
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_home_strategy_area_and_statements_without_barriers(page, live_server):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Forside"))
    expect(page.locator("html")).to_have_attribute("lang", "da")
    assert_accessible(page)

    area = FocusArea.objects.get(number=2)
    page.get_by_role("link", name=re.compile(area.title)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(area.title)
    expect(page.get_by_text("KOMDIR er blandt andet nysgerrig på følgende")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Fokusområder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fokusområder og strategiperioder")
    assert_accessible(page)

    for name in ("Om KOMDIR", "Privatlivspolitik", "Tilgængelighedserklæring"):
        page.get_by_role("contentinfo").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        assert_accessible(page)


def test_visitor_is_sent_to_login_for_the_admin_and_sees_closed_signup(page, live_server):
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    assert_accessible(page)
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kun for inviterede medlemmer")
    assert_accessible(page)


def test_unknown_page_is_a_danish_404_without_barriers(page, live_server, problems):
    response = page.goto(live_server.url + "/findes-ikke/")
    assert response.status == 404
    problems.forget_expected_document_error(404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    assert_accessible(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til sidens indhold")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main-content$"))


def test_phone_width_navigation_and_focus_area_work_without_horizontal_scroll(phone_page, live_server):
    page = phone_page
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Hovedmenu")
    expect(nav.get_by_role("link", name="Fokusområder")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    nav.get_by_role("link", name="Fokusområder").click()
    page.get_by_role("link", name=re.compile("Civilsamfund")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Civilsamfund")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
