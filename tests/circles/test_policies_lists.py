"""circles' policies: one rule per model, so a list (SQL) and a page (the object) never disagree.

Roles: a visitor, a member of another circle (Hovedstaden), a member of the circle
(Nordjylland), its lead, and the secretariat; notes in every state (docs/permissions.md).
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from circles import policies, selectors, services
from circles.models import Attachment, Meeting, MeetingNote, NoteVisibility
from tests.circles.conftest import make_meeting, make_note, pdf_file

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "other_member", "circle_lead", "secretariat"]


@pytest.fixture
def user(request, db):
    if request.param == "visitor":
        return AnonymousUser()
    return request.getfixturevalue(request.param)


@pytest.fixture
def world(circle_lead, secretariat, nordjylland, hovedstaden):
    """Every kind of note, each with an attachment, and a meeting with an attachment of its own."""
    notes = {}

    def note(name, *, actor, circle, **kwargs):
        meeting = make_meeting(actor=actor, circle=circle, title=name, days=-3 - len(notes))
        notes[name] = make_note(actor=actor, meeting=meeting, **kwargs)
        services.attachment_add(actor=actor, note=notes[name], file=pdf_file(f"{name}.pdf"))

    note("circle_only", actor=circle_lead, circle=nordjylland)
    note("members", actor=circle_lead, circle=nordjylland, visibility=NoteVisibility.MEMBERS)
    note("draft", actor=circle_lead, circle=nordjylland, publish=False)
    note("other_circle", actor=secretariat, circle=hovedstaden)
    note("event", actor=secretariat, circle=None, visibility=NoteVisibility.MEMBERS)
    note("event_draft", actor=secretariat, circle=None, visibility=NoteVisibility.MEMBERS, publish=False)
    agenda = make_meeting(actor=circle_lead, circle=nordjylland, title="Med dagsordensbilag")
    services.attachment_add(actor=circle_lead, meeting=agenda, file=pdf_file("dagsorden.pdf"))
    return notes


READS = {
    "visitor": set(),
    "member": {"members", "other_circle", "event"},
    "other_member": {"circle_only", "members", "event"},
    # Drafts for those who may edit them: the circle's lead, and the secretariat.
    "circle_lead": {"circle_only", "members", "draft", "event"},
    "secretariat": {"circle_only", "members", "draft", "other_circle", "event", "event_draft"},
}


def _names(world, pks):
    return {name for name, note in world.items() if note.pk in pks}


@pytest.mark.parametrize("user", ROLES, indirect=True)
def test_the_list_and_the_page_agree_on_every_note(user, world):
    listed = set(MeetingNote.objects.visible_to(user).values_list("pk", flat=True))
    on_page = {note.pk for note in world.values() if selectors.note_get(pk=note.pk, viewer=user) is not None}
    assert listed == on_page


@pytest.mark.parametrize("user", ROLES, indirect=True)
def test_each_role_reads_the_notes_the_rules_give_it(request, user, world):
    role = request.node.callspec.params["user"]
    visible = set(policies.notes.visible(user).values_list("pk", flat=True))
    assert _names(world, visible) == READS[role]
    assert {name for name, note in world.items() if policies.notes.can_view(user, note)} == READS[role]


@pytest.mark.parametrize("user", ROLES, indirect=True)
def test_an_attachment_follows_what_it_is_attached_to_in_sql_and_on_the_object(request, user, world):
    role = request.node.callspec.params["user"]
    in_sql = set(policies.attachments.visible(user).values_list("pk", flat=True))
    on_objects = {
        a.pk
        for a in Attachment.objects.select_related("note__meeting")
        if policies.attachments.can_view(user, a)
    }
    assert in_sql == on_objects
    expected = set(
        Attachment.objects.filter(note__in=[world[name] for name in READS[role]]).values_list("pk", flat=True)
    )
    if role != "visitor":
        expected |= set(Attachment.objects.filter(note__isnull=True).values_list("pk", flat=True))
    assert in_sql == expected


@pytest.mark.parametrize("user", ROLES, indirect=True)
def test_every_member_sees_every_meeting_and_a_visitor_none(request, user, world):
    seen = set(Meeting.objects.visible_to(user).values_list("pk", flat=True))
    everything = set(Meeting.objects.values_list("pk", flat=True))
    assert seen == (set() if request.node.callspec.params["user"] == "visitor" else everything)


def test_a_leads_draft_is_on_its_page_but_in_no_list_of_published_notes(circle_lead, nordjylland, world):
    draft = world["draft"]
    assert selectors.note_get(pk=draft.pk, viewer=circle_lead) == draft
    circle_page = selectors.circle_detail_data(circle=nordjylland, viewer=circle_lead)
    assert draft not in circle_page["notes"]
    assert next(m for m in circle_page["past"] if m.pk == draft.meeting_id).visible_note == draft


def test_actions_follow_the_circle_the_lead_leads(circle_lead, other_member, secretariat, world):
    mine, theirs = world["circle_only"], world["other_circle"]
    for action in ("edit", "cancel", "delete", "view_attendance", "write_note"):
        assert policies.meetings.can(circle_lead, action, mine.meeting)
        assert not policies.meetings.can(circle_lead, action, theirs.meeting)
        assert not policies.meetings.can(other_member, action, mine.meeting)
        assert policies.meetings.can(secretariat, action, theirs.meeting)
    for action in ("edit", "publish", "delete"):
        assert policies.notes.can(circle_lead, action, mine)
        assert not policies.notes.can(circle_lead, action, theirs)
        assert not policies.notes.can(other_member, action, mine)
    attachment = mine.attachments.get()
    assert policies.attachments.can(circle_lead, "delete", attachment)
    assert not policies.attachments.can(other_member, "delete", attachment)
    assert policies.meetings.can(secretariat, "create") and not policies.meetings.can(circle_lead, "create")


def test_only_the_member_reads_their_own_calendar_address(member, other_member):
    token = services.calendar_token_get_or_create(user=member)
    assert list(policies.calendar_feed.visible(member)) == [token]
    assert list(policies.calendar_feed.visible(other_member)) == []
    assert policies.calendar_feed.can(member, "use") and not policies.calendar_feed.can(
        AnonymousUser(), "use"
    )
