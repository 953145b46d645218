"""Journey 6: at phone size (375×812) a member uses the navigation, reads a case and writes one;
no page scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from focus.models import Case
from tests.browser.conftest import PHONE, assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide at a {PHONE['width']}px viewport"


def test_member_navigates_reads_and_writes_a_case_on_a_phone(phone_page, live_server, demo):
    page = phone_page
    login(page, live_server.url, "medlem@komdir.test", PASSWORD)
    expect(page.locator(".komdir-usermenu summary")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)

    nav = page.get_by_role("navigation", name="Hovedmenu")
    for name in ("Forside", "Cases", "Kredse", "Medlemmer", "Fokusområder"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    nav.get_by_role("link", name="Cases").tap()
    expect(page).to_have_url(re.compile("/cases/$"))
    assert_fits_phone(page)
    assert_accessible(page)

    case = Case.objects.filter(status="published", comments__isnull=False).distinct().order_by("pk").first()
    page.get_by_role("link", name=case.title).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(case.title)
    expect(page.get_by_label("Din kommentar")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)

    # The user menu opens and stays on screen.
    page.locator(".komdir-usermenu summary").tap()
    logout = page.get_by_role("button", name="Log ud")
    expect(logout).to_be_visible()
    box = logout.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.locator(".komdir-usermenu summary").tap()

    nav.get_by_role("link", name="Cases").tap()
    expect(page).to_have_url(re.compile("/cases/$"))
    page.get_by_role("link", name="Skriv en case").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv en case")
    assert_fits_phone(page)
    assert_accessible(page)
    page.get_by_label("Titel").fill("Mobil hjemmepleje")
    page.get_by_label("Kort resumé").fill("Medarbejderne dokumenterer hos borgeren.")
    page.get_by_label("Beskrivelse").fill("Tablets i alle biler siden 2024.")
    page.get_by_label("Fokusområde").select_option(index=1)
    page.get_by_label("Emneord").fill("hjemmepleje, mobil")
    page.get_by_role("button", name="Offentliggør").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mobil hjemmepleje")
    assert_fits_phone(page)
    assert_accessible(page)

    nav.get_by_role("link", name="Kredse").tap()
    expect(page).to_have_url(re.compile("/kredse/$"))
    assert_fits_phone(page)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Hovedstaden")).first.tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hovedstaden")
    assert_fits_phone(page)
    assert_accessible(page)
    nav.get_by_role("link", name="Medlemmer").tap()
    expect(page).to_have_url(re.compile("/medlemmer/$"))
    assert_fits_phone(page)
    assert_accessible(page)
