"""Parts of a member's account the admin changes: e-mail addresses and two-factor devices."""

from __future__ import annotations

import logging

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import policies
from members.models import User

logger = logging.getLogger("komdir.members")


# --- Accounts: e-mail addresses and two-factor, as the admin changes them --------------------


class AccountProtectedError(PermissionDenied):
    """Only a superuser changes the account of a superuser or of a staff member."""


ACCOUNT_PROTECTED_MESSAGE = gettext_lazy(
    "Kun en superbruger kan ændre konti for sekretariatets medarbejdere og for superbrugere."
)


def _require_account_manager(actor: User, owner: User, permission: str) -> None:
    if not (policies.accounts.can_manage(actor, owner) and actor.has_perm(permission)):
        raise AccountProtectedError(ACCOUNT_PROTECTED_MESSAGE)


def _make_primary(address: EmailAddress) -> None:
    """The primary address is the one the member logs in with: User.email follows it."""
    EmailAddress.objects.filter(user_id=address.user_id, primary=True).exclude(pk=address.pk).update(
        primary=False
    )
    if not address.primary:
        address.primary = True
        address.save(update_fields=["primary"])
    user = address.user
    if user.email != address.email:
        user.email = address.email
        user.full_clean(exclude=["password"])
        user.save(update_fields=["email"])


@transaction.atomic
def email_address_add(
    *, actor: User, user: User, email: str, verified: bool = False, primary: bool = False
) -> EmailAddress:
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_account_manager(actor, user, "account.add_emailaddress")
    address = EmailAddress(user=user, email=email.strip().lower(), verified=verified, primary=False)
    address.full_clean()
    address.save()
    if primary:
        _make_primary(address)
    logger.info("email address added user=%s by user=%s", user.pk, actor.pk)
    return address


@transaction.atomic
def email_address_update(
    *, actor: User, address: EmailAddress, email: str, verified: bool, primary: bool
) -> EmailAddress:
    """Change an address; it stays with its owner. A primary address stays primary until
    another one is made primary (the member must always have one to log in with)."""
    address = EmailAddress.objects.select_for_update().select_related("user").get(pk=address.pk)
    _require_account_manager(actor, address.user, "account.change_emailaddress")
    address.email = email.strip().lower()
    address.verified = verified
    address.full_clean()
    address.save(update_fields=["email", "verified"])
    if primary or address.primary:
        _make_primary(address)
    logger.info("email address changed user=%s by user=%s", address.user_id, actor.pk)
    return address


@transaction.atomic
def email_address_delete(*, actor: User, address: EmailAddress) -> None:
    address = EmailAddress.objects.select_for_update().select_related("user").get(pk=address.pk)
    _require_account_manager(actor, address.user, "account.delete_emailaddress")
    if address.primary:
        raise ValidationError(
            _("Den primære e-mailadresse kan ikke slettes. Gør en anden adresse primær først."),
            code="primary",
        )
    address.delete()
    logger.info("email address deleted user=%s by user=%s", address.user_id, actor.pk)


@transaction.atomic
def authenticator_remove(*, actor: User, authenticator: Authenticator) -> list[Authenticator]:
    """Remove a member's two-factor device (a lost phone); returns what was removed.

    Recovery codes without a device they back up are removed with it, as allauth does when the
    member removes the device themselves.
    """
    authenticator = Authenticator.objects.select_for_update().select_related("user").get(pk=authenticator.pk)
    owner = authenticator.user
    _require_account_manager(actor, owner, "mfa.delete_authenticator")
    removed = [authenticator]
    authenticator.delete()
    remaining = Authenticator.objects.filter(user=owner)
    if not remaining.exclude(type=Authenticator.Type.RECOVERY_CODES).exists():
        removed += list(remaining)
        remaining.delete()
    logger.info(
        "mfa removed user=%s types=%s by user=%s",
        owner.pk,
        ",".join(a.type for a in removed),
        actor.pk,
    )
    return removed
