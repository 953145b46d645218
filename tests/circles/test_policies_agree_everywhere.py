"""Every policy, every role: the rows a list shows (`visible`) are exactly the rows whose own page
opens (`can_view`), on the world that holds every visibility case of circles (tests/focus/ has focus').

The engine computes both from one set of conditions (tests/komdir/test_policies_lib.py); this
checks it for each policy as it is written, including the people and the calendar addresses in
those worlds.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from circles import policies as circle_policies
from members import policies as member_policies
from tests.circles import worlds as circle_worlds
from tests.policy_table import shared_data

pytestmark = pytest.mark.django_db

CIRCLE_ROLES = ["visitor", "outsider", "circle_member", "lead", "other_lead", "secretariat", "departed"]


def _agree(policy, user) -> None:
    listed = set(policy.visible(user).values_list("pk", flat=True))
    opened = {obj.pk for obj in policy.model._default_manager.all() if policy.can_view(user, obj)}
    assert listed == opened, type(policy).__name__


@pytest.fixture(scope="module")
def circle_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), shared_data(django_db_blocker):
        yield circle_worlds.build_world()


@pytest.mark.parametrize("role", CIRCLE_ROLES)
@pytest.mark.parametrize(
    "policy",
    [
        circle_policies.circles,
        circle_policies.meetings,
        circle_policies.notes,
        circle_policies.attachments,
        circle_policies.calendar_feed,
        member_policies.members,
    ],
    ids=lambda p: type(p).__name__,
)
def test_lists_and_pages_agree_in_circles(circle_world, policy, role):
    _agree(policy, circle_world.user(role))
