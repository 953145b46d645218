"""Accounts as the secretariat adds and changes them in the admin: the account's own fields, its
privileges, and the member's profile (municipality and level included, which members cannot
change themselves)."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction

from members import policies
from members.models import Municipality, Profile, User
from members.services.members import member_deactivate, member_reactivate

logger = logging.getLogger("komdir.members")

PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")
# The account's own columns the admin's forms may change (relations go through account_privileges_set).
ACCOUNT_FIELDS = ("email", "first_name", "last_name", "password", "is_active", "is_staff", "is_superuser")


@transaction.atomic
def account_save(*, actor: User, account: User, changed: Collection[str]) -> User:
    """Save an account the admin's form added or changed: `account` carries the form's values,
    `changed` names the fields it changed.

    Only a superuser hands out privileges (staff, superuser, groups, permissions). Unticking
    "aktiv" is a deactivation (every session ends now, the departure is recorded), ticking it
    again a reactivation: the same services as the admin's actions. After a deactivation the
    returned account carries `sessions_ended`.
    """
    adding = account.pk is None
    stored = None if adding else User.objects.select_for_update().get(pk=account.pk)
    allowed = policies.accounts.can_create(actor) if adding else policies.accounts.can_change(actor, stored)
    if not allowed:
        raise PermissionDenied
    if not policies.accounts.can_grant_privileges(actor):
        expected = (False, False) if adding else (stored.is_staff, stored.is_superuser)
        if (account.is_staff, account.is_superuser) != expected:
            raise PermissionDenied
        if any(name in changed for name in PRIVILEGE_FIELDS):
            raise PermissionDenied
    account.full_clean(exclude=["password"])
    if adding:
        account.save()
        _primary_address_follows(account)
        logger.info("account added user=%s by user=%s", account.pk, actor.pk)
        return account
    fields = [name for name in ACCOUNT_FIELDS if name in changed]
    if fields:
        account.save(update_fields=fields)
    if "email" in fields:
        _primary_address_follows(account)
    if stored.is_active != account.is_active:
        service = member_reactivate if account.is_active else member_deactivate
        done = service(member=account, actor=actor)
        account.departed_at = done.departed_at
        account.sessions_ended = getattr(done, "sessions_ended", 0)
    logger.info("account changed user=%s fields=%s by user=%s", account.pk, ",".join(fields), actor.pk)
    return account


def _primary_address_follows(account: User) -> None:
    """allauth logs in with and mails to the primary EmailAddress: it becomes the login address
    the secretariat set (verified: the secretariat vouches for it, as an invitation does)."""
    addresses = EmailAddress.objects.select_for_update().filter(user=account)
    address = addresses.filter(email__iexact=account.email).first() or addresses.filter(primary=True).first()
    if address is None:
        EmailAddress.objects.create(user=account, email=account.email, verified=True, primary=True)
        return
    addresses.exclude(pk=address.pk).filter(primary=True).update(primary=False)
    address.email, address.verified, address.primary = account.email, True, True
    address.save(update_fields=["email", "verified", "primary"])


@transaction.atomic
def account_privileges_set(
    *,
    actor: User,
    account: User,
    groups: Iterable[Group] | None = None,
    user_permissions: Iterable[Permission] | None = None,
) -> User:
    """Set an account's groups and permissions (None leaves one as it is): a superuser's task."""
    if not policies.accounts.can_grant_privileges(actor):
        raise PermissionDenied
    if groups is not None:
        account.groups.set(groups)
    if user_permissions is not None:
        account.user_permissions.set(user_permissions)
    logger.info("privileges set user=%s by user=%s", account.pk, actor.pk)
    return account


@transaction.atomic
def profile_set(
    *,
    actor: User,
    member: User,
    title: str = "",
    level: int | None = None,
    municipality: Municipality | None = None,
    phone: str = "",
    bio: str = "",
) -> Profile:
    """The secretariat sets a member's profile, municipality and level included."""
    if not policies.accounts.can_change(actor, member):
        raise PermissionDenied
    profile, _created = Profile.objects.select_for_update().get_or_create(user=member)
    profile.title = title
    profile.level = level
    profile.municipality = municipality
    profile.phone = phone
    profile.bio = bio
    profile.full_clean()
    profile.save(update_fields=["title", "level", "municipality", "phone", "bio"])
    return profile
