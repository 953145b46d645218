"""Journey 1: an invited member opens the invitation mail link, sets a password, lands logged in,
browses a focus area, posts a case with tags, comments on it and replies to a comment."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from focus.models import Case, FocusArea
from members.models import Level, Municipality, User
from members.services import invitation_create
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Lang-og-sikker-adgangskode-2026"


def test_invited_member_joins_and_posts_a_case_comments_and_replies(page, live_server, demo, mailoutbox):
    secretariat = User.objects.get(email="sekretariat@komdir.test")
    invitation_create(
        created_by=secretariat,
        email="ny.direktoer@kommune.test",
        first_name="Nina",
        last_name="Nyholm",
        level=Level.DIRECTOR,
        municipality=Municipality.objects.get(name="Fanø"),
        title="Direktør for Børn og Unge",
        base_url=live_server.url,
    )
    [invitation_mail] = [m for m in mail.outbox if m.to == ["ny.direktoer@kommune.test"]]
    link = re.search(r"https?://\S+/invitation/[\w-]+/", invitation_mail.body).group(0)

    # The invitation link: confirm the name, choose a password, land on the home page logged in.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen til KOMDIR-portalen")
    assert_accessible(page)
    expect(page.get_by_label("Fornavn")).to_have_value("Nina")
    page.get_by_label("Adgangskode", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Gentag adgangskoden").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Opret min adgang").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_text("Velkommen til KOMDIR-portalen, Nina.")).to_be_visible()
    expect(page.locator(".komdir-usermenu summary")).to_contain_text("Nina Nyholm")
    assert_accessible(page)

    # Browse a focus area of the current period.
    area = FocusArea.objects.filter(period__status="current").order_by("number").first()
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Fokusområder").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(re.escape(area.title))).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(area.title)
    assert_accessible(page)

    # Post a case about it with tags.
    page.get_by_role("link", name="Skriv en case om fokusområdet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skriv en case")
    assert_accessible(page)
    expect(page.get_by_label("Fokusområde")).to_have_value(str(area.pk))
    page.get_by_label("Titel").fill("Fælles rekruttering på tværs af øerne")
    page.get_by_label("Kort resumé").fill("Tre økommuner rekrutterer sammen og deler vikarer.")
    page.get_by_label("Beskrivelse").fill(
        "Vi startede i **2025** med et fælles opslag.\n\n- én portal\n- ét team"
    )
    page.get_by_label("Emneord").fill("rekruttering, samarbejde, øer")
    page.get_by_role("button", name="Forhåndsvis").click()
    expect(page.get_by_role("heading", name="Forhåndsvisning")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Offentliggør").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fælles rekruttering på tværs af øerne")
    expect(page.get_by_text("Din case er offentliggjort.")).to_be_visible()
    tags = page.get_by_role("list", name="Emneord")
    for tag in ("rekruttering", "samarbejde", "øer"):
        expect(tags.get_by_role("link", name=tag)).to_be_visible()
    assert_accessible(page)
    case = Case.objects.get(title="Fælles rekruttering på tværs af øerne")
    assert case.author.email == "ny.direktoer@kommune.test"

    # Comment on the case, then reply to the comment.
    page.get_by_label("Din kommentar").fill("Vi deler gerne vores skabelon til opslaget.")
    page.get_by_role("button", name="Send kommentar").click()
    expect(page.get_by_text("Din kommentar er tilføjet.")).to_be_visible()
    comment = page.locator(".komdir-comment").filter(has_text="Vi deler gerne vores skabelon")
    expect(comment).to_contain_text("Nina Nyholm")
    assert_accessible(page)
    page.locator(".komdir-reply summary").first.click()
    page.get_by_label("Dit svar til Nina Nyholm").fill("Skabelonen ligger nu i bilaget.")
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_text("Dit svar er tilføjet.")).to_be_visible()
    expect(page.locator(".komdir-replies")).to_contain_text("Skabelonen ligger nu i bilaget.")
    assert_accessible(page)

    # The case is in the case list with its tag filter.
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("link", name="Fælles rekruttering på tværs af øerne")).to_be_visible()
    assert_accessible(page)
