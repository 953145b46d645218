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
