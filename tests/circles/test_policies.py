"""The policy matrix for circles, meetings, notes and attachments (circles.policies).

Roles: a visitor; `outsider`, a member of Kreds Hovedstaden; `circle_member` of Kreds
Nordjylland; `lead` of Nordjylland; `other_lead` of Hovedstaden; the secretariat (staff, not
superuser, in no circle); `departed`, a former Nordjylland member. Objects live in Nordjylland
unless named `other_*` (Hovedstaden) or `assoc*` (association-wide); see tests/circles/worlds.py.
"""

import pytest
from django.http import Http404
from django.test import override_settings
from django.urls import reverse

from circles import policies, services
from circles.calendar import meeting_uid
from circles.models import CalendarToken
from tests.circles.conftest import make_meeting, make_note
from tests.circles.worlds import build_world
from tests.factories import make_member
from tests.policy_table import matrix, shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), shared_data(django_db_blocker):
        world = build_world()
        # A note whose meeting was cancelled after it was written: it may be deleted, not published.
        lead, nord = world.users["lead"], world.circles["own"]
        meeting = make_meeting(actor=lead, circle=nord, title="Aflyst efter referatet", days=-11)
        world.notes["on_cancelled"] = make_note(actor=lead, meeting=meeting, publish=False)
        services.meeting_cancel(actor=lead, meeting=meeting)
        # Another member's calendar address, a member none of the roles is.
        someone = make_member(municipality_name="Thisted", email="thisted@kommune.test")
        world.feed_tokens["a_member"] = services.calendar_token_get_or_create(user=someone).token
        yield world


CIRCLE_ACTIONS = {
    "view": policies.circles.can_view,
    "manage": policies.circles.can_manage,
    "create_meeting": policies.meetings.can_create,
    "edit": policies.circles.can_edit,
    "delete": policies.circles.can_delete,
    "manage_members": policies.circles.can_manage_members,
}

CIRCLES = """
action          state  visitor  outsider  circle_member  lead  other_lead  secretariat  departed
view            own    -        yes       yes            yes   yes         yes          -
view            other  -        yes       yes            yes   yes         yes          -
manage          own    -        -         -              yes   -           yes          -
manage          other  -        -         -              -     yes         yes          -
create_meeting  own    -        -         -              yes   -           yes          -
create_meeting  other  -        -         -              -     yes         yes          -
edit            own    -        -         -              -     -           yes          -
edit            other  -        -         -              -     -           yes          -
delete          own    -        -         -              -     -           yes          -
delete          other  -        -         -              -     -           yes          -
manage_members  own    -        -         -              -     -           yes          -
manage_members  other  -        -         -              -     -           yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(CIRCLES))
def test_circle_rule(world, role, action, state, expected):
    assert CIRCLE_ACTIONS[action](world.user(role), world.circles[state]) is expected


GLOBAL = """
action               state  visitor  outsider  circle_member  lead  other_lead  secretariat  departed
create_assoc_event   any    -        -         -              -     -           yes          -
use_calendar_feed    any    -        yes       yes            yes   yes         yes          -
create_circle        any    -        -         -              -     -           yes          -
can_use_feed         any    -        yes       yes            yes   yes         yes          -
can_create_circle    any    -        -         -              -     -           yes          -
"""

GLOBAL_ACTIONS = {
    "create_circle": policies.circles.can_create,
    "create_assoc_event": lambda user: policies.meetings.can_create(user, None),
    "use_calendar_feed": policies.calendar_feed.can_use,
    # The same rules through `can()`, which must know them as rules without an object.
    "can_use_feed": lambda user: policies.calendar_feed.can(user, "use"),
    "can_create_circle": lambda user: policies.circles.can(user, "create"),
}


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(GLOBAL))
def test_circles_rule_without_object(world, role, action, state, expected):
    assert GLOBAL_ACTIONS[action](world.user(role)) is expected


MEETING_ACTIONS = {
    "view": policies.meetings.can_view,
    "edit": policies.meetings.can_edit,
    "respond": policies.meetings.can_respond,
    "attendance": policies.meetings.can_view_attendance,
    "attach": lambda user, meeting: policies.attachments.can_create(user, meeting=meeting),
    "cancel": policies.meetings.can_cancel,
    "delete": policies.meetings.can_delete,
    "record_attendance": policies.meetings.can_record_attendance,
    "write_note": policies.meetings.can_write_note,
}

# Every member reads every meeting (what only a circle may read belongs in a circle-only note).
# A cancelled meeting is closed: nobody edits it or writes its notes (its leads may still cancel
# or delete it). Answers are recorded for a member by the secretariat only.
MEETINGS = """
action             state            visitor  outsider  circle_member  lead  other_lead  secretariat  departed
view               circle           -        yes       yes            yes   yes         yes          -
view               cancelled        -        yes       yes            yes   yes         yes          -
view               other_circle     -        yes       yes            yes   yes         yes          -
view               assoc            -        yes       yes            yes   yes         yes          -
edit               circle           -        -         -              yes   -           yes          -
edit               cancelled        -        -         -              -     -           -            -
edit               other_circle     -        -         -              -     yes         yes          -
edit               assoc            -        -         -              -     -           yes          -
respond            circle           -        -         yes            yes   -           yes          -
respond            cancelled        -        -         -              -     -           -            -
respond            other_circle     -        yes       -              -     yes         yes          -
respond            assoc            -        yes       yes            yes   yes         yes          -
respond            assoc_cancelled  -        -         -              -     -           -            -
respond            past             -        -         yes            yes   -           yes          -
attendance         circle           -        -         -              yes   -           yes          -
attendance         other_circle     -        -         -              -     yes         yes          -
attendance         assoc            -        -         -              -     -           yes          -
attach             circle           -        -         -              yes   -           yes          -
attach             other_circle     -        -         -              -     yes         yes          -
attach             assoc            -        -         -              -     -           yes          -
cancel             circle           -        -         -              yes   -           yes          -
cancel             cancelled        -        -         -              yes   -           yes          -
cancel             other_circle     -        -         -              -     yes         yes          -
cancel             assoc            -        -         -              -     -           yes          -
delete             circle           -        -         -              yes   -           yes          -
delete             cancelled        -        -         -              yes   -           yes          -
delete             other_circle     -        -         -              -     yes         yes          -
delete             assoc            -        -         -              -     -           yes          -
record_attendance  circle           -        -         -              -     -           yes          -
record_attendance  other_circle     -        -         -              -     -           yes          -
record_attendance  assoc            -        -         -              -     -           yes          -
write_note         circle           -        -         -              yes   -           yes          -
write_note         cancelled        -        -         -              -     -           -            -
write_note         other_circle     -        -         -              -     yes         yes          -
write_note         assoc            -        -         -              -     -           yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(MEETINGS))
def test_meeting_rule(world, role, action, state, expected):
    assert MEETING_ACTIONS[action](world.user(role), world.meeting(state)) is expected


