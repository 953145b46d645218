"""Who may do what in members/. The portal-wide role checks live here too."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from members.models import User


def is_member(user: User | AnonymousUser) -> bool:
    """An active, logged-in user: a member or the secretariat."""
    return bool(user.is_authenticated and user.is_active)


def is_secretariat(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can_invite_members(user: User | AnonymousUser) -> bool:
    return is_secretariat(user) and user.has_perm("members.add_invitation")


def can_override_statutes(user: User | AnonymousUser) -> bool:
    return is_secretariat(user) and user.has_perm("members.add_invitation")


def can_view_directory(user: User | AnonymousUser) -> bool:
    return is_member(user)


def can_view_member(user: User | AnonymousUser, member: User) -> bool:
    """Members see active members; the secretariat also sees those who have left."""
    if not is_member(user):
        return False
    return member.is_active or is_secretariat(user)


def can_edit_profile(user: User | AnonymousUser, member: User) -> bool:
    return is_member(user) and user.pk == member.pk


def is_protected_account(target: User) -> bool:
    """Accounts only a superuser manages: staff (the secretariat, whose rights open the admin)
    and superusers, staff or not."""
    return bool(target.is_staff or target.is_superuser)


def can_manage_account(user: User | AnonymousUser, target: User) -> bool:
    """Whether `user` may change anything of `target`'s account in the admin: e-mail
    addresses, two-factor, password, sessions, groups, flags.

    A superuser manages every account; the rest of the secretariat manages members who are not
    staff, never each other or themselves (their own account they manage in the portal).
    """
    if not is_secretariat(user):
        return False
    return user.is_superuser or not is_protected_account(target)


def can_change_user(user: User | AnonymousUser, target: User) -> bool:
    if not (is_secretariat(user) and user.has_perm("members.change_user")):
        return False
    return can_manage_account(user, target)


def can_deactivate_member(user: User | AnonymousUser, member: User) -> bool:
    # Nobody locks themselves out by accident.
    return can_change_user(user, member) and user.pk != member.pk


def can_grant_privileges(user: User | AnonymousUser) -> bool:
    """Only a superuser may give anyone staff, superuser, groups or permissions."""
    return bool(is_secretariat(user) and user.is_superuser)
