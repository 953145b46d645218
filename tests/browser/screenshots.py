"""Screenshots for the README: `make screenshots` runs this file (pytest does not collect it with
the suite; it is named on the command line).

It starts the portal itself (pytest-django's live_server on a fresh test database, SQLite unless
DATABASE_URL says otherwise), loads the demo data with seed_demo, and saves the home page, a focus
area, a case, a circle page and the admin at desktop and phone width under docs/screenshots/.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from focus.models import Case, FocusArea
from tests.browser.conftest import DESKTOP, PHONE, login
from tests.browser.test_journey_secretariat_pages import secretariat_login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": DESKTOP, "phone": PHONE}


def _context(browser, viewport):
    phone = viewport == PHONE
    context = browser.new_context(
        viewport=viewport,
        locale="da-DK",
        timezone_id="Europe/Copenhagen",
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=2 if phone else 1,
    )
    context.set_default_timeout(10_000)
    return context


@pytest.mark.parametrize("size", SIZES)
def test_screenshots(browser, live_server, demo, size):
    OUT.mkdir(parents=True, exist_ok=True)
    viewport = SIZES[size]
    area = FocusArea.objects.filter(period__status="current").order_by("number").first()
    case = (
        Case.objects.filter(status="published", is_public=True, comments__isnull=False)
        .distinct()
        .order_by("pk")
        .first()
    )

    member = _context(browser, viewport)
    page = member.new_page()
    login(page, live_server.url, "medlem@komdir.test", PASSWORD)
    expect(page.locator(".komdir-usermenu")).to_be_visible()
    shots = {
        "home": "/",
        "focus-area": area.get_absolute_url(),
        "case": case.get_absolute_url(),
        "circle": "/kredse/hovedstaden/",
    }
    for name, path in shots.items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.screenshot(path=OUT / f"{name}-{size}.png")
    member.close()

    secretariat = _context(browser, viewport)
    page = secretariat.new_page()
    secretariat_login(page, live_server.url)
    page.goto(live_server.url + "/admin/")
    expect(page.locator("#content h1")).to_be_visible()
    page.screenshot(path=OUT / f"admin-{size}.png")
    secretariat.close()
