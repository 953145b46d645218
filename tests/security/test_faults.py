"""Nothing is lost or doubled on faults: double-clicked submits, concurrent edits, the database away."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from circles import services as circle_services
from circles.models import Circle, MembershipRole, NoteVisibility
from focus import services as focus_services
from focus.models import Comment, FocusArea
from tests.factories import make_member

TOKEN = re.compile(r'name="submission_token" value="([0-9a-f]{32})"')
VERSION = re.compile(r'name="version" value="(\d+)"')
BASE_REVISION = re.compile(r'name="base_revision" value="(\d+)"')


@pytest.fixture
def area(db):
    return FocusArea.objects.get(period__status="current", number=1)


@pytest.fixture
def case(member, area):
    return focus_services.case_create(
        author=member, focus_area=area, title="Casen", summary="Resumé.", body="Første udgave.", publish=True
    )


# --- a double-clicked submit creates one comment ---------------------------------------------


@pytest.mark.django_db
def test_a_double_clicked_comment_submit_creates_one_comment(member_client, case):
    page = member_client.get(case.get_absolute_url()).content.decode()
    token = TOKEN.findall(page)[0]
    url = f"/kommentarer/ny/case/{case.pk}/"
    first = member_client.post(url, {"body": "Kun én gang.", "submission_token": token})
    second = member_client.post(url, {"body": "Kun én gang.", "submission_token": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Comment.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_two_separate_submits_create_two_comments(member_client, case):
    # Two texts: the same text again on the same case within minutes is the same comment sent
    # again (Back after sending; tests/focus/test_no_text_lost.py), not a second one.
    url = f"/kommentarer/ny/case/{case.pk}/"
    for body in ("Igen.", "Og igen."):
        token = TOKEN.findall(member_client.get(case.get_absolute_url()).content.decode())[0]
        assert member_client.post(url, {"body": body, "submission_token": token}).status_code == 302
    assert Comment.objects.filter(case=case).count() == 2


@pytest.mark.django_db
def test_a_double_clicked_reply_creates_one_reply(member_client, other_member, case):
    parent = focus_services.comment_add(author=other_member, body="Spørgsmål?", case=case)
    page = member_client.get(case.get_absolute_url()).content.decode()
    tokens = TOKEN.findall(page)
    assert len(tokens) == len(set(tokens)) == 2  # the reply form and the new-comment form
    for _ in range(2):
        response = member_client.post(
            f"/kommentarer/{parent.pk}/svar/", {"body": "Svar.", "submission_token": tokens[0]}
        )
        assert response.status_code == 302
    assert Comment.objects.filter(parent=parent).count() == 1


@pytest.mark.django_db
def test_the_same_token_from_another_member_is_their_own_comment(member, other_member, case):
    first = focus_services.comment_add(author=member, body="A", case=case, submission_token="x" * 32)
    second = focus_services.comment_add(author=other_member, body="B", case=case, submission_token="x" * 32)
    again = focus_services.comment_add(author=member, body="A", case=case, submission_token="x" * 32)
    assert first.pk != second.pk and again.pk == first.pk


@pytest.mark.django_db
def test_the_comment_form_page_carries_a_token_and_no_visible_extra_field(member_client, case):
    parent = focus_services.comment_add(author=case.author, body="Spørgsmål?", case=case)
    page = member_client.get(f"/kommentarer/{parent.pk}/svar/").content.decode()
    assert len(TOKEN.findall(page)) == 1
    assert "submission_token" not in re.sub(r"<input[^>]*>", "", page)


# --- two people editing the same case or note -----------------------------------------------


@pytest.mark.django_db
def test_a_stale_case_edit_is_a_conflict_not_an_overwrite(member_client, member, case, area):
    form_page = member_client.get(f"/cases/{case.pk}/rediger/").content.decode()
    opened_on = int(VERSION.search(form_page).group(1))
    # Meanwhile the same member saves from another tab (or device).
    focus_services.case_update(
        case=case, editor=member, focus_area=area, title="Casen", summary="Resumé.", body="Den anden fane."
    )
    data = {
        "title": "Casen",
        "summary": "Resumé.",
        "body": "Min tekst fra første fane.",
        "focus_area": area.pk,
        "version": opened_on,
        "action": "save",
    }
    response = member_client.post(f"/cases/{case.pk}/rediger/", data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Nogen har gemt en nyere udgave, mens du skrev" in html
    assert "Min tekst fra første fane." in html
    case.refresh_from_db()
    assert case.body == "Den anden fane."
    # Saving again on purpose replaces the newer version (which stays in the history).
    data["version"] = int(VERSION.search(html).group(1))
    assert member_client.post(f"/cases/{case.pk}/rediger/", data).status_code == 302
    case.refresh_from_db()
    assert case.body == "Min tekst fra første fane."
    assert case.revisions.filter(body="Den anden fane.").exists()


@pytest.mark.django_db
def test_case_update_with_the_current_version_saves(member, case, area):
    updated = focus_services.case_update(
        case=case, editor=member, focus_area=area, title="Ny", summary="S", body="B", expected_version=1
    )
    assert updated.version == 2


@pytest.fixture
def meeting(circle_lead):
    start = timezone.now() - timedelta(days=2)
    return circle_services.meeting_create(
        actor=circle_lead,
        circle=Circle.objects.get(slug="nordjylland"),
        title="Kredsmøde",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )


@pytest.mark.django_db
def test_two_leads_editing_the_same_note_get_a_conflict(client, circle_lead, meeting):
    second_lead = make_member(municipality_name="Aalborg", email="formand2@kommune.test")
    circle_services.membership_set(user=second_lead, circle=meeting.circle, role=MembershipRole.LEAD)
    circle_services.note_save(
        actor=circle_lead, meeting=meeting, body="Udkast.", visibility=NoteVisibility.CIRCLE
    )
    client.force_login(circle_lead)
    page = client.get(f"/moeder/{meeting.pk}/referat/").content.decode()
    opened_on = int(BASE_REVISION.search(page).group(1))
    circle_services.note_save(
        actor=second_lead, meeting=meeting, body="Den anden formands tekst.", visibility=NoteVisibility.CIRCLE
    )
    data = {"body": "Min tekst.", "visibility": "circle", "base_revision": opened_on, "draft": ""}
    response = client.post(f"/moeder/{meeting.pk}/referat/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nogen har gemt en nyere udgave, mens du skrev" in html
    assert "Min tekst." in html
    meeting.note.refresh_from_db()
    assert meeting.note.body == "Den anden formands tekst."
    data["base_revision"] = int(BASE_REVISION.search(html).group(1))
    assert client.post(f"/moeder/{meeting.pk}/referat/", data).status_code == 302
    meeting.note.refresh_from_db()
    assert meeting.note.body == "Min tekst."


@pytest.mark.django_db
def test_a_note_written_by_two_leads_at_once_is_a_conflict_for_the_second(circle_lead, meeting):
    circle_services.note_save(
        actor=circle_lead, meeting=meeting, body="Først.", visibility="circle", expected_revision=0
    )
    with pytest.raises(focus_services.ValidationError) as raised:
        circle_services.note_save(
            actor=circle_lead, meeting=meeting, body="Anden.", visibility="circle", expected_revision=0
        )
    assert raised.value.code == "edit_conflict"
    assert meeting.note.body == "Først."


# --- the database away -------------------------------------------------------------------------


@pytest.fixture
def database_away():
    """Make the default connection's next connect fail for real, then put everything back.

    PostgreSQL: the connection is closed and pointed at a closed port (a refused connection).
    SQLite: the test database lives in memory and would vanish with its last connection, so
    the live connection is set aside and the next connect goes to a path that cannot exist.
    """
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    original = dict(connection.settings_dict)
    saved = {}

    def go_away():
        if connection.vendor == "postgresql":
            connection.close()
            connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port))
        else:
            saved["connection"] = connection.connection
            connection.connection = None
            connection.settings_dict["NAME"] = "/nonexistent-directory/komdir.sqlite3"

    def come_back():
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
        if "connection" in saved:
            connection.connection = saved.pop("connection")
        else:
            connection.close()

    yield go_away, come_back
    if connection.settings_dict != original or saved:
        come_back()


@pytest.mark.django_db(transaction=True)
def test_database_down_gives_a_danish_error_page_and_503_then_recovers(client, database_away):
    go_away, come_back = database_away
    client.raise_request_exception = False
    assert client.get("/healthz").status_code == 200
    go_away()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["database"] == "down"
    page = client.get("/cases/")
    assert page.status_code == 500
    html = page.content.decode()
    assert 'lang="da"' in html and "Der opstod en fejl" in html
    assert "Traceback" not in html
    come_back()
    assert client.get("/healthz").status_code == 200
    assert client.get("/cases/").status_code == 200
