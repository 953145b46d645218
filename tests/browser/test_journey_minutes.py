"""Minutes that end in actions, in a real browser: the lead shares a draft with the meeting's
participants, a participant comments, the lead adds an action for them, approves and publishes
the note; the action stands on the owner's "Mit overblik" until they mark it done. axe checks the
new pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from circles import services
from circles.models import Circle
from tests.browser.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_shares_draft_approves_it_and_the_action_reaches_its_owner(page, open_page, live_server, demo):
    from members.models import User

    lead = User.objects.get(email="kredsformand@komdir.test")
    owner = User.objects.get(email="medlem2@komdir.test")
    start = timezone.now() - timedelta(days=1)
    meeting = services.meeting_create(
        actor=lead,
        circle=Circle.objects.get(slug="nordjylland"),
        title="Kredsmøde om frisættelse",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        agenda="1. Velkomst\n2. Frisættelse af ældreplejen",
    )
    services.attendance_set(user=owner, meeting=meeting, response="yes")

    login(page, live_server.url, lead.email, PASSWORD)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Skriv referat").click()
    expect(page.get_by_label("Referat", exact=True)).to_have_value(
        re.compile("## Frisættelse af ældreplejen")
    )
    page.get_by_label("Referat", exact=True).fill("## Frisættelse\n\nVi samler eksempler.")
    page.get_by_role("button", name="Gem kladde").click()
    expect(page.get_by_text("Referatet er gemt som kladde.")).to_be_visible()
    page.get_by_label("Kommentarer senest").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Del udkastet til kommentering").click()
    expect(
        page.get_by_text("Udkastet er delt med mødets deltagere. De får besked på e-mail.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tilføj en handling").click()
    assert_accessible(page)
    page.get_by_label("Handling").fill("Send tre eksempler til kredsformanden")
    page.get_by_label("Ansvarlig").select_option(label=owner.get_full_name())
    page.get_by_role("button", name="Tilføj handling").click()
    expect(page.get_by_text("Handlingen er tilføjet referatet.")).to_be_visible()
    note_url = page.url
    page.get_by_role("link", name="Tilføj en beslutning").click()
    assert_accessible(page)
    page.get_by_label("Beslutning").fill("Kredsen samler tre eksempler til udspillet.")
    page.get_by_role("button", name="Tilføj beslutning").click()
    expect(page.get_by_text("Beslutningen er tilføjet referatet.")).to_be_visible()

    # Who came: the lead marks the participant as present.
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Registrér fremmøde").click()
    assert_accessible(page)
    page.get_by_label(owner.get_full_name()).check()
    page.get_by_role("button", name="Gem fremmøde").click()
    expect(page.get_by_text("Fremmødet er gemt: 1 deltog.")).to_be_visible()

    # The participant reads the draft and comments; the action is not theirs yet.
    member = open_page()
    login(member, live_server.url, owner.email, PASSWORD)
    member.goto(note_url)
    expect(member.get_by_text("Udkast til kommentering.")).to_be_visible()
    member.get_by_label("Din kommentar til udkastet").fill("Husk eksemplet fra Hjørring.")
    member.get_by_role("button", name="Send kommentar").click()
    expect(member.get_by_text("Din kommentar er gemt.")).to_be_visible()
    assert_accessible(member)
    member.goto(f"{live_server.url}/overblik/")
    expect(member.get_by_text("Send tre eksempler til kredsformanden")).to_have_count(0)

    # The lead approves and publishes.
    page.goto(note_url)
    expect(page.get_by_text("Husk eksemplet fra Hjørring.")).to_be_visible()
    page.get_by_role("link", name="Redigér, godkend og offentliggør").click()
    page.get_by_role("button", name="Offentliggør").click()
    expect(page.get_by_text(re.compile(f"Godkendt af {lead.get_full_name()} den"))).to_be_visible()

    # Now the action stands on the owner's overview until they mark it done.
    member.goto(f"{live_server.url}/overblik/")
    expect(member.get_by_role("heading", name="Dine handlinger")).to_be_visible()
    assert_accessible(member)
    member.get_by_role("button", name=re.compile("Markér som udført.*Send tre eksempler")).click()
    expect(member.get_by_text("Handlingen er markeret som udført.")).to_be_visible()
    expect(member.get_by_text("Send tre eksempler til kredsformanden")).to_have_count(0)
