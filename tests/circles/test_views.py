"""Circle pages, meeting and note forms, and query budgets that hold with 1 and with 50 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from circles import services
from circles.models import Meeting, MeetingKind, MeetingNote, NoteRevision, NoteStatus, NoteVisibility
from tests.circles.conftest import make_meeting, make_note, pdf_file
from tests.factories import make_member

MAX_QUERIES = 12


@pytest.fixture(autouse=True)
def _render_everything(settings):
    # Query budgets hold for the full rendering a first view pays, not only for a cached view.
    settings.KOMDIR_FRAGMENT_CACHE = False


def _count(client, url) -> int:
    # One request first: the session middleware writes the session once after login, and that
    # write is not the page's cost.
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _fill_circle(*, lead, circle, area, n: int):
    for i in range(n):
        meeting = make_meeting(actor=lead, circle=circle, title=f"Møde {i}", days=(i - n // 2) * 7 or 1)
        if meeting.ends_at < timezone.now():
            visibility = NoteVisibility.CIRCLE if i % 2 else NoteVisibility.MEMBERS
            note = make_note(actor=lead, meeting=meeting, visibility=visibility, areas=[area])
            services.attachment_add(actor=lead, note=note, file=pdf_file(f"bilag{i}.pdf"))
        services.attachment_add(actor=lead, meeting=meeting, file=pdf_file(f"dagsorden{i}.pdf"))
    for i in range(n):
        make_member(municipality_name="Aalborg", email=f"ekstra{circle.pk}-{n}-{i}@kommune.test")


@pytest.mark.parametrize("viewer", ["other_member", "circle_lead"])
def test_circle_page_query_count_is_flat_from_1_to_50_meetings(
    client, request, circle_lead, nordjylland, area, viewer
):
    user = request.getfixturevalue(viewer)
    client.force_login(user)
    _fill_circle(lead=circle_lead, circle=nordjylland, area=area, n=1)
    small = _count(client, "/kredse/nordjylland/")
    _fill_circle(lead=circle_lead, circle=nordjylland, area=area, n=49)
    assert Meeting.objects.filter(circle=nordjylland).count() == 50
    large = _count(client, "/kredse/nordjylland/")
    assert small == large
    assert large <= MAX_QUERIES


def test_circle_list_query_count_is_flat(
    client, other_member, circle_lead, nordjylland, hovedstaden, secretariat, area
):
    client.force_login(other_member)
    _fill_circle(lead=circle_lead, circle=nordjylland, area=area, n=1)
    small = _count(client, "/kredse/")
    _fill_circle(lead=circle_lead, circle=nordjylland, area=area, n=20)
    _fill_circle(lead=secretariat, circle=hovedstaden, area=area, n=30)
    for i in range(10):
        make_meeting(actor=secretariat, circle=None, title=f"Arrangement {i}", kind=MeetingKind.PROFESSIONAL)
    large = _count(client, "/kredse/")
    assert small == large <= MAX_QUERIES


@pytest.mark.parametrize("viewer", ["other_member", "circle_lead", "member"])
def test_meeting_page_query_count_is_flat_from_1_to_50_attachments_and_attendees(
    client, request, circle_lead, nordjylland, area, viewer
):
    from focus.models import FocusArea

    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-2)
    note = make_note(actor=circle_lead, meeting=meeting, visibility=NoteVisibility.MEMBERS, areas=[area])
    services.attachment_add(actor=circle_lead, meeting=meeting, file=pdf_file("a.pdf"))
    services.attachment_add(actor=circle_lead, note=note, file=pdf_file("b.pdf"))
    client.force_login(request.getfixturevalue(viewer))
    url = meeting.get_absolute_url()
    small = _count(client, url)
    for i in range(49):
        services.attachment_add(actor=circle_lead, meeting=meeting, file=pdf_file(f"a{i}.pdf"))
        services.attachment_add(actor=circle_lead, note=note, file=pdf_file(f"b{i}.pdf"))
        user = make_member(municipality_name="Aalborg", email=f"deltager{i}@kommune.test")
        services.attendance_set(user=user, meeting=Meeting.objects.get(pk=meeting.pk), response="yes")
    services.note_save(
        actor=circle_lead,
        meeting=meeting,
        body="Referat.",
        visibility=NoteVisibility.MEMBERS,
        focus_areas=list(FocusArea.objects.all()),
    )
    large = _count(client, url)
    assert small == large <= MAX_QUERIES


def test_note_page_query_count_is_flat(client, other_member, circle_lead, nordjylland, area):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-2)
    note = make_note(actor=circle_lead, meeting=meeting, areas=[area])
    services.attachment_add(actor=circle_lead, note=note, file=pdf_file("b.pdf"))
    client.force_login(other_member)
    small = _count(client, note.get_absolute_url())
    for i in range(49):
        services.attachment_add(actor=circle_lead, note=note, file=pdf_file(f"b{i}.pdf"))
    large = _count(client, note.get_absolute_url())
    assert small == large <= MAX_QUERIES


def test_circle_page_shows_members_meetings_and_visible_notes(
    client, other_member, circle_lead, circle_only_note, members_note
):
    upcoming = make_meeting(
        actor=circle_lead, circle=circle_lead.circle_memberships.get().circle, title="Næste møde"
    )
    client.force_login(other_member)
    html = client.get("/kredse/nordjylland/").content.decode()
    assert upcoming.get_absolute_url() in html
    assert circle_only_note.get_absolute_url() in html and members_note.get_absolute_url() in html
    assert circle_lead.get_full_name() in html and other_member.get_full_name() in html
    listing = client.get("/kredse/").content.decode()
    assert "Næste møde" in listing and "Kreds Nordjylland" in listing


def test_lead_creates_meeting_through_the_form_in_copenhagen_time(client, circle_lead, nordjylland):
    client.force_login(circle_lead)
    response = client.post(
        "/kredse/nordjylland/moeder/nyt/",
        {
            "title": "Kredsmøde i juli",
            "starts_at": "2027-07-01T10:00",
            "ends_at": "2027-07-01T14:00",
            "location": "Hjørring",
            "online_url": "",
            "agenda": "## Punkter\n\n1. Velkomst",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at.isoformat() == "2027-07-01T08:00:00+00:00"
    assert "<h2>Punkter</h2>" in meeting.agenda_html and meeting.kind == MeetingKind.CIRCLE


def test_meeting_form_keeps_input_and_explains_errors(client, circle_lead):
    client.force_login(circle_lead)
    response = client.post(
        "/kredse/nordjylland/moeder/nyt/",
        {
            "title": "Kredsmøde",
            "starts_at": "2027-07-01T14:00",
            "ends_at": "2027-07-01T10:00",
            "location": "Et sted",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mødet skal slutte efter, det er begyndt." in html
    assert 'value="Et sted"' in html
    assert not Meeting.objects.exists()


def test_secretariat_creates_general_assembly(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        "/moeder/nyt/",
        {
            "title": "Generalforsamling 2027",
            "kind": MeetingKind.GENERAL_ASSEMBLY,
            "starts_at": "2027-04-20T10:00",
            "ends_at": "2027-04-20T16:00",
            "location": "Nyborg Strand",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.circle is None and meeting.kind == MeetingKind.GENERAL_ASSEMBLY


def test_lead_edits_and_cancels_meeting(client, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    client.force_login(circle_lead)
    assert client.get(f"/moeder/{meeting.pk}/rediger/").status_code == 200
    response = client.post(
        f"/moeder/{meeting.pk}/rediger/",
        {
            "title": "Nyt navn",
            "starts_at": "2027-01-05T09:00",
            "ends_at": "2027-01-05T11:00",
            "location": "Aalborg",
        },
    )
    assert response.status_code == 302
    assert client.post(f"/moeder/{meeting.pk}/aflys/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Nyt navn" and meeting.is_cancelled
    assert "Mødet er aflyst." in client.get(meeting.get_absolute_url()).content.decode()


def test_lead_sees_who_attends_members_do_not(client, circle_lead, other_member, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    client.force_login(other_member)
    client.post(f"/moeder/{meeting.pk}/tilmelding/", {"response": "yes"})
    assert "Tilmeldte" not in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(circle_lead)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Tilmeldte (1)" in html and other_member.get_full_name() in html


def test_lead_writes_draft_then_publishes_and_history_is_kept(
    client, circle_lead, other_member, nordjylland, area
):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    client.force_login(circle_lead)
    response = client.post(
        f"/moeder/{meeting.pk}/referat/",
        {
            "body": "Første udkast",
            "visibility": NoteVisibility.CIRCLE,
            "focus_areas": [area.pk],
            "draft": "1",
        },
    )
    note = MeetingNote.objects.get()
    assert response.status_code == 302 and note.status == NoteStatus.DRAFT
    client.force_login(other_member)
    assert client.get(note.get_absolute_url()).status_code == 404
    client.force_login(circle_lead)
    client.post(
        f"/moeder/{meeting.pk}/referat/",
        {
            "body": "Endelig tekst",
            "visibility": NoteVisibility.MEMBERS,
            "focus_areas": [area.pk],
            "publish": "1",
        },
    )
    note.refresh_from_db()
    assert note.status == NoteStatus.PUBLISHED and note.published_at is not None
    assert list(note.focus_areas.all()) == [area]
    bodies = list(NoteRevision.objects.filter(note=note).order_by("pk").values_list("body", flat=True))
    assert bodies == ["Første udkast", "Endelig tekst"]
    page = client.get(f"/moeder/{meeting.pk}/referat/").content.decode()
    assert "Historik" in page
    client.force_login(other_member)
    assert "Endelig tekst" in client.get(note.get_absolute_url()).content.decode()


def test_note_form_requires_body_and_keeps_choice(client, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    client.force_login(circle_lead)
    response = client.post(
        f"/moeder/{meeting.pk}/referat/", {"body": "", "visibility": NoteVisibility.MEMBERS}
    )
    assert response.status_code == 200
    assert not MeetingNote.objects.exists()
    assert 'value="members" id="id_visibility_1" required checked' in response.content.decode().replace(
        "\n", ""
    )


def test_markdown_in_notes_is_sanitised(circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    note = make_note(
        actor=circle_lead, meeting=meeting, body="<script>alert(1)</script> [x](javascript:alert(1))"
    )
    assert "<script>" not in note.body_html and 'href="javascript' not in note.body_html


def test_edit_form_shows_copenhagen_time_and_a_dst_gap_time_gives_a_message(client, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    client.force_login(circle_lead)
    html = client.get(f"/moeder/{meeting.pk}/rediger/").content.decode()
    assert f'value="{timezone.localtime(meeting.starts_at):%Y-%m-%dT%H:%M}"' in html
    assert "T10:00" in html
    # 02:30 on 28 March 2027 does not exist in Denmark (clocks jump from 02:00 to 03:00).
    response = client.post(
        f"/moeder/{meeting.pk}/rediger/",
        {"title": "Natmøde", "starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00"},
    )
    assert response.status_code == 200
    assert 'class="form-error-message"' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Kredsmøde"


def test_circle_page_lists_past_meetings_newest_first_and_upcoming_soonest_first(
    client, other_member, circle_lead, nordjylland
):
    for days in (-30, -20, 20, 30):
        make_meeting(actor=circle_lead, circle=nordjylland, title=f"Møde {days:+d}", days=days)
    client.force_login(other_member)
    html = client.get("/kredse/nordjylland/").content.decode()
    upcoming, past = html.split('id="past-title"')
    assert upcoming.index("Møde +20") < upcoming.index("Møde +30") and "Møde -20" not in upcoming
    assert past.index("Møde -20") < past.index("Møde -30") and "Møde +20" not in past


def test_circle_page_shows_only_the_latest_past_meetings(client, other_member, circle_lead, nordjylland):
    from circles.selectors import PAST_MEETINGS_SHOWN

    for i in range(PAST_MEETINGS_SHOWN + 2):
        make_meeting(actor=circle_lead, circle=nordjylland, title=f"Gammelt møde {i:02d}", days=-(i + 1))
    client.force_login(other_member)
    html = client.get("/kredse/nordjylland/").content.decode()
    assert f"Gammelt møde {PAST_MEETINGS_SHOWN - 1:02d}" in html
    assert f"Gammelt møde {PAST_MEETINGS_SHOWN:02d}" not in html


def test_circle_page_links_a_draft_note_for_the_lead_only(client, circle_lead, other_member, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, title="Møde med kladde", days=-3)
    draft = make_note(actor=circle_lead, meeting=meeting, publish=False, body="Ufærdig tekst")
    client.force_login(circle_lead)
    html = client.get("/kredse/nordjylland/").content.decode()
    assert draft.get_absolute_url() in html and "(kladde)" in html
    client.force_login(other_member)
    html = client.get("/kredse/nordjylland/").content.decode()
    assert "Møde med kladde" in html
    assert draft.get_absolute_url() not in html and "(kladde)" not in html


def test_circle_page_hides_circle_only_notes_from_other_circles_and_shows_no_note_text(
    client, member, circle_only_note, members_note
):
    client.force_login(member)
    html = client.get("/kredse/nordjylland/").content.decode()
    assert "Hemmeligt møde" in html  # the meeting itself is for every member
    assert circle_only_note.get_absolute_url() not in html
    assert members_note.get_absolute_url() in html
    assert "Åben tekst" not in html  # the list links notes; it never prints their text
