"""Who may do what in members/: see a member, invite one, manage an account.

The portal-wide role checks (`is_member`, `is_secretariat`) live here too: every app's policies
build on them. Three policies, module-level instances as in every app:

- `members` (MemberPolicy, on User): who sees which members, on a profile page, in the
  directory and in search;
- `invitations` (InvitationPolicy): who invites, overrides the statutes, resends and revokes;
- `accounts` (AccountPolicy, on User as an account): whose account the secretariat manages in
  the admin (e-mail addresses, two-factor, password, sessions, flags), changes, deactivates, and
  who hands out privileges.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from komdir.lib.policies import EVERYTHING, NOTHING, Conditions, Policy
from members.models import Invitation, User

AnyUser = User | AnonymousUser


def is_member(user: AnyUser) -> bool:
    """An active, logged-in user: a member or the secretariat."""
    return bool(user.is_authenticated and user.is_active)


def is_secretariat(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def is_protected_account(target: User) -> bool:
    """Accounts only a superuser manages: staff (the secretariat, whose rights open the admin)
    and superusers, staff or not."""
    return bool(target.is_staff or target.is_superuser)


# A member's account: not the secretariat's staff accounts, not administrators'. Only these
# have a profile page and are listed; the others answer 404 as if they did not exist.
MEMBER_ACCOUNT = {"is_staff": False, "is_superuser": False}
CURRENT_MEMBER = {**MEMBER_ACCOUNT, "is_active": True}


class MemberPolicy(Policy):
    """Members see the members who are active; the secretariat also those who have left (their
    profile page stays open to it). Nobody sees a staff or administrator account as a member.

    `listed()` is what the directory and search list: the current members among those, for
    every viewer, so a departed member is listed nowhere, not even to the secretariat.
    """

    model = User
    ACTIONS = ("view", "list", "edit_profile")

    def conditions(self, user: AnyUser) -> Conditions:
        if not is_member(user):
            return NOTHING
        return (MEMBER_ACCOUNT,) if is_secretariat(user) else (CURRENT_MEMBER,)

    def listed(self, user: AnyUser, qs=None):
        return self.visible(user, qs).filter(**CURRENT_MEMBER)

    def actions_without_object(self):
        return ("list",)

    def can_list(self, user: AnyUser) -> bool:
        """The directory page itself."""
        return is_member(user)

    def can_edit_profile(self, user: AnyUser, member: User) -> bool:
        # One's own name and contact details only; the rest is the secretariat's, in the admin.
        return is_member(user) and user.pk == member.pk


class InvitationPolicy(Policy):
    """Only the secretariat, with the permission to add invitations, invites; and only it sees
    invitations (in the admin). The one who is invited sees theirs through the link's token."""

    model = Invitation
    ACTIONS = ("view", "invite", "override_statutes", "resend", "revoke")

    def conditions(self, user: AnyUser) -> Conditions:
        return EVERYTHING if self.can_invite(user) else NOTHING

    def actions_without_object(self):
        return ("invite", "override_statutes")

    def can_invite(self, user: AnyUser) -> bool:
        return is_secretariat(user) and user.has_perm("members.add_invitation")

    def can_override_statutes(self, user: AnyUser) -> bool:
        """Invite beyond §3's seats per municipality, when the board has decided an exception."""
        return is_secretariat(user) and user.has_perm("members.add_invitation")

    def can_resend(self, user: AnyUser, invitation: Invitation) -> bool:
        # An expired invitation may be sent again with a new link; a used or revoked one not.
        return self.can_invite(user) and invitation.accepted_at is None and invitation.revoked_at is None

    def can_revoke(self, user: AnyUser, invitation: Invitation) -> bool:
        return self.can_invite(user) and invitation.accepted_at is None


class AccountPolicy(Policy):
    """Whose account `user` manages in the admin: e-mail addresses, two-factor, password,
    sessions, groups, flags. `visible()` is the accounts one manages (everyone with the admin
    may still read the lists; reading is the admin's Django permissions).

    A superuser manages every account; the rest of the secretariat manages members who are not
    staff, never each other or themselves (their own account they manage in the portal).
    """

    model = User
    ACTIONS = ("view", "create", "manage", "change", "deactivate", "grant_privileges")

    def conditions(self, user: AnyUser) -> Conditions:
        if not is_secretariat(user):
            return NOTHING
        return EVERYTHING if user.is_superuser else (MEMBER_ACCOUNT,)

    def actions_without_object(self):
        return ("create", "grant_privileges")

    def can_create(self, user: AnyUser) -> bool:
        """Add an account in the admin (members join by invitation; this is for the exceptions)."""
        return is_secretariat(user) and user.has_perm("members.add_user")

    def can_manage(self, user: AnyUser, target: User) -> bool:
        return self.can_view(user, target)

    def can_change(self, user: AnyUser, target: User) -> bool:
        return is_secretariat(user) and user.has_perm("members.change_user") and self.can_manage(user, target)

    def can_deactivate(self, user: AnyUser, target: User) -> bool:
        # Nobody locks themselves out by accident.
        return self.can_change(user, target) and user.pk != target.pk

    def can_grant_privileges(self, user: AnyUser) -> bool:
        """Only a superuser may give anyone staff, superuser, groups or permissions."""
        return bool(is_secretariat(user) and user.is_superuser)


members = MemberPolicy()
invitations = InvitationPolicy()
accounts = AccountPolicy()
