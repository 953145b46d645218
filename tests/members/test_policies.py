"""The policy matrix for members: the directory and profiles, invitations and account management.

Roles: a visitor; a member; `departed`, a member who has left (inactive); `staff_only`, staff
without the group "Sekretariat" (no permissions); the secretariat (staff in the group, not
superuser); `superuser` (staff and superuser); `root`, a superuser who is not staff (every
permission, but not the secretariat); `delegate`, a member given the invitation and user
permissions without being staff. Targets are other accounts, or the acting user (`self`).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.utils import timezone

from members import policies
from members.models import Invitation, User
from members.services import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_revoke,
    member_deactivate,
)
from tests.factories import UserFactory, make_member, municipality
from tests.policy_table import make_secretariat, matrix, shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def users(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker):
        secretariat = make_secretariat()
        delegate = make_member(municipality_name="Vejle", email="delegeret@kommune.test")
        delegate.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="members", codename__in=["add_invitation", "change_user"]
            )
        )
        departed = make_member(municipality_name="Odense", email="tidligere@kommune.test")
        a_departed = make_member(municipality_name="Horsens", email="en.tidligere@kommune.test")
        for user in (departed, a_departed):
            member_deactivate(member=user, actor=secretariat)
        yield {
            **invitations_in_every_state(secretariat),
            "visitor": AnonymousUser(),
            "member": make_member(municipality_name="Aalborg", email="medlem@kommune.test"),
            "departed": departed,
            "staff_only": UserFactory(email="ansat@komdir.test", is_staff=True),
            "secretariat": secretariat,
            "superuser": UserFactory(email="chef@komdir.test", is_staff=True, is_superuser=True),
            "root": make_member(municipality_name="Køge", email="root@komdir.test", is_superuser=True),
            "delegate": delegate,
            # targets
            "a_member": make_member(municipality_name="Aarhus", email="et.medlem@kommune.test"),
            "a_departed": a_departed,
            "a_colleague": make_secretariat(email="kollega@komdir.test"),
            "a_superuser": UserFactory(email="anden.chef@komdir.test", is_staff=True, is_superuser=True),
        }


def invitations_in_every_state(secretariat):
    """`pending`, `expired` (its link ran out), `accepted` (a member now), `revoked`; one
    municipality each, so §3's seats refuse none."""

    def invite(name, town):
        return invitation_create(
            created_by=secretariat,
            email=f"{name}@kommune.test",
            first_name=name.title(),
            last_name="Direktør",
            level=2,
            municipality=municipality(town),
        )

    expired = invite("expired", "Viborg")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    accepted = invite("accepted", "Herning")
    invitation_accept(
        invitation=accepted, first_name="Ny", last_name="Direktør", password="en-lang-adgangskode-1"
    )
    return {
        "pending": invite("pending", "Randers"),
        "expired": expired,
        "accepted": accepted,
        "revoked": invitation_revoke(invitation=invite("revoked", "Skive"), actor=secretariat),
    }


def fresh(users, name):
    """A fresh copy: Django caches permissions on the user object."""
    user = users[name]
    return User.objects.get(pk=user.pk) if user.pk else user


GLOBAL_ACTIONS = {
    "invite": policies.invitations.can_invite,
    "override_statutes": policies.invitations.can_override_statutes,
    "view_directory": policies.members.can_list,
    "grant_privileges": policies.accounts.can_grant_privileges,
    "create_account": policies.accounts.can_create,
    # The same rules through `can()`, which must know them as rules without an object.
    "can_invite": lambda user: policies.invitations.can(user, "invite"),
    "can_override": lambda user: policies.invitations.can(user, "override_statutes"),
    "can_list": lambda user: policies.members.can(user, "list"),
    "can_create_account": lambda user: policies.accounts.can(user, "create"),
    "can_grant": lambda user: policies.accounts.can(user, "grant_privileges"),
}

GLOBAL = """
action              state  visitor  member  departed  staff_only  secretariat  superuser  root  delegate
invite              any    -        -       -         -           yes          yes        -     -
override_statutes   any    -        -       -         -           yes          yes        -     -
view_directory      any    -        yes     -         yes         yes          yes        yes   yes
grant_privileges    any    -        -       -         -           -            yes        -     -
create_account      any    -        -       -         -           yes          yes        -     -
can_invite          any    -        -       -         -           yes          yes        -     -
can_override        any    -        -       -         -           yes          yes        -     -
can_list            any    -        yes     -         yes         yes          yes        yes   yes
can_create_account  any    -        -       -         -           yes          yes        -     -
can_grant           any    -        -       -         -           -            yes        -     -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(GLOBAL))
def test_members_rule_without_object(users, role, action, state, expected):
    assert GLOBAL_ACTIONS[action](fresh(users, role)) is expected


# The service asks the same rule: whoever may not invite is refused, and nothing is written.
INVITATION_SERVICE = """
action  state  visitor  member  departed  staff_only  secretariat  superuser  root  delegate
send    new    -        -       -         -           yes          yes        -     -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(INVITATION_SERVICE))
def test_invitation_service_follows_the_rule(users, role, action, state, expected):
    user = fresh(users, role)
    if role == "visitor":
        assert not expected
        return

    def send():
        return invitation_create(
            created_by=user,
            email="ny@kommune.test",
            first_name="Ny",
            last_name="Direktør",
            level=2,
            municipality=municipality("Silkeborg"),
        )

    if expected:
        assert send().created_by == user
    else:
        with pytest.raises(InvitationError) as refused:
            send()
        assert refused.value.code == "forbidden"
        assert not Invitation.objects.filter(email="ny@kommune.test").exists()


