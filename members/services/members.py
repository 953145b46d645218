"""Members' accounts: creating one, deactivating and reactivating, the password, the profile."""

from __future__ import annotations

import logging

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from komdir.lib import events
from members import policies
from members.models import Municipality, Profile, User
from members.services.sessions import sessions_end_for_user

logger = logging.getLogger("komdir.members")


@transaction.atomic
def member_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    municipality: Municipality | None = None,
    level: int | None = None,
    title: str = "",
    is_staff: bool = False,
) -> User:
    """Create a user with a verified e-mail and a profile (demo data, tests, the shell)."""
    user = User.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name, is_staff=is_staff
    )
    profile = Profile(user=user, title=title, level=level, municipality=municipality)
    profile.full_clean()
    profile.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    # Circles put the new member in their region's circle, inside this transaction.
    events.emit_in_transaction("members.member_joined", user=user)
    return user


@transaction.atomic
def member_deactivate(*, member: User, actor: User) -> User:
    """A member who has left: no more log-in, every session ends now; what they wrote stays.

    The returned member carries `sessions_ended`, the number of live sessions that ended.
    """
    if not policies.accounts.can_deactivate(actor, member):
        raise ValidationError(_("Du kan ikke deaktivere denne bruger."), code="forbidden")
    member = User.objects.select_for_update().get(pk=member.pk)
    changed = []
    if member.is_active:
        member.is_active = False
        changed.append("is_active")
    if member.departed_at is None:
        # The retention clock starts here (komdir.privacy.selectors.departed_members); leaving
        # twice does not restart it.
        member.departed_at = timezone.now()
        changed.append("departed_at")
    if changed:
        member.save(update_fields=changed)
    member.sessions_ended = sessions_end_for_user(user=member)
    logger.info("member deactivated user=%s by user=%s", member.pk, actor.pk)
    return member


@transaction.atomic
def member_reactivate(*, member: User, actor: User) -> User:
    if not policies.accounts.can_change(actor, member):
        raise ValidationError(_("Du kan ikke genaktivere denne bruger."), code="forbidden")
    member = User.objects.select_for_update().get(pk=member.pk)
    if not member.is_active or member.departed_at is not None:
        member.is_active = True
        member.departed_at = None
        member.save(update_fields=["is_active", "departed_at"])
    # Whatever let them go (the admin form, the shell), no session from before comes back.
    sessions_end_for_user(user=member)
    logger.info("member reactivated user=%s by user=%s", member.pk, actor.pk)
    return member


@transaction.atomic
def member_password_set(*, member: User, actor: User, password: str | None) -> User:
    """The secretariat sets (or, with None, disables) a member's password: every session ends.

    The actor keeps their own session when they change their own password here; the admin
    moves that session to the new password hash.
    """
    if not policies.accounts.can_change(actor, member):
        raise PermissionDenied
    member = User.objects.select_for_update().get(pk=member.pk)
    if password is None:
        member.set_unusable_password()
    else:
        member.set_password(password)
    member.save(update_fields=["password"])
    sessions_end_for_user(user=member)
    logger.info("password set user=%s by user=%s", member.pk, actor.pk)
    return member


@transaction.atomic
def profile_update(
    *,
    member: User,
    actor: User,
    first_name: str,
    last_name: str,
    title: str = "",
    phone: str = "",
    bio: str = "",
) -> Profile:
    """A member edits their own name and contact details; municipality and level stay with the secretariat."""
    if not policies.members.can_edit_profile(actor, member):
        raise ValidationError(_("Du kan kun redigere din egen profil."), code="forbidden")
    member.first_name = first_name.strip()
    member.last_name = last_name.strip()
    member.full_clean(exclude=["password"])
    member.save(update_fields=["first_name", "last_name"])
    profile, _created = Profile.objects.get_or_create(user=member)
    profile.title = title.strip()
    profile.phone = phone.strip()
    profile.bio = bio.strip()
    profile.full_clean()
    profile.save(update_fields=["title", "phone", "bio"])
    return profile
