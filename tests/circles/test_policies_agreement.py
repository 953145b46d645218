"""The object check and the lists agree, for every role: notes, meetings and attachments.

Pages decide 404 with the policies' `can_view` (notes, meetings, attachments); lists, search,
notices and digests read `MeetingNote.objects.visible_to` and the circle selectors. The queryset
holds drafts for those who may edit them, as the page does; lists of published notes ask
`.published()` of it, so they must equal the published notes the check admits.
"""

import pytest
from django.test import override_settings

from circles import policies, selectors
from circles.models import Attachment, Circle, Meeting, MeetingNote, NoteStatus
from tests.circles.worlds import build_world
from tests.policy_table import shared_data

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "outsider", "circle_member", "lead", "other_lead", "secretariat", "departed"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), shared_data(django_db_blocker):
        yield build_world()


def _names(objects, world_objects) -> set[str]:
    by_pk = {obj.pk: name for name, obj in world_objects.items()}
    return {by_pk.get(obj.pk, f"pk={obj.pk}") for obj in objects}


def _notes_by_check(user, *, published_only: bool):
    notes = MeetingNote.objects.select_related("meeting__circle")
    if published_only:
        # Not .published(): that is part of what is under test.
        notes = notes.filter(status=NoteStatus.PUBLISHED)
    return [note for note in notes if policies.notes.can_view(user, note)]


@pytest.mark.parametrize("role", ROLES)
def test_note_queryset_lists_exactly_the_notes_the_check_admits(world, role):
    """Drafts included: those who may edit a draft read it, in lists as on its page."""
    user = world.user(role)
    by_check = _names(_notes_by_check(user, published_only=False), world.notes)
    assert _names(MeetingNote.objects.visible_to(user), world.notes) == by_check


@pytest.mark.parametrize("role", ROLES)
def test_published_notes_are_the_published_part_of_what_the_check_admits(world, role):
    user = world.user(role)
    by_check = _names(_notes_by_check(user, published_only=True), world.notes)
    assert _names(MeetingNote.objects.visible_to(user).published(), world.notes) == by_check


@pytest.mark.parametrize("role", ROLES)
def test_circle_pages_list_exactly_the_published_notes_the_check_admits(world, role):
    user = world.user(role)
    listed = [
        note
        for circle in world.circles.values()
        for note in selectors.circle_detail_data(circle=circle, viewer=user)["notes"]
    ]
    by_check = [n for n in _notes_by_check(user, published_only=True) if n.meeting.circle_id is not None]
    assert _names(listed, world.notes) == _names(by_check, world.notes)


@pytest.mark.parametrize("role", ROLES)
def test_note_page_and_meeting_page_show_a_note_exactly_when_the_check_admits(world, role):
    user = world.user(role)
    by_check = _names(_notes_by_check(user, published_only=False), world.notes)
    opened = {name for name, note in world.notes.items() if selectors.note_get(pk=note.pk, viewer=user)}
    assert opened == by_check
    if policies.meetings.can_view(user, world.meeting("circle")):
        on_meeting_pages = {
            name
            for name, note in world.notes.items()
            if selectors.meeting_detail_data(
                meeting=selectors.meeting_get(pk=note.meeting_id, viewer=user), viewer=user
            )["note"]
        }
        assert on_meeting_pages == by_check


def _meetings_listed(user) -> list[Meeting]:
    """Every meeting the circle pages and the association's event lists show `user`."""
    listed = list(selectors.association_meeting_list()) + list(
        selectors.association_meeting_list(upcoming=False)
    )
    for circle in Circle.objects.all():
        data = selectors.circle_detail_data(circle=circle, viewer=user)
        listed += data["upcoming"] + data["past"]
    return listed


@pytest.mark.parametrize("role", ROLES)
def test_meeting_lists_and_pages_agree_with_the_check(client, world, role):
    user = world.user(role)
    by_check = {m.pk for m in Meeting.objects.all() if policies.meetings.can_view(user, m)}
    if by_check:
        # The lists themselves are behind the login: they show a member every meeting.
        assert {m.pk for m in _meetings_listed(user)} == by_check
    if user.is_authenticated:
        client.force_login(user)
    for name in ("circle", "cancelled", "other_circle", "assoc"):
        meeting = world.meeting(name)
        status = client.get(meeting.get_absolute_url()).status_code
        assert (status == 200) is (meeting.pk in by_check), (name, status)
    upcoming_widget = {m.pk for m in selectors.meeting_list_upcoming_for(viewer=user, limit=50)}
    assert upcoming_widget <= by_check


@pytest.mark.parametrize("role", ROLES)
def test_attachments_shown_and_served_exactly_when_the_check_admits(world, role):
    user = world.user(role)
    by_check = _names(
        [a for a in Attachment.objects.all() if policies.attachments.can_view(user, a)], world.attachments
    )
    served = {name for name, a in world.attachments.items() if selectors.attachment_get(pk=a.pk, viewer=user)}
    assert served == by_check
    shown = []
    for meeting in Meeting.objects.all():
        if policies.meetings.can_view(user, meeting):
            data = selectors.meeting_detail_data(
                meeting=selectors.meeting_get(pk=meeting.pk, viewer=user), viewer=user
            )
            shown += data["attachments"] + data["note_attachments"]
    for note in MeetingNote.objects.all():
        if selectors.note_get(pk=note.pk, viewer=user) is not None:
            shown += selectors.note_detail_data(note=note)["attachments"]
    assert _names(shown, world.attachments) == by_check
