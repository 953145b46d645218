"""Writes: follows, preferences and unsubscribing from the links in our mails."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from komdir.notifications.models import PREFERENCE_FIELDS, Follow, FollowKind, NotificationSettings
from members.models import User


@transaction.atomic
def follow_set(*, user: User, kind: str, object_id: int, active: bool) -> Follow:
    """Follow or unfollow; an unfollow is kept as a row so automatic follows respect it."""
    if kind not in FollowKind.values:
        raise ValueError(kind)
    follow, created = Follow.objects.select_for_update().get_or_create(
        user=user, kind=kind, object_id=object_id, defaults={"active": active}
    )
    if not created and follow.active != active:
        follow.active = active
        follow.automatic = False
        follow.save(update_fields=["active", "automatic", "updated_at"])
    user.__dict__.pop("_komdir_followed", None)
    return follow


def follow_auto(*, user: User, kind: str, object_id: int) -> None:
    """Follow automatically unless the member has a row already (e.g. an explicit unfollow)."""
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(
                user=user, kind=kind, object_id=object_id, defaults={"active": True, "automatic": True}
            )
    except IntegrityError:  # a concurrent request created it: it stands
        pass


@transaction.atomic
def settings_update(*, user: User, **changes: bool) -> NotificationSettings:
    unknown = set(changes) - set(PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"settings_update() got unexpected fields: {sorted(unknown)}")
    prefs, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    changed = [field for field, value in changes.items() if getattr(prefs, field) != bool(value)]
    for field in changed:
        setattr(prefs, field, bool(changes[field]))
    if changed:
        prefs.full_clean()
        prefs.save(update_fields=changed)
    return prefs


# Unchanged since the links went out: a salt of its own, so the tokens of mails sent
# before keep working.
UNSUBSCRIBE_SALT = "komdir.members.unsubscribe"
ALL = "all"


def unsubscribe_token(*, user: User, preference: str) -> str:
    if preference != ALL and preference not in PREFERENCE_FIELDS:
        raise ValueError(preference)
    return signing.dumps({"u": user.pk, "p": preference}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user: User, preference: str) -> str:
    return settings.SITE_URL + reverse(
        "notifications:unsubscribe", kwargs={"token": unsubscribe_token(user=user, preference=preference)}
    )


def unsubscribe_parse(token: str) -> tuple[User, str] | None:
    """The member and preference a link stands for; None for anything tampered or unknown."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    preference = data.get("p")
    if preference != ALL and preference not in PREFERENCE_FIELDS:
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None:
        return None
    return user, preference


def unsubscribe_apply(*, user: User, preference: str) -> NotificationSettings:
    fields = PREFERENCE_FIELDS if preference == ALL else (preference,)
    return settings_update(user=user, **dict.fromkeys(fields, False))


@transaction.atomic
def member_notification_data_erase(*, user: User) -> None:
    """A member's account is deleted (komdir.privacy): their follows and e-mail preferences go."""
    Follow.objects.filter(user=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
    user.__dict__.pop("_komdir_followed", None)
