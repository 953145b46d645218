"""The policy library (komdir.lib.policies): one set of conditions, the same answer in SQL and on
the object, for every lookup it understands."""

from __future__ import annotations

import pytest

from focus import services
from focus.models import Case, CaseStatus, Comment, FocusArea
from komdir.lib.policies import EVERYTHING, NOTHING, Policy, conditions_match, conditions_q
from tests.focus.conftest import make_case


@pytest.fixture
def area(db):
    return FocusArea.objects.get(number=1, period__slug="2023-2025")


CONDITIONS = [
    ({"status": CaseStatus.PUBLISHED},),
    ({"status": CaseStatus.DRAFT},),
    ({"hidden_at__isnull": True},),
    ({"hidden_at__isnull": False},),
    ({"hidden_at": None},),
    ({"status__exact": CaseStatus.PUBLISHED},),
    ({"status__in": [CaseStatus.DRAFT]},),
    ({"is_public": True, "hidden_at__isnull": True}, {"status": CaseStatus.DRAFT}),
    ({"focus_area__number": 1},),
    ({"focus_area__period__status": "current"},),
    (),
]


@pytest.fixture
def cases(member, secretariat, area):
    published = make_case(member, area, title="Offentlig", public=True)
    draft = make_case(member, area, title="Kladde", publish=False)
    hidden = services.content_hide(
        obj=make_case(member, area, title="Skjult"), actor=secretariat, reason="Test"
    )
    return [published, draft, hidden]


@pytest.mark.django_db
@pytest.mark.parametrize("conditions", CONDITIONS)
def test_sql_and_object_agree_on_every_lookup(cases, conditions):
    in_sql = set(Case.objects.filter(conditions_q(conditions)).values_list("pk", flat=True))
    on_objects = {case.pk for case in Case.objects.all() if conditions_match(conditions, case)}
    assert in_sql == on_objects


@pytest.mark.django_db
def test_an_empty_relation_reads_as_null_on_both_sides(member, area, cases):
    comment = services.comment_add(author=member, body="Ingen case", focus_area=area)
    for conditions in [
        ({"case__isnull": True},),
        ({"case__status": CaseStatus.PUBLISHED},),
        ({"parent__hidden_at__isnull": True},),
    ]:
        in_sql = comment.pk in set(
            Comment.objects.filter(conditions_q(conditions)).values_list("pk", flat=True)
        )
        assert in_sql is conditions_match(conditions, comment)


@pytest.mark.django_db
def test_a_relation_compared_with_a_primary_key_reads_the_related_row_as_its_key(cases, area):
    conditions = ({"focus_area": area.pk},)
    in_sql = set(Case.objects.filter(conditions_q(conditions)).values_list("pk", flat=True))
    on_objects = {case.pk for case in Case.objects.all() if conditions_match(conditions, case)}
    assert in_sql == on_objects and in_sql


class _Cases(Policy):
    model = Case
    ACTIONS = ("view", "create")

    def conditions(self, user):
        return EVERYTHING if user == "all" else NOTHING

    def can_create(self, user, where=None):
        """Creating may also be asked of a place (a meeting of a circle)."""
        return user == "all" and where != "closed"


@pytest.mark.django_db
def test_everything_and_nothing(cases):
    policy = _Cases()
    assert policy.visible("all").count() == 3 and policy.visible("none").count() == 0
    assert policy.can("all", "view", cases[0]) and not policy.can("none", "view", cases[0])
    assert policy.can("all", "create") and not policy.can("none", "create")
    assert not policy.can("all", "create", "closed")
    with pytest.raises(ValueError, match="_Cases decides no action 'delete'"):
        policy.can("all", "delete", cases[0])
