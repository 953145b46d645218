import pytest
from django.core.exceptions import ValidationError

from circles import services
from circles.models import MeetingKind, MeetingNote, NoteRevision, NoteStatus, NoteVisibility
from tests.circles.conftest import future, make_meeting, make_note


def test_meeting_must_end_after_it_starts(circle_lead, nordjylland):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=circle_lead,
            circle=nordjylland,
            title="Baglæns",
            starts_at=future(3, 12),
            ends_at=future(3, 10),
        )
    assert "Mødet skal slutte efter, det er begyndt." in exc.value.messages


def test_circle_meeting_kind_needs_a_circle(secretariat):
    with pytest.raises(ValidationError):
        services.meeting_create(
            actor=secretariat,
            circle=None,
            kind=MeetingKind.CIRCLE,
            title="Uden kreds",
            starts_at=future(3, 10),
            ends_at=future(3, 12),
        )


def test_meeting_update_saves_only_changed_fields_and_renders_agenda(circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    services.meeting_update(actor=circle_lead, meeting=meeting, agenda="**Vigtigt**")
    meeting.refresh_from_db()
    assert meeting.agenda_html == "<p><strong>Vigtigt</strong></p>\n"


def test_every_note_save_keeps_a_revision(circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    note = make_note(actor=circle_lead, meeting=meeting, body="Version 1", publish=False)
    make_note(actor=circle_lead, meeting=meeting, body="Version 2", publish=False)
    services.note_publish(actor=circle_lead, note=MeetingNote.objects.get(pk=note.pk))
    revisions = list(NoteRevision.objects.filter(note=note).order_by("pk"))
    assert [r.body for r in revisions] == ["Version 1", "Version 2", "Version 2"]
    assert [r.status for r in revisions] == [NoteStatus.DRAFT, NoteStatus.DRAFT, NoteStatus.PUBLISHED]
    assert MeetingNote.objects.count() == 1


def test_publishing_twice_keeps_the_first_publication_time(circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland, days=-1)
    note = make_note(actor=circle_lead, meeting=meeting)
    first = note.published_at
    note = make_note(actor=circle_lead, meeting=meeting, visibility=NoteVisibility.MEMBERS, body="Rettet")
    assert note.published_at == first and note.visibility == NoteVisibility.MEMBERS


def test_attendance_set_updates_the_one_answer(other_member, circle_lead, nordjylland):
    meeting = make_meeting(actor=circle_lead, circle=nordjylland)
    services.attendance_set(user=other_member, meeting=meeting, response="yes")
    services.attendance_set(user=other_member, meeting=meeting, response="no")
    assert list(meeting.attendances.values_list("response", flat=True)) == ["no"]


def test_membership_follows_the_municipality_region_by_default(member, other_member):
    assert member.circle_memberships.get().circle.slug == "hovedstaden"
    assert other_member.circle_memberships.get().circle.slug == "nordjylland"
