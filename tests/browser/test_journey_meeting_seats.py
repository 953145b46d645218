"""A full meeting in a real browser: the demo member on the waiting list sees their place; when
a seat is given up they have it. axe checks the meeting page with seats and the list."""

import pytest
from playwright.sync_api import expect

from circles.models import Attendance, Meeting
from komdir.demo.circles import FULL_MEETING
from tests.browser.conftest import assert_accessible, login
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_waiting_member_moves_up_when_a_seat_is_given_up(page, open_page, live_server, demo):
    meeting = Meeting.objects.get(title=FULL_MEETING)
    login(page, live_server.url, "medlem2@komdir.test", PASSWORD)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_text("Du er nr. 1 på ventelisten.")).to_be_visible()
    expect(page.get_by_text("0 ledige pladser af 2")).to_be_visible()
    assert_accessible(page)

    # Someone with a seat cannot come after all.
    seated = Attendance.objects.filter(meeting=meeting, response="yes").select_related("user").first().user
    other = open_page()
    login(other, live_server.url, seated.email, PASSWORD)
    other.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    other.get_by_label("Jeg deltager ikke").check()
    other.get_by_role("button", name="Gem svar").click()
    expect(other.get_by_text("Dit svar er gemt.")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Du er nr. 1 på ventelisten.")).to_have_count(0)
    expect(page.get_by_label("Jeg deltager", exact=True)).to_be_checked()
    assert Attendance.objects.get(meeting=meeting, user__email="medlem2@komdir.test").response == "yes"

    # The lead sees everyone's answers and can take the list.
    lead = open_page()
    login(lead, live_server.url, "kredsformand@komdir.test", PASSWORD)
    lead.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(lead.get_by_role("link", name="Hent deltagerliste (CSV)")).to_be_visible()
    assert_accessible(lead)
