"""Consultations and case collections in a real browser: the secretariat registers a consultation
and builds a collection; a member gives input; a visitor reads the public collection and
downloads its Word file. axe checks every new page."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from focus import services as focus_services
from focus.models import FocusArea
from members.services import SECRETARIAT_GROUP, secretariat_group_sync
from tests.browser.conftest import assert_accessible, login
from tests.conftest import TOTP_SECRET, current_totp_code
from tests.factories import PASSWORD, UserFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultation_input_and_a_public_collection(page, open_page, live_server, settings):
    settings.SITE_URL = live_server.url
    secretariat_group_sync()
    staff = UserFactory(
        email="sekretariat@komdir.test", is_staff=True, first_name="Sara", last_name="Sekretær"
    )
    staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    TOTP.activate(staff, TOTP_SECRET)
    author = make_member(municipality_name="Aalborg", email="forfatter@kommune.test")
    area = FocusArea.objects.get(period__status="current", number=1)
    case = focus_services.case_create(
        author=author,
        focus_area=area,
        title="Borgertopmøde i Aalborg",
        summary="120 borgere gav byrådet anbefalinger.",
        body="Byrådet svarede på hver anbefaling.",
        publish=True,
        is_public=True,
    )

    login(page, live_server.url, staff.email, PASSWORD)
    page.get_by_label(re.compile("Kode|Code|Godkendelseskode", re.I)).fill(current_totp_code())
    page.get_by_role("button", name=re.compile("Log ind|Sign In|Bekræft", re.I)).click()
    page.goto(f"{live_server.url}/hoeringer/ny/")
    assert_accessible(page)
    page.get_by_label("Titel").fill("Udkast til lov om frisættelse")
    page.get_by_label("Afsender").fill("Social- og Boligministeriet")
    page.get_by_label("Høringsfrist").fill((timezone.localdate() + timedelta(days=20)).isoformat())
    page.get_by_label("Medlemmernes frist for input").fill(
        (timezone.localdate() + timedelta(days=10)).isoformat()
    )
    page.get_by_label(re.compile(r"^1\. ")).check()
    page.get_by_role("button", name="Registrér høringen").click()
    expect(page.get_by_text("Høringen er oprettet.")).to_be_visible()
    consultation_url = page.url
    assert_accessible(page)

    page.goto(f"{live_server.url}/eksempelsamlinger/ny/")
    assert_accessible(page)
    page.get_by_label("Titel").fill("Lokaldemokrati i praksis")
    page.get_by_label(re.compile("^Offentlig")).check()
    page.get_by_role("button", name="Opret samlingen").click()
    expect(page.get_by_text("Samlingen er oprettet.")).to_be_visible()
    page.get_by_role("button", name=re.compile(rf"^Tilføj\W+{case.title}$")).click()
    expect(page.get_by_text("Casen er tilføjet samlingen.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Offentliggør samlingen").click()
    expect(page.get_by_text("Samlingen er offentliggjort. Alle kan nu læse den.")).to_be_visible()
    collection_url = page.url

    member = open_page()
    login(member, live_server.url, author.email, PASSWORD)
    member.goto(f"{live_server.url}/hoeringer/")
    assert_accessible(member)
    member.goto(consultation_url)
    member.get_by_label("Dit input til høringen").fill(
        "Borgertopmødet viser, at borgerne vil prioritere med."
    )
    member.get_by_role("button", name="Send dit input").click()
    expect(member.get_by_text("Tak for dit input.")).to_be_visible()
    assert_accessible(member)

    visitor = open_page()
    visitor.goto(f"{live_server.url}/eksempelsamlinger/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Lokaldemokrati i praksis").click()
    expect(visitor.get_by_role("link", name=case.title)).to_be_visible()
    assert_accessible(visitor)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Hent som Word").click()
    assert download.value.suggested_filename.endswith(".docx")
    assert visitor.url == collection_url
