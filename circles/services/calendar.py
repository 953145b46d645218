"""The secrets of the members' personal calendar feeds."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from circles import policies
from circles.models import CalendarToken
from members.models import User


def _new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_token_get_or_create(*, user: User) -> CalendarToken:
    if not policies.calendar_feed.can_use(user):
        raise PermissionDenied
    token, _created = CalendarToken.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return token


@transaction.atomic
def calendar_token_renew(*, user: User) -> CalendarToken:
    """A new secret; the old URL stops working at once."""
    if not policies.calendar_feed.can_use(user):
        raise PermissionDenied
    token = CalendarToken.objects.select_for_update().filter(user=user).first()
    if token is None:
        return calendar_token_get_or_create(user=user)
    token.token = _new_token()
    token.created_at = timezone.now()
    token.full_clean()
    token.save(update_fields=["token", "created_at"])
    return token


@transaction.atomic
def calendar_token_revoke(*, actor: User, token: CalendarToken) -> None:
    """The address stops working; the member gets a new one when they next open the settings."""
    if not policies.calendar_feed.can_revoke(actor, token):
        raise PermissionDenied
    token.delete()
