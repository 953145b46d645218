"""A visitor who follows a link to a members-only page is asked to log in and lands on it.

Missing and members-only pages answer the same under the members' paths (nothing is
revealed); a logged-in member who may not see a page still gets 404; public pages and
unknown paths are unchanged.
"""

from urllib.parse import quote

import pytest

from circles.models import Circle, NoteVisibility
from focus.models import FocusArea
from tests.circles.conftest import make_meeting, make_note
from tests.factories import PASSWORD
from tests.focus.conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


def login_url(path: str) -> str:
    return f"/accounts/login/?next={quote(path, safe='/')}"


def assert_login_redirect(response, path: str) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"] == login_url(path)


@pytest.fixture
def pages(member, circle_lead, area):
    nordjylland = Circle.objects.get(slug="nordjylland")
    case = make_case(member, area, title="Kun for medlemmer", public=False)
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    note = make_note(actor=circle_lead, meeting=meeting, visibility=NoteVisibility.CIRCLE)
    return {
        "case": case.get_absolute_url(),
        "circle": "/kredse/nordjylland/",
        "meeting": f"/moeder/{meeting.pk}/",
        "note": f"/referater/{note.pk}/",
        "profile": f"/medlemmer/{member.pk}/",
        "discussion": f"/droeftelse/area/{area.pk}/",
        "comment": "/kommentarer/999999/",
    }


@pytest.mark.parametrize("kind", ["case", "circle", "meeting", "note", "profile", "discussion"])
def test_visitor_on_members_only_page_is_asked_to_log_in(client, pages, kind):
    assert_login_redirect(client.get(pages[kind]), pages[kind])


@pytest.mark.parametrize(
    "path",
    [
        "/cases/999999-findes-ikke/",
        "/cases/999999/rediger/",
        "/moeder/999999/",
        "/referater/999999/",
        "/medlemmer/999999/",
        "/kredse/findes-ikke/",
        "/droeftelse/area/999999/",
        "/kommentarer/999999/",
        "/indberet/case/999999/",
    ],
)
def test_visitor_on_missing_members_page_gets_the_same_answer(client, db, path):
    assert_login_redirect(client.get(path), path)


def test_visitor_logs_in_and_lands_on_the_page(client, pages, circle_lead):
    path = pages["note"]
    response = client.get(path)
    assert_login_redirect(response, path)
    response = client.post(response["Location"], {"login": circle_lead.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == path
    assert client.get(path).status_code == 200


def test_member_who_may_not_see_a_page_still_gets_404(client, pages, other_member):
    client.force_login(other_member)
    assert client.get("/cases/999999-findes-ikke/").status_code == 404
    assert client.get("/moeder/999999/").status_code == 404


def test_member_of_another_circle_gets_404_for_a_circle_only_note(client, pages, member):
    client.force_login(member)  # Hovedstaden, not Nordjylland
    assert client.get(pages["note"]).status_code == 404


def test_public_pages_are_still_served_to_visitors(client, member, area):
    public = make_case(member, area, title="Offentlig case", public=True)
    for path in [
        "/",
        area.get_absolute_url(),
        public.get_absolute_url(),
        "/cases/",
        "/side/om-komdir/",
        f"{area.get_absolute_url()}cases.atom",
    ]:
        assert client.get(path).status_code == 200, path


def test_unknown_path_and_missing_public_page_stay_404(client, db):
    assert client.get("/findes/slet/ikke/").status_code == 404
    assert client.get("/perioder/findes-ikke/").status_code == 404
    assert client.get("/side/findes-ikke/").status_code == 404