TARGET_ACTIONS = {
    "view_member": policies.members.can_view,
    "edit_profile": policies.members.can_edit_profile,
    "manage_account": policies.accounts.can_manage,
    "change_user": policies.accounts.can_change,
    "deactivate": policies.accounts.can_deactivate,
}

# The secretariat manages members, never staff or superusers (nor itself); a superuser all.
TARGETS = """
action          state        visitor  member  departed  staff_only  secretariat  superuser  root  delegate
view_member     self         -        yes     -         -           -            -          -     yes
view_member     a_member     -        yes     -         yes         yes          yes        yes   yes
view_member     a_departed   -        -       -         yes         yes          yes        -     -
view_member     a_colleague  -        -       -         -           -            -          -     -
edit_profile    self         -        yes     -         yes         yes          yes        yes   yes
edit_profile    a_member     -        -       -         -           -            -          -     -
edit_profile    a_colleague  -        -       -         -           -            -          -     -
manage_account  self         -        -       -         -           -            yes        -     -
manage_account  a_member     -        -       -         yes         yes          yes        -     -
manage_account  a_departed   -        -       -         yes         yes          yes        -     -
manage_account  a_colleague  -        -       -         -           -            yes        -     -
manage_account  a_superuser  -        -       -         -           -            yes        -     -
change_user     self         -        -       -         -           -            yes        -     -
change_user     a_member     -        -       -         -           yes          yes        -     -
change_user     a_departed   -        -       -         -           yes          yes        -     -
change_user     a_colleague  -        -       -         -           -            yes        -     -
change_user     a_superuser  -        -       -         -           -            yes        -     -
deactivate      self         -        -       -         -           -            -          -     -
deactivate      a_member     -        -       -         -           yes          yes        -     -
deactivate      a_colleague  -        -       -         -           -            yes        -     -
deactivate      a_superuser  -        -       -         -           -            yes        -     -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(TARGETS))
def test_member_rule(users, role, action, state, expected):
    user = fresh(users, role)
    target = user if state == "self" else fresh(users, state)
    assert TARGET_ACTIONS[action](user, target) is expected


INVITATION_ACTIONS = {
    "view": policies.invitations.can_view,
    "in_visible": lambda user, invitation: (
        policies.invitations.visible(user).filter(pk=invitation.pk).exists()
    ),
    "resend": policies.invitations.can_resend,
    "revoke": policies.invitations.can_revoke,
}

# Only who may invite sees invitations; an expired one is sent again with a new link, a used or
# revoked one not; revoking stays open until it is accepted (revoking twice changes nothing).
INVITATIONS = """
action      state     visitor  member  departed  staff_only  secretariat  superuser  root  delegate
view        pending   -        -       -         -           yes          yes        -     -
view        accepted  -        -       -         -           yes          yes        -     -
in_visible  pending   -        -       -         -           yes          yes        -     -
in_visible  expired   -        -       -         -           yes          yes        -     -
in_visible  accepted  -        -       -         -           yes          yes        -     -
in_visible  revoked   -        -       -         -           yes          yes        -     -
resend      pending   -        -       -         -           yes          yes        -     -
resend      expired   -        -       -         -           yes          yes        -     -
resend      accepted  -        -       -         -           -            -          -     -
resend      revoked   -        -       -         -           -            -          -     -
revoke      pending   -        -       -         -           yes          yes        -     -
revoke      expired   -        -       -         -           yes          yes        -     -
revoke      accepted  -        -       -         -           -            -          -     -
revoke      revoked   -        -       -         -           yes          yes        -     -
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(INVITATIONS))
def test_invitation_rule(users, role, action, state, expected):
    invitation = Invitation.objects.get(pk=users[state].pk)
    assert INVITATION_ACTIONS[action](fresh(users, role), invitation) is expected


LISTED = """
action  state        visitor  member  departed  staff_only  secretariat  superuser  root  delegate
listed  self         -        yes     -         -           -            -          -     yes
listed  a_member     -        yes     -         yes         yes          yes        yes   yes
listed  a_departed   -        -       -         -           -            -          -     -
listed  a_colleague  -        -       -         -           -            -          -     -
listed  a_superuser  -        -       -         -           -            -          -     -
"""


# The directory and search list current members only: a departed member the secretariat still
# sees (view_member above) is listed to nobody.
@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(LISTED))
def test_member_listing_rule(users, role, action, state, expected):
    user = fresh(users, role)
    target = user if state == "self" else fresh(users, state)
    if not target.pk:
        assert not expected and not policies.members.listed(user).exists()
        return
    assert policies.members.listed(user).filter(pk=target.pk).exists() is expected


# Accounts only a superuser manages: staff (with the group or not) and superusers (staff or not).
PROTECTED = """
action     state        anyone
protected  a_member     -
protected  a_departed   -
protected  delegate     -
protected  staff_only   yes
protected  a_colleague  yes
protected  a_superuser  yes
protected  root         yes
"""


@pytest.mark.parametrize(("role", "action", "state", "expected"), matrix(PROTECTED))
def test_protected_account_rule(users, role, action, state, expected):
    assert policies.is_protected_account(fresh(users, state)) is expected
