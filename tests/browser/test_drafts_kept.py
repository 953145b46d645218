"""A member's text survives a closed tab: the browser keeps a draft of the form and gives it back."""

import pytest
from playwright.sync_api import expect

from focus.models import Case
from tests.browser.conftest import assert_accessible, login
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Vi begyndte med tre teams i hjemmeplejen, og det virkede."


def test_a_case_draft_comes_back_after_the_tab_is_closed_and_can_be_discarded(page, open_page, live_server):
    member = make_member(municipality_name="Aarhus", email="kladde@kommune.test")
    login(page, live_server.url, member.email, PASSWORD)
    page.goto(f"{live_server.url}/cases/ny/")
    page.get_by_label("Titel").fill("Hjemmepleje i teams")
    page.get_by_label("Beskrivelse").fill(BODY)
    page.wait_for_timeout(500)  # the draft is written shortly after typing stops
    page.close()  # the tab is closed without sending

    again = page.context.new_page()
    again.goto(f"{live_server.url}/cases/ny/")
    expect(again.get_by_text("Vi har hentet din kladde")).to_be_visible()
    expect(again.get_by_label("Titel")).to_have_value("Hjemmepleje i teams")
    expect(again.get_by_label("Beskrivelse")).to_have_value(BODY)
    assert_accessible(again)

    # Reloading keeps it; "Kassér kladde" empties the form and forgets the draft.
    again.reload()
    expect(again.get_by_label("Beskrivelse")).to_have_value(BODY)
    again.get_by_role("button", name="Kassér kladde").click()
    expect(again.get_by_label("Beskrivelse")).to_have_value("")
    expect(again.get_by_text("Vi har hentet din kladde")).to_have_count(0)
    again.reload()
    expect(again.get_by_label("Titel")).to_have_value("")
    assert not Case.objects.exists()


def test_a_sent_draft_is_forgotten(page, live_server):
    member = make_member(municipality_name="Aarhus", email="sendt@kommune.test")
    login(page, live_server.url, member.email, PASSWORD)
    page.goto(f"{live_server.url}/cases/ny/")
    page.get_by_label("Titel").fill("Kun en titel")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Gem som kladde").click()
    expect(page.get_by_text("Din case er gemt som kladde. Kun du kan se den.")).to_be_visible()
    assert Case.objects.get().title == "Kun en titel"
    page.goto(f"{live_server.url}/cases/ny/")
    expect(page.get_by_label("Titel")).to_have_value("")
    expect(page.get_by_text("Vi har hentet din kladde")).to_have_count(0)
