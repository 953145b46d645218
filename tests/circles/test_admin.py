import pytest

from circles.models import Circle, CircleMembership, MembershipRole, NoteRevision
from tests.circles.conftest import make_meeting, make_note


@pytest.mark.parametrize(
    "path",
    [
        "/admin/circles/meeting/",
        "/admin/circles/meetingnote/",
        "/admin/circles/attendance/",
        "/admin/circles/calendartoken/",
        "/admin/circles/circlemembership/",
        "/admin/circles/meeting/add/",
    ],
)
def test_admin_pages_load_for_the_secretariat(secretariat_client, circle_only_note, path):
    assert secretariat_client.get(path).status_code == 200


def test_admin_change_pages_load(secretariat_client, circle_only_note):
    assert (
        secretariat_client.get(f"/admin/circles/meeting/{circle_only_note.meeting_id}/change/").status_code
        == 200
    )
    assert (
        secretariat_client.get(f"/admin/circles/meetingnote/{circle_only_note.pk}/change/").status_code == 200
    )


def test_secretariat_moves_a_member_and_adds_a_lead_in_admin(secretariat_client, member):
    membership = CircleMembership.objects.get(user=member)
    nordjylland = Circle.objects.get(slug="nordjylland")
    response = secretariat_client.post(
        f"/admin/circles/circlemembership/{membership.pk}/change/",
        {
            "circle": nordjylland.pk,
            "user": member.pk,
            "role": MembershipRole.LEAD,
            "joined_at_0": "2026-01-01",
            "joined_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership.refresh_from_db()
    assert membership.circle == nordjylland and membership.is_lead
    # The new lead may now plan meetings in the new circle.
    make_meeting(actor=type(member).objects.get(pk=member.pk), circle=nordjylland)


def test_note_edited_in_admin_keeps_history(secretariat_client, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    note = make_note(actor=circle_lead, meeting=meeting, body="Før")
    response = secretariat_client.post(
        f"/admin/circles/meetingnote/{note.pk}/change/",
        {
            "meeting": meeting.pk,
            "status": "published",
            "visibility": "circle",
            "body": "Efter",
            "revisions-TOTAL_FORMS": "1",
            "revisions-INITIAL_FORMS": "1",
            "revisions-MIN_NUM_FORMS": "0",
            "revisions-MAX_NUM_FORMS": "1000",
            "base_revision": NoteRevision.objects.get(note=note).pk,
            "revisions-0-id": NoteRevision.objects.get(note=note).pk,
            "revisions-0-note": note.pk,
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(NoteRevision.objects.filter(note=note).order_by("pk").values_list("body", flat=True)) == [
        "Før",
        "Efter",
    ]
    note.refresh_from_db()
    assert note.body_html == "<p>Efter</p>\n"