def found_or_404(policy, user, obj) -> bool:
    """What a view gets from get_visible_or_404: the object, or the 404 a missing one gives."""
    try:
        found = policy.get_visible_or_404(user, pk=obj.pk)
    except Http404:
        return False
    assert found == obj
    return True


NOTE_ACTIONS = {
    "view": policies.notes.can_view,
    "edit": policies.notes.can_edit,
    "attach": lambda user, note: policies.attachments.can_create(user, note=note),
    "page": lambda user, note: found_or_404(policies.notes, user, note),
    "publish": policies.notes.can_publish,
    "delete": policies.notes.can_delete,
}

# Drafts: only those who may edit them. Circle-only: only the circle (and the secretariat).
# Publishing and deleting are for those who write the meeting's notes: its leads, the secretariat.
NOTES = """
action   state              visitor  outsider  circle_member  lead  other_lead  secretariat  departed
view     circle_only        -        -         yes            yes   -           yes          -
view     members            -        yes       yes            yes   yes         yes          -
view     draft              -        -         -              yes   -           yes          -
view     draft_members      -        -         -              yes   -           yes          -
view     other_circle_only  -        yes       -              -     yes         yes          -
view     other_members      -        yes       yes            yes   yes         yes          -
view     assoc              -        yes       yes            yes   yes         yes          -
view     assoc_draft        -        -         -              -     -           yes          -
edit     circle_only        -        -         -              yes   -           yes          -
edit     members            -        -         -              yes   -           yes          -
edit     draft              -        -         -              yes   -           yes          -
edit     other_circle_only  -        -         -              -     yes         yes          -
edit     assoc              -        -         -              -     -           yes          -
edit     assoc_draft        -        -         -              -     -           yes          -
attach   circle_only        -        -         -              yes   -           yes          -
attach   other_circle_only  -        -         -              -     yes         yes          -
attach   assoc              -        -         -              -     -           yes          -
page     circle_only        -        -         yes            yes   -           yes          -
page     draft              -        -         -              yes   -           yes          -
page     other_circle_only  -        yes       -              -     yes         yes          -
page     assoc_draft        -        -         -              -     -           yes          -
publish  draft              -        -         -              yes   -           yes          -
publish  members            -        -         -              yes   -           yes          -
publish  other_circle_only  -        -         -              -     yes         yes          -
publish  assoc_draft        -        -         -              -     -           yes          -
publish  on_cancelled       -        -         -              -     -           -            -
delete   circle_only        -        -         -              yes   -           yes          -
delete   draft              -        -         -              yes   -           yes          -
delete   other_circle_only  -        -         -              -     yes         yes          -
delete   assoc              -        -         -              -     -           yes          -
delete   on_cancelled       -        -         -              yes   -           yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(NOTES))
def test_note_rule(world, role, action, state, expected):
    assert NOTE_ACTIONS[action](world.user(role), world.note(state)) is expected


ATTACHMENT_ACTIONS = {
    "view": policies.attachments.can_view,
    "delete": policies.attachments.can_delete,
}

# An attachment follows what it is attached to: a meeting's every member reads, a note's the
# note's readers; it is deleted by whoever may edit that meeting or note.
ATTACHMENTS = """
action  state                      visitor  outsider  circle_member  lead  other_lead  secretariat  departed
view    on_meeting                 -        yes       yes            yes   yes         yes          -
view    on_other_meeting           -        yes       yes            yes   yes         yes          -
view    on_assoc_meeting           -        yes       yes            yes   yes         yes          -
view    on_circle_only_note        -        -         yes            yes   -           yes          -
view    on_members_note            -        yes       yes            yes   yes         yes          -
view    on_draft_note              -        -         -              yes   -           yes          -
view    on_other_circle_only_note  -        yes       -              -     yes         yes          -
view    on_assoc_note              -        yes       yes            yes   yes         yes          -
delete  on_meeting                 -        -         -              yes   -           yes          -
delete  on_other_meeting           -        -         -              -     yes         yes          -
delete  on_assoc_meeting           -        -         -              -     -           yes          -
delete  on_circle_only_note        -        -         -              yes   -           yes          -
delete  on_members_note            -        -         -              yes   -           yes          -
delete  on_draft_note              -        -         -              yes   -           yes          -
delete  on_other_circle_only_note  -        -         -              -     yes         yes          -
delete  on_assoc_note              -        -         -              -     -           yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(ATTACHMENTS))
def test_attachment_rule(world, role, action, state, expected):
    assert ATTACHMENT_ACTIONS[action](world.user(role), world.attachment(state)) is expected


