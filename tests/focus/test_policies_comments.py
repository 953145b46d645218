"""The policy matrix for comments and reports of comments: every role × action × state.

The author wrote every comment here except `public_case` (by `member`). `under_hidden` is the
author's reply under a comment the secretariat hid afterwards; `on_hidden_case` a comment on a
case hidden afterwards; `deleted` one its author deleted (threads keep a placeholder).
"""

import pytest

from focus import policies
from tests.focus.worlds import build_world
from tests.policy_table import matrix, shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker):
        yield build_world()


COMMENT_ACTIONS = {
    "view": policies.comments.can_view,
    "reply": policies.comments.can_reply,
    "edit": policies.comments.can_edit,
    "delete": policies.comments.can_delete,
    "report": policies.comments.can_report,
}

COMMENTS = """
action  state           visitor  member  author  lead  secretariat  departed
view    area            -        yes     yes     yes   yes          -
view    question        -        yes     yes     yes   yes          -
view    case            -        yes     yes     yes   yes          -
view    public_case     -        yes     yes     yes   yes          -
view    reply           -        yes     yes     yes   yes          -
view    hidden          -        -       -       -     yes          -
view    under_hidden    -        -       -       -     yes          -
view    deleted         -        yes     yes     yes   yes          -
view    on_hidden_case  -        -       -       -     yes          -
reply   area            -        yes     yes     yes   yes          -
reply   question        -        yes     yes     yes   yes          -
reply   case            -        yes     yes     yes   yes          -
reply   public_case     -        yes     yes     yes   yes          -
reply   reply           -        -       -       -     -            -
reply   hidden          -        -       -       -     -            -
reply   under_hidden    -        -       -       -     -            -
reply   deleted         -        -       -       -     -            -
reply   on_hidden_case  -        -       -       -     -            -
edit    area            -        -       yes     -     -            -
edit    question        -        -       yes     -     -            -
edit    case            -        -       yes     -     -            -
edit    public_case     -        yes     -       -     -            -
edit    reply           -        -       yes     -     -            -
edit    hidden          -        -       -       -     -            -
edit    under_hidden    -        -       -       -     -            -
edit    deleted         -        -       -       -     -            -
edit    on_hidden_case  -        -       -       -     -            -
delete  area            -        -       yes     -     -            -
delete  public_case     -        yes     -       -     -            -
delete  reply           -        -       yes     -     -            -
delete  hidden          -        -       -       -     -            -
delete  under_hidden    -        -       -       -     -            -
delete  deleted         -        -       -       -     -            -
delete  on_hidden_case  -        -       -       -     -            -
report  area            -        yes     yes     yes   yes          -
report  case            -        yes     yes     yes   yes          -
report  reply           -        yes     yes     yes   yes          -
report  hidden          -        -       -       -     yes          -
report  under_hidden    -        -       -       -     yes          -
report  deleted         -        -       -       -     -            -
report  on_hidden_case  -        -       -       -     yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(COMMENTS))
def test_comment_rule(world, role, action, state, expected):
    assert COMMENT_ACTIONS[action](world.user(role), world.comment(state)) is expected
