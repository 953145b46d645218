"""Every policy, every role: the rows a list shows (`visible`) are exactly the rows whose own page
opens (`can_view`), on the world that holds every visibility case of focus (tests/circles/ has circles').

The engine computes both from one set of conditions (tests/komdir/test_policies_lib.py); this
checks it for each policy as it is written, including the people and the calendar addresses in
those worlds.
"""

from __future__ import annotations

import pytest

from focus import policies as focus_policies
from focus import services
from focus.models import Report
from members import policies as member_policies
from members.models import Invitation, Level, Municipality
from members.services import invitation_create, invitation_revoke
from tests.focus import worlds as focus_worlds
from tests.policy_table import shared_data

pytestmark = pytest.mark.django_db

FOCUS_ROLES = ["visitor", "member", "author", "lead", "secretariat", "departed"]


def _agree(policy, user) -> None:
    listed = set(policy.visible(user).values_list("pk", flat=True))
    opened = {obj.pk for obj in policy.model._default_manager.all() if policy.can_view(user, obj)}
    assert listed == opened, type(policy).__name__


@pytest.fixture(scope="module")
def focus_world(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker):
        world = focus_worlds.build_world()
        member, secretariat = world.users["member"], world.users["secretariat"]
        # Reports and invitations in more than one state, so each policy has rows to disagree on.
        services.report_create(reporter=member, reason="Se her", case=world.cases["public"])
        resolved = services.report_create(
            reporter=world.users["author"], reason="Og her", case=world.cases["members"]
        )
        services.report_resolve(report=resolved, actor=secretariat, resolution="Set")
        services.report_create(reporter=member, reason="Kommentaren", comment=world.comments["public_case"])
        municipality = Municipality.objects.get(name="Vejle")
        for email in ("ny1@kommune.test", "ny2@kommune.test"):
            invitation = invitation_create(
                created_by=secretariat,
                email=email,
                first_name="Ny",
                last_name="Direktør",
                level=Level.DIRECTOR,
                municipality=municipality,
            )
        invitation_revoke(invitation=invitation, actor=secretariat)
        assert Report.objects.count() == 3 and Invitation.objects.count() == 2
        yield world


@pytest.mark.parametrize("role", FOCUS_ROLES)
@pytest.mark.parametrize(
    "policy",
    [
        focus_policies.areas,
        focus_policies.cases,
        focus_policies.comments,
        focus_policies.reports,
        member_policies.members,
        member_policies.invitations,
        member_policies.accounts,
    ],
    ids=lambda p: type(p).__name__,
)
def test_lists_and_pages_agree_in_focus(focus_world, policy, role):
    _agree(policy, focus_world.user(role))
