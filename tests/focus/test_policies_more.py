"""More of the focus policy matrix: publishing and moderating a case, reports, and the querysets.

The same roles and world as test_policies.py (tests/focus/worlds.py). Reports here: `by_member`
(member reports the public case), `by_author` (author reports a comment), `resolved` (member's
report of the members-only case, resolved by the secretariat).
"""

import pytest

from focus import policies, services
from focus.models import Case, Report
from tests.focus.worlds import build_world
from tests.policy_table import matrix, shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker):
        world = build_world()
        member, author = world.users["member"], world.users["author"]
        world.reports = {
            "by_member": services.report_create(
                reporter=member, reason="Forkert", case=world.cases["public"]
            ),
            "by_author": services.report_create(
                reporter=author, reason="Upassende", comment=world.comments["public_case"]
            ),
            "resolved": services.report_resolve(
                report=services.report_create(reporter=member, reason="Gammel", case=world.cases["members"]),
                actor=world.users["secretariat"],
            ),
        }
        yield world


CASE_ACTIONS = {
    "publish": policies.cases.can_publish,
    "moderate": policies.cases.can_moderate,
    # policy_for gives a case the case policy: a hidden case is still reported by the secretariat,
    # and a case has no comment's `is_deleted`, so the comment policy could not answer at all.
    "report_via_policy_for": lambda user, case: policies.policy_for(case).can_report(user, case),
}

# Publishing is editing's rule: the author's own, not hidden. Moderating is the secretariat's.
CASES = """
action                 state         visitor  member  author  lead  secretariat  departed
publish                public        -        -       yes     -     -            -
publish                members       -        -       yes     -     -            -
publish                draft         -        -       yes     -     -            -
publish                hidden        -        -       -       -     -            -
publish                hidden_draft  -        -       -       -     -            -
moderate               public        -        -       -       -     yes          -
moderate               draft         -        -       -       -     yes          -
moderate               hidden        -        -       -       -     yes          -
report_via_policy_for  public        -        yes     yes     yes   yes          -
report_via_policy_for  draft         -        -       -       -     -            -
report_via_policy_for  hidden        -        -       -       -     yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(CASES))
def test_case_rule(world, role, action, state, expected):
    assert CASE_ACTIONS[action](world.user(role), world.case(state)) is expected


COMMENT_ACTIONS = {
    # A comment gets the comment policy: a deleted comment is not reported (a case has no such state).
    "report_via_policy_for": lambda user, comment: policies.policy_for(comment).can_report(user, comment),
    "moderate": policies.comments.can_moderate,
}

COMMENTS = """
action                 state        visitor  member  author  lead  secretariat  departed
report_via_policy_for  area         -        yes     yes     yes   yes          -
report_via_policy_for  deleted      -        -       -       -     -            -
report_via_policy_for  hidden       -        -       -       -     yes          -
moderate               area         -        -       -       -     yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(COMMENTS))
def test_comment_rule(world, role, action, state, expected):
    assert COMMENT_ACTIONS[action](world.user(role), world.comment(state)) is expected


def report(world, state):
    return Report.objects.get(pk=world.reports[state].pk)


REPORT_ACTIONS = {
    "view": policies.reports.can_view,
    "in_visible_to": lambda user, r: Report.objects.visible_to(user).filter(pk=r.pk).exists(),
    "in_open": lambda user, r: Report.objects.visible_to(user).open().filter(pk=r.pk).exists(),
    "resolve": policies.reports.can_resolve,
}

# Reports are the secretariat's work list; a member reads their own (their data), the departed none.
REPORTS = """
action         state      visitor  member  author  lead  secretariat  departed
view           by_member  -        yes     -       -     yes          -
view           by_author  -        -       yes     -     yes          -
view           resolved   -        yes     -       -     yes          -
in_visible_to  by_member  -        yes     -       -     yes          -
in_visible_to  by_author  -        -       yes     -     yes          -
in_visible_to  resolved   -        yes     -       -     yes          -
in_open        by_member  -        yes     -       -     yes          -
in_open        by_author  -        -       yes     -     yes          -
in_open        resolved   -        -       -       -     -            -
resolve        by_member  -        -       -       -     yes          -
resolve        resolved   -        -       -       -     yes          -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(REPORTS))
def test_report_rule(world, role, action, state, expected):
    assert REPORT_ACTIONS[action](world.user(role), report(world, state)) is expected


GLOBAL = """
action         state  visitor  member  author  lead  secretariat  departed
create_report  any    -        yes     yes     yes   yes          -
resolve        any    -        -       -       -     yes          -
"""

GLOBAL_ACTIONS = {"create_report": policies.reports.can_create, "resolve": policies.reports.can_resolve}


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(GLOBAL))
def test_report_rule_without_object(world, role, action, state, expected):
    assert GLOBAL_ACTIONS[action](world.user(role)) is expected


# The queryset steps the policy is written with: published() drops drafts, not_hidden() what
# the secretariat hid (whatever the status).
QUERYSETS = """
action      state         anyone
published   public        yes
published   members       yes
published   draft         -
published   hidden        yes
published   hidden_draft  -
not_hidden  public        yes
not_hidden  draft         yes
not_hidden  hidden        -
not_hidden  hidden_draft  -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(QUERYSETS))
def test_case_queryset_step(world, role, action, state, expected):
    qs = getattr(Case.objects, action)()
    assert qs.filter(pk=world.cases[state].pk).exists() is expected
