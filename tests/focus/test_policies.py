"""The policy matrix for cases and reports of cases: every role × action × state (focus.permissions).

Roles: a visitor; a member; the author of every case here; a circle lead; the secretariat (staff,
not superuser); a member who has left (inactive). The states are those of tests/focus/worlds.py.
"""

import pytest

from focus import permissions
from tests.focus.worlds import build_world
from tests.policy_table import matrix, shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker):
        yield build_world()


CASE_ACTIONS = {
    "view": permissions.can_view_case,
    "edit": permissions.can_edit_case,
    "comment": permissions.can_comment_on_case,
    "report": permissions.can_report_case,
}

# "hidden" is a published case the secretariat hid; "hidden_draft" a draft it hid.
CASES = """
action   state         visitor  member  author  lead  secretariat  departed
view     public        yes      yes     yes     yes   yes          yes
view     members       -        yes     yes     yes   yes          -
view     draft         -        -       yes     -     -            -
view     hidden        -        -       -       -     yes          -
view     hidden_draft  -        -       -       -     -            -
edit     public        -        -       yes     -     -            -
edit     members       -        -       yes     -     -            -
edit     draft         -        -       yes     -     -            -
edit     hidden        -        -       -       -     -            -
edit     hidden_draft  -        -       -       -     -            -
comment  public        -        yes     yes     yes   yes          -
comment  members       -        yes     yes     yes   yes          -
comment  draft         -        -       -       -     -            -
comment  hidden        -        -       -       -     -            -
comment  hidden_draft  -        -       -       -     -            -
report   public        -        yes     yes     yes   yes          -
report   members       -        yes     yes     yes   yes          -
report   draft         -        -       -       -     -            -
report   hidden        -        -       -       -     yes          -
report   hidden_draft  -        -       -       -     -            -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(CASES))
def test_case_rule(world, role, action, state, expected):
    assert CASE_ACTIONS[action](world.user(role), world.case(state)) is expected


# Rules without an object: writing a case or a comment, reading discussions, moderating.
GLOBAL_ACTIONS = {
    "create_case": permissions.can_create_case,
    "comment": permissions.can_comment,
    "read_comments": permissions.can_view_comments,
    "moderate": permissions.can_moderate,
}

GLOBAL = """
action         state  visitor  member  author  lead  secretariat  departed
create_case    any    -        yes     yes     yes   yes          -
comment        any    -        yes     yes     yes   yes          -
read_comments  any    -        yes     yes     yes   yes          -
moderate       any    -        -       -       -     yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(GLOBAL))
def test_contribution_rule_without_object(world, role, action, state, expected):
    assert GLOBAL_ACTIONS[action](world.user(role)) is expected
