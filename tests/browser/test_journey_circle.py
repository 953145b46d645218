"""Journey 3: a circle lead creates a meeting, writes and publishes circle-only notes with a PDF
attachment; a member of the same circle downloads it; a member of another circle gets 404 for the
note and for the attachment."""

import re

import pytest
from playwright.sync_api import expect

from circles.models import Attachment, MeetingNote
from komdir.demo.samplefiles import tiny_pdf
from tests.browser.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = tiny_pdf("Bilag til kredsmoedet")


def test_lead_publishes_circle_notes_with_pdf_only_the_circle_can_open(
    page, open_page, live_server, demo, problems
):
    # The lead of Kreds Nordjylland creates a meeting.
    login(page, live_server.url, "kredsformand@komdir.test", PASSWORD)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Kredse").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Nordjylland")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nordjylland")
    assert_accessible(page)
    page.get_by_role("link", name="Opret møde").click()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Kredsmøde om rekruttering")
    page.get_by_label("Starter").fill("2027-03-04T14:00")
    page.get_by_label("Slutter").fill("2027-03-04T16:00")
    page.get_by_label("Sted").fill("Aalborg Rådhus, mødelokale 2")
    page.get_by_label("Dagsorden").fill("1. Velkomst\n2. Rekruttering af ledere")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kredsmøde om rekruttering")
    assert_accessible(page)

    # Circle-only notes, published, with a PDF attachment.
    page.get_by_role("link", name="Skriv referat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referat af Kredsmøde om rekruttering")
    assert_accessible(page)
    page.get_by_label("Referat", exact=True).fill("Vi aftalte et fælles **lederforløb**.")
    page.get_by_label("Kun kredsen").check()
    page.get_by_role("button", name="Offentliggør").click()
    expect(page.get_by_text("Referatet er gemt og offentliggjort.")).to_be_visible()
    assert_accessible(page)
    note = MeetingNote.objects.get(meeting__title="Kredsmøde om rekruttering")
    assert note.is_published and note.visibility == "circle"

    page.get_by_role("link", name="Redigér referat").click()
    page.get_by_role("link", name="Tilføj bilag").click()
    assert_accessible(page)
    page.get_by_label("Fil").set_input_files(
        files=[{"name": "lederforloeb.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Bilaget er tilføjet.")).to_be_visible()
    expect(page.get_by_role("link", name="lederforloeb.pdf")).to_be_visible()
    assert_accessible(page)
    attachment = Attachment.objects.get(note=note)
    note_url = live_server.url + note.get_absolute_url()
    attachment_url = f"{live_server.url}/bilag/{attachment.pk}/"

    # A member of the same circle reads the notes and downloads the PDF.
    same_circle = open_page()
    login(same_circle, live_server.url, "medlem2@komdir.test", PASSWORD)
    same_circle.goto(note_url)
    expect(same_circle.get_by_role("heading", level=1)).to_have_text("Referat af Kredsmøde om rekruttering")
    expect(same_circle.get_by_text("lederforløb")).to_be_visible()
    assert_accessible(same_circle)
    with same_circle.expect_download() as download_info:
        same_circle.get_by_role("link", name="lederforloeb.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "lederforloeb.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == PDF

    # A member of another circle: neither the notes nor the attachment exist.
    other_circle = open_page()
    login(other_circle, live_server.url, "medlem@komdir.test", PASSWORD)
    expect(other_circle.locator(".komdir-usermenu")).to_be_visible()
    response = other_circle.goto(note_url)
    assert response.status == 404
    expect(other_circle.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    assert_accessible(other_circle)
    response = other_circle.goto(attachment_url)
    assert response.status == 404
    problems.forget_expected_document_error(404)
    # Nor is it listed on the meeting page the whole association may see.
    other_circle.goto(live_server.url + note.meeting.get_absolute_url())
    expect(other_circle.get_by_role("heading", level=1)).to_have_text("Kredsmøde om rekruttering")
    expect(other_circle.get_by_text("lederforloeb.pdf")).to_have_count(0)
    expect(other_circle.get_by_text("lederforløb")).to_have_count(0)
    assert_accessible(other_circle)