# The personal calendar feed: the member's own circles' meetings and the association-wide events,
# cancelled ones too (so calendars drop them), from a year back. The secretariat is in no circle.
FEED = """
action   state            visitor  outsider  circle_member  lead  other_lead  secretariat  departed
in_feed  circle           -        -         yes            yes   -           -            -
in_feed  cancelled        -        -         yes            yes   -           -            -
in_feed  past             -        -         yes            yes   -           -            -
in_feed  long_ago         -        -         -              -     -           -            -
in_feed  other_circle     -        yes       -              -     yes         -            -
in_feed  assoc            -        yes       yes            yes   yes         yes          -
in_feed  assoc_cancelled  -        yes       yes            yes   yes         yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(FEED))
def test_calendar_feed_rule(client, world, role, action, state, expected):
    user = world.user(role)
    if role not in world.feed_tokens:
        assert not policies.calendar_feed.can_use(user) and not expected
        return
    response = client.get(reverse("circles:calendar_feed", kwargs={"token": world.feed_tokens[role]}))
    if not policies.calendar_feed.can_use(user):
        assert response.status_code == 404 and not expected
        return
    assert response.status_code == 200
    assert (f"UID:{meeting_uid(world.meeting(state))}" in response.content.decode()) is expected


FEED_TOKEN_ACTIONS = {
    "revoke": policies.calendar_feed.can_revoke,
    "view": policies.calendar_feed.can_view,
    "in_visible": lambda user, token: policies.calendar_feed.visible(user).filter(pk=token.pk).exists(),
}

# A member sees and renews their own address only; the secretariat revokes one that has leaked
# (it sees none but its own). `own` is the role's own token (a visitor has none); `a_member`
# another member's; a departed member's own address is dead to them.
FEED_TOKENS = """
action      state     visitor  outsider  circle_member  lead  other_lead  secretariat  departed
revoke      own       -        yes       yes            yes   yes         yes          -
revoke      a_member  -        -         -              -     -           yes          -
view        own       -        yes       yes            yes   yes         yes          -
view        a_member  -        -         -              -     -           -            -
in_visible  own       -        yes       yes            yes   yes         yes          -
in_visible  a_member  -        -         -              -     -           -            -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(FEED_TOKENS))
def test_calendar_token_rule(world, role, action, state, expected):
    user = world.user(role)
    key = role if state == "own" else state
    if key not in world.feed_tokens:
        # A visitor has no address, and sees none of anyone's.
        assert not expected
        assert not policies.calendar_feed.visible(user).exists()
        return
    token = CalendarToken.objects.get(token=world.feed_tokens[key])
    assert FEED_TOKEN_ACTIONS[action](user, token) is expected
