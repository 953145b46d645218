"""Invitations: creating, resending, revoking, importing a file of them, and accepting one."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from komdir.lib import events
from komdir.lib.mail import send_templated_mail
from members import policies, selectors
from members.importing import check_invitation_rows
from members.models import Invitation, Municipality, Profile, User

logger = logging.getLogger("komdir.members")


class InvitationError(ValidationError):
    pass


def _check_statutes(
    *, municipality: Municipality, level: int, exclude_invitation_id: int | None = None
) -> None:
    taken = selectors.statutes_seats_taken(
        municipality=municipality, level=level, exclude_invitation_id=exclude_invitation_id
    )
    limit = selectors.statutes_limit(level)
    if taken >= limit:
        raise InvitationError(
            _(
                "%(municipality)s har allerede %(taken)s af højst %(limit)s pladser på "
                "niveau %(level)s (vedtægternes §3). Markér 'tilsidesæt vedtægternes grænse', "
                "hvis der er besluttet en undtagelse."
            )
            % {"municipality": municipality.name, "taken": taken, "limit": limit, "level": level},
            code="statutes_limit",
        )


def _send_invitation(invitation: Invitation, token: str, base_url: str) -> None:
    link = base_url.rstrip("/") + invitation.get_accept_url(token)
    send_templated_mail(
        template_prefix="members/email/invitation",
        to=[invitation.email],
        context={"invitation": invitation, "link": link},
    )


@transaction.atomic
def invitation_create(
    *,
    created_by: User,
    email: str,
    first_name: str,
    last_name: str,
    level: int,
    municipality: Municipality,
    title: str = "",
    override_statutes: bool = False,
    base_url: str | None = None,
) -> Invitation:
    """Create an invitation and e-mail its link once the transaction commits."""
    if not policies.invitations.can_invite(created_by):
        raise InvitationError(_("Du har ikke ret til at invitere medlemmer."), code="forbidden")
    email = email.strip().lower()
    if selectors.email_in_use_by_account(email):
        raise InvitationError(
            _("Der findes allerede en bruger med e-mailen %(email)s.") % {"email": email},
            code="duplicate_user",
        )
    # Serialise invitations per municipality so two secretaries cannot both take the last seat.
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    if not override_statutes:
        _check_statutes(municipality=municipality, level=level)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        title=title.strip(),
        level=level,
        municipality=municipality,
        override_statutes=override_statutes,
        token_digest=Invitation.digest(token),
        created_by=created_by,
        created_at=now,
        sent_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    logger.info("invitation created id=%s by user=%s", invitation.pk, created_by.pk)
    url = base_url or settings.SITE_URL
    transaction.on_commit(lambda: _send_invitation(invitation, token, url))
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User, base_url: str | None = None) -> Invitation:
    """Give an open (or expired) invitation a new link and expiry; the old link stops working."""
    if not policies.invitations.can_invite(actor):
        raise InvitationError(_("Du har ikke ret til at invitere medlemmer."), code="forbidden")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    # Who may invite was asked above (its own message); under the lock what is left is the state.
    if not policies.invitations.can_resend(actor, invitation):
        raise InvitationError(_("Invitationen er allerede brugt eller tilbagekaldt."), code="closed")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_digest = Invitation.digest(token)
    invitation.sent_at = now
    invitation.expires_at = now + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.save(update_fields=["token_digest", "sent_at", "expires_at"])
    url = base_url or settings.SITE_URL
    transaction.on_commit(lambda: _send_invitation(invitation, token, url))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    if not policies.invitations.can_invite(actor):
        raise InvitationError(_("Du har ikke ret til at invitere medlemmer."), code="forbidden")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not policies.invitations.can_revoke(actor, invitation):
        raise InvitationError(_("Invitationen er allerede accepteret."), code="closed")
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, first_name: str, last_name: str, password: str) -> User:
    """Turn an open invitation into an active member with a verified e-mail address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != "pending":
        raise InvitationError(_("Invitationen kan ikke længere bruges."), code=invitation.status)
    if selectors.email_in_use_by_account(invitation.email):
        raise InvitationError(
            _("Der findes allerede en bruger med denne e-mail. Log ind i stedet."),
            code="duplicate_user",
        )
    user = User(
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    profile = Profile(
        user=user,
        title=invitation.title,
        level=invitation.level,
        municipality=invitation.municipality,
    )
    profile.full_clean()
    profile.save()
    # The invitation link proved the address: allauth must treat it as verified.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    # Circles put the new member in their region's circle, inside this transaction.
    events.emit_in_transaction("members.member_joined", user=user)
    logger.info("invitation accepted id=%s user=%s", invitation.pk, user.pk)
    return user


class InvitationImportError(InvitationError):
    """The import was refused; `preview` holds every row's problems. Nothing was saved."""

    def __init__(self, message, *, preview):
        super().__init__(message, code="import_rows")
        self.preview = preview


@transaction.atomic
def invitation_import(
    *,
    created_by: User,
    rows: list[dict[str, str]],
    override_statutes: bool = False,
    base_url: str | None = None,
) -> list[Invitation]:
    """Invite every row of an import file, or nobody: one bad row rolls back the lot.

    The rows are checked again here because time has passed since the preview.
    Mails go out only when the whole import has committed.
    """
    if not policies.invitations.can_invite(created_by):
        raise InvitationError(_("Du har ikke ret til at invitere medlemmer."), code="forbidden")
    if override_statutes and not policies.invitations.can_override_statutes(created_by):
        raise InvitationError(_("Du har ikke ret til at tilsidesætte vedtægterne."), code="forbidden")
    preview = check_invitation_rows(rows, override_statutes=override_statutes)
    if preview.has_errors:
        raise InvitationImportError(
            _("%(count)s rækker har fejl. Ingen blev inviteret.") % {"count": preview.error_count},
            preview=preview,
        )
    invitations = [
        invitation_create(
            created_by=created_by,
            email=row.email,
            first_name=row.raw["first_name"],
            last_name=row.raw["last_name"],
            title=row.raw["title"],
            level=row.level,
            municipality=row.municipality,
            override_statutes=override_statutes,
            base_url=base_url,
        )
        for row in preview.rows
    ]
    logger.info("invitation import of %s rows by user=%s", len(invitations), created_by.pk)
    return invitations
