"""The policy matrix for circles, meetings, notes and attachments (circles.policies).

Roles: a visitor; `outsider`, a member of Kreds Hovedstaden; `circle_member` of Kreds
Nordjylland; `lead` of Nordjylland; `other_lead` of Hovedstaden; the secretariat (staff, not
superuser, in no circle); `departed`, a former Nordjylland member. Objects live in Nordjylland
unless named `other_*` (Hovedstaden) or `assoc*` (association-wide); see tests/circles/worlds.py.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from circles import policies
from circles.calendar import meeting_uid
from tests.circles.worlds import build_world
from tests.policy_table import matrix, shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), shared_data(django_db_blocker):
        yield build_world()


CIRCLE_ACTIONS = {
    "view": policies.circles.can_view,
    "manage": policies.circles.can_manage,
    "create_meeting": policies.meetings.can_create,
}

CIRCLES = """
action          state  visitor  outsider  circle_member  lead  other_lead  secretariat  departed
view            own    -        yes       yes            yes   yes         yes          -
view            other  -        yes       yes            yes   yes         yes          -
manage          own    -        -         -              yes   -           yes          -
manage          other  -        -         -              -     yes         yes          -
create_meeting  own    -        -         -              yes   -           yes          -
create_meeting  other  -        -         -              -     yes         yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(CIRCLES))
def test_circle_rule(world, role, action, state, expected):
    assert CIRCLE_ACTIONS[action](world.user(role), world.circles[state]) is expected


GLOBAL = """
action               state  visitor  outsider  circle_member  lead  other_lead  secretariat  departed
create_assoc_event   any    -        -         -              -     -           yes          -
use_calendar_feed    any    -        yes       yes            yes   yes         yes          -
"""

GLOBAL_ACTIONS = {
    "create_assoc_event": lambda user: policies.meetings.can_create(user, None),
    "use_calendar_feed": policies.calendar_feed.can_use,
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
}

# Every member reads every meeting (what only a circle may read belongs in a circle-only note).
# A cancelled meeting is closed: nobody edits it.
MEETINGS = """
action      state            visitor  outsider  circle_member  lead  other_lead  secretariat  departed
view        circle           -        yes       yes            yes   yes         yes          -
view        cancelled        -        yes       yes            yes   yes         yes          -
view        other_circle     -        yes       yes            yes   yes         yes          -
view        assoc            -        yes       yes            yes   yes         yes          -
edit        circle           -        -         -              yes   -           yes          -
edit        cancelled        -        -         -              -     -           -            -
edit        other_circle     -        -         -              -     yes         yes          -
edit        assoc            -        -         -              -     -           yes          -
respond     circle           -        -         yes            yes   -           yes          -
respond     cancelled        -        -         -              -     -           -            -
respond     other_circle     -        yes       -              -     yes         yes          -
respond     assoc            -        yes       yes            yes   yes         yes          -
respond     assoc_cancelled  -        -         -              -     -           -            -
respond     past             -        -         yes            yes   -           yes          -
attendance  circle           -        -         -              yes   -           yes          -
attendance  other_circle     -        -         -              -     yes         yes          -
attendance  assoc            -        -         -              -     -           yes          -
attach      circle           -        -         -              yes   -           yes          -
attach      other_circle     -        -         -              -     yes         yes          -
attach      assoc            -        -         -              -     -           yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(MEETINGS))
def test_meeting_rule(world, role, action, state, expected):
    assert MEETING_ACTIONS[action](world.user(role), world.meeting(state)) is expected


NOTE_ACTIONS = {
    "view": policies.notes.can_view,
    "edit": policies.notes.can_edit,
    "attach": lambda user, note: policies.attachments.can_create(user, note=note),
}

# Drafts: only those who may edit them. Circle-only: only the circle (and the secretariat).
NOTES = """
action  state              visitor  outsider  circle_member  lead  other_lead  secretariat  departed
view    circle_only        -        -         yes            yes   -           yes          -
view    members            -        yes       yes            yes   yes         yes          -
view    draft              -        -         -              yes   -           yes          -
view    draft_members      -        -         -              yes   -           yes          -
view    other_circle_only  -        yes       -              -     yes         yes          -
view    other_members      -        yes       yes            yes   yes         yes          -
view    assoc              -        yes       yes            yes   yes         yes          -
view    assoc_draft        -        -         -              -     -           yes          -
edit    circle_only        -        -         -              yes   -           yes          -
edit    members            -        -         -              yes   -           yes          -
edit    draft              -        -         -              yes   -           yes          -
edit    other_circle_only  -        -         -              -     yes         yes          -
edit    assoc              -        -         -              -     -           yes          -
edit    assoc_draft        -        -         -              -     -           yes          -
attach  circle_only        -        -         -              yes   -           yes          -
attach  other_circle_only  -        -         -              -     yes         yes          -
attach  assoc              -        -         -              -     -           yes          -
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
