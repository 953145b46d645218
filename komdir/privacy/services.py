"""Deleting a member's account (GDPR article 17): personal data goes, contributions stay under
"Tidligere medlem" unless the member chose to delete them too."""

from __future__ import annotations

import logging
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from circles.decisions.services import member_decisions_data_erase
from circles.polls.services import member_poll_data_erase
from circles.services import member_circle_data_erase
from focus.services import contributions_withdraw
from focus.voice.services import member_voice_data_erase
from komdir.notifications.services import member_notification_data_erase
from komdir.overview.services import member_overview_data_erase
from komdir.privacy.selectors import ANONYMISED_DOMAIN, FORMER_FIRST_NAME, FORMER_LAST_NAME
from members.models import Invitation, Profile, User
from members.services import sessions_end_for_user

logger = logging.getLogger("komdir.security")


# --- deletion (article 17) -------------------------------------------------------------------


class AccountDeleteError(Exception):
    pass


@transaction.atomic
def account_delete(*, user: User, actor: User | None, delete_contributions: bool = False) -> User:
    """Remove `user`'s personal data; `actor` is the member themself (None: the retention job).

    The account row stays (contributions point at it) but carries no personal data:
    the name becomes "Tidligere medlem", the e-mail a unique address that cannot receive mail,
    the profile is blank, the password unusable, sessions, two-factor devices, e-mail
    addresses, circle memberships, attendance, follows and preferences are gone, and
    invitations to the person are anonymised the same way.
    """
    if actor is not None and actor.pk != user.pk:
        raise AccountDeleteError("Only the member may delete their own account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if delete_contributions:
        contributions_withdraw(author=user)
    old_email = user.email
    anonymous_email = f"slettet-{user.pk}-{secrets.token_hex(6)}@{ANONYMISED_DOMAIN}"
    Invitation.objects.filter(Q(user=user) | Q(email__iexact=old_email)).update(
        email=anonymous_email, first_name=FORMER_FIRST_NAME, last_name=FORMER_LAST_NAME, title=""
    )
    user.first_name = FORMER_FIRST_NAME
    user.last_name = FORMER_LAST_NAME
    user.email = anonymous_email
    user.is_active = False
    user.departed_at = user.departed_at or timezone.now()
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save(
        update_fields=[
            "first_name",
            "last_name",
            "email",
            "is_active",
            "departed_at",
            "is_staff",
            "is_superuser",
            "password",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()
    Profile.objects.filter(user=user).update(title="", phone="", bio="", level=None, municipality=None)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    # Each app erases its own rows, through its own service.
    member_circle_data_erase(user=user)
    member_poll_data_erase(user=user)
    member_decisions_data_erase(user=user, delete_contributions=delete_contributions)
    member_voice_data_erase(user=user, delete_contributions=delete_contributions)
    member_notification_data_erase(user=user)
    member_overview_data_erase(user=user)
    sessions_end_for_user(user=user)
    logger.info(
        "account.deleted user=%s by=%s contributions_deleted=%s",
        user.pk,
        "self" if actor is not None else "retention",
        delete_contributions,
    )
    return user
