"""The object check and the queryset agree: for every role, `can_view_case` admits exactly the
cases `Case.objects.visible_to` lists, and likewise for comments.

Pages decide 404 with the check; lists, search, notices, digests and feeds read the queryset. If
the two drift, something reaches a list that its own page refuses (or the reverse).
"""

import pytest

from focus import policies, selectors
from focus.models import Case, CaseStatus, Comment
from tests.focus.worlds import build_world
from tests.policy_table import shared_data

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "author", "lead", "secretariat", "departed"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker):
        yield build_world()


def _names(objects, world_objects) -> set[str]:
    by_pk = {obj.pk: name for name, obj in world_objects.items()}
    return {by_pk.get(obj.pk, f"pk={obj.pk}") for obj in objects}


@pytest.mark.parametrize("role", ROLES)
def test_case_check_and_queryset_admit_the_same_cases(world, role):
    user = world.user(role)
    by_check = [case for case in Case.objects.all() if policies.cases.can_view(user, case)]
    assert _names(Case.objects.visible_to(user), world.cases) == _names(by_check, world.cases)


@pytest.mark.parametrize("role", ROLES)
def test_case_list_shows_the_published_cases_the_check_admits(world, role):
    user = world.user(role)
    by_check = [
        case
        for case in Case.objects.filter(status=CaseStatus.PUBLISHED)
        if policies.cases.can_view(user, case)
    ]
    assert _names(selectors.case_list(viewer=user), world.cases) == _names(by_check, world.cases)


@pytest.mark.parametrize("role", ROLES)
def test_case_page_opens_exactly_when_the_check_admits(world, role):
    user = world.user(role)
    for name, case in world.cases.items():
        opened = selectors.case_get(pk=case.pk, viewer=user, details=False) is not None
        assert opened is policies.cases.can_view(user, world.case(name)), name


@pytest.mark.parametrize("role", ROLES)
def test_comment_check_and_queryset_admit_the_same_comments(world, role):
    user = world.user(role)
    by_check = [
        comment
        for comment in Comment.objects.select_related("case", "parent")
        if policies.comments.can_view(user, comment)
    ]
    assert _names(Comment.objects.visible_to(user), world.comments) == _names(by_check, world.comments)


@pytest.mark.parametrize("role", ROLES)
def test_comment_permalink_finds_exactly_what_the_check_admits(world, role):
    user = world.user(role)
    for name in world.comments:
        comment = world.comment(name)
        found = selectors.comment_get(pk=comment.pk, viewer=user) is not None
        assert found is policies.comments.can_view(user, comment), name
