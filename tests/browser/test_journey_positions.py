"""KOMDIR's voice, in a real browser: the secretariat drafts a position from a guiding question's
cases and quotes a members-only case; its author is asked "Må KOMDIR citere dig?" and says yes,
anonymously; the secretariat approves and publishes; a visitor reads the position with the quote
(and no name, no members-only title) and downloads the PDF. axe checks every new page."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from playwright.sync_api import expect
from pypdf import PdfReader

from focus import services as focus_services
from focus.models import FocusArea
from members.services import SECRETARIAT_GROUP, secretariat_group_sync
from tests.browser.conftest import assert_accessible, login
from tests.conftest import TOTP_SECRET, current_totp_code
from tests.factories import PASSWORD, UserFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTE = "frisættelse kræver nye balancer"


def test_secretariat_quotes_a_member_with_consent_publishes_and_a_visitor_reads_the_pdf(
    page, open_page, live_server, settings
):
    settings.SITE_URL = live_server.url
    secretariat_group_sync()
    staff = UserFactory(
        email="sekretariat@komdir.test", is_staff=True, first_name="Sara", last_name="Sekretær"
    )
    staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    TOTP.activate(staff, TOTP_SECRET)
    author = make_member(municipality_name="Hjørring", email="forfatter@kommune.test", level=1)
    area = FocusArea.objects.select_related("period").get(period__status="current", number=1)
    question = area.questions.order_by("order", "pk").first()
    case = focus_services.case_create(
        author=author,
        focus_area=area,
        questions=[question],
        title="Frikommuneforsøg i Hjørring",
        summary="Lovbundne samtaler sat fri.",
        body=f"Forsøget viser, at {QUOTE}: retssikkerhed og faglig dømmekraft.",
        publish=True,
        is_public=False,
    )

    login(page, live_server.url, staff.email, PASSWORD)
    page.get_by_label(re.compile("Kode|Code|Godkendelseskode", re.I)).fill(current_totp_code())
    page.get_by_role("button", name=re.compile("Log ind|Sign In|Bekræft", re.I)).click()
    page.goto(live_server.url + area.get_absolute_url())
    page.get_by_role("link", name=re.compile("^Skriv KOMDIR's holdning")).first.click()
    assert_accessible(page)
    page.get_by_label("Overskrift").fill("Frisættelse kræver tillid til den faglige dømmekraft")
    page.get_by_label("Holdningen").fill("KOMDIR mener, at **frisættelse** skal bygge på tillid.")
    page.get_by_role("button", name="Gem udkastet").click()
    expect(page.get_by_text("Udkastet er gemt.")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("Brug som kilde").first.click()
    page.get_by_label("Citat").first.fill(QUOTE)
    page.get_by_role("button", name="Tilføj kilden").first.click()
    expect(page.get_by_text("Medlemmet får en e-mail")).to_be_visible()
    position_url = page.get_by_role("link", name="Tilbage til udkastet").get_attribute("href")

    # The author answers from the portal (the mail's link goes there too).
    member = open_page()
    login(member, live_server.url, author.email, PASSWORD)
    member.goto(f"{live_server.url}/samtykke/")
    assert_accessible(member)
    member.get_by_role("link", name=re.compile("^Svar")).click()
    expect(member.get_by_text(f"»{QUOTE}«")).to_be_visible()
    assert_accessible(member)
    member.get_by_label(re.compile("^Ja, men uden mit navn")).check()
    member.get_by_role("button", name="Gem mit svar").click()
    expect(member.get_by_text("KOMDIR må citere dig uden dit navn")).to_be_visible()

    page.goto(live_server.url + position_url)
    page.get_by_role("link", name="Godkend og offentliggør").click()
    assert_accessible(page)
    expect(page.get_by_text(f"»{QUOTE}«")).to_be_visible()
    page.get_by_role("button", name="Godkend og offentliggør").click()
    expect(page.get_by_text("Holdningen er godkendt og offentliggjort.")).to_be_visible()

    visitor = open_page()
    visitor.goto(f"{live_server.url}/holdninger/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Frisættelse kræver tillid til den faglige dømmekraft").click()
    expect(visitor.get_by_text(f"»{QUOTE}«")).to_be_visible()
    expect(visitor.get_by_text("en kommunaldirektør i Region Nordjylland")).to_be_visible()
    assert author.get_full_name() not in visitor.content() and case.title not in visitor.content()
    assert_accessible(visitor)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Hent som PDF").click()
    reader = PdfReader(download.value.path())
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert QUOTE in text and "en kommunaldirektør i Region Nordjylland" in text and case.title not in text
