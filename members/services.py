"""Every write in members/: invitations, accepting them, profiles."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from komdir.lib import events
from komdir.lib.mail import send_templated_mail
from members import selectors
from members.models import Invitation, Municipality, Profile, User
from members.policies import (
    can_change_user,
    can_deactivate_member,
    can_edit_profile,
    can_invite_members,
    can_manage_account,
    can_override_statutes,
)

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
    if not can_invite_members(created_by):
        raise InvitationError(_("Du har ikke ret til at invitere medlemmer."), code="forbidden")
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
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
    if not can_invite_members(actor):
        raise InvitationError(_("Du har ikke ret til at invitere medlemmer."), code="forbidden")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
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
    if not can_invite_members(actor):
        raise InvitationError(_("Du har ikke ret til at invitere medlemmer."), code="forbidden")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
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
    if User.objects.filter(email__iexact=invitation.email).exists():
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
    from members.importing import check_invitation_rows

    if not can_invite_members(created_by):
        raise InvitationError(_("Du har ikke ret til at invitere medlemmer."), code="forbidden")
    if override_statutes and not can_override_statutes(created_by):
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


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def session_record_login(*, request, user: User) -> None:
    """Record the session a login opened, whatever did the login (allauth, the admin, a test).

    allauth.usersessions records logins through allauth's own flow; this also catches
    django.contrib.auth.login() called directly, so ending sessions never misses one.
    """
    from allauth.account.adapter import get_adapter
    from allauth.usersessions.models import UserSession

    session = getattr(request, "session", None)
    if session is None or user is None or user.pk is None:
        return
    if not session.session_key:
        session.save()
    try:
        ip = get_adapter().get_client_ip(request)
    except PermissionDenied:  # no address at all (a login made in code, not over HTTP)
        ip = "0.0.0.0"  # noqa: S104 (a recorded address, not a socket)
    max_length = UserSession._meta.get_field("user_agent").max_length
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:max_length]
    UserSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "ip": ip, "user_agent": user_agent}
    )


def sessions_end_for_user(*, user: User, keep_session_key: str | None = None) -> int:
    """End every session logged in as `user` (but `keep_session_key`); returns how many were live.

    A session is ended through the session engine, so every place it is stored goes: with
    `cached_db` that is the cache as well as the database row (deleting only the row left the
    cached copy, which logged the member in again once reactivated). The sessions allauth's
    usersessions recorded are ended through its adapter; database rows from before it recorded
    them are found by decoding them.
    """
    from allauth.usersessions.adapter import get_adapter
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    store = _session_store()
    tracked = [s for s in UserSession.objects.filter(user_id=user.pk) if s.session_key != keep_session_key]
    keys = {s.session_key for s in tracked}
    if settings.SESSION_ENGINE.endswith(("sessions.backends.db", "sessions.backends.cached_db")):
        untracked = Session.objects.filter(expire_date__gt=timezone.now()).exclude(pk__in=keys)
        for session in untracked.exclude(pk=keep_session_key).iterator():
            if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
                keys.add(session.pk)
    live = sum(1 for key in keys if store().exists(key))
    get_adapter().end_sessions(tracked)
    for key in keys:
        store().delete(key)

    def forget_cached_copies():
        # A request of the member between the delete above and the commit may have read the
        # still-committed row back into the cache; delete again once the change is final.
        for key in keys:
            store().delete(key)

    transaction.on_commit(forget_cached_copies)
    return live


@transaction.atomic
def member_deactivate(*, member: User, actor: User) -> User:
    """A member who has left: no more log-in, every session ends now; what they wrote stays.

    The returned member carries `sessions_ended`, the number of live sessions that ended.
    """
    if not can_deactivate_member(actor, member):
        raise ValidationError(_("Du kan ikke deaktivere denne bruger."), code="forbidden")
    member = User.objects.select_for_update().get(pk=member.pk)
    changed = []
    if member.is_active:
        member.is_active = False
        changed.append("is_active")
    if member.departed_at is None:
        # The retention clock starts here (members.gdpr.departed_members); leaving twice does not restart it.
        member.departed_at = timezone.now()
        changed.append("departed_at")
    if changed:
        member.save(update_fields=changed)
    member.sessions_ended = sessions_end_for_user(user=member)
    logger.info("member deactivated user=%s by user=%s", member.pk, actor.pk)
    return member


@transaction.atomic
def member_reactivate(*, member: User, actor: User) -> User:
    if not can_change_user(actor, member):
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
    if not can_change_user(actor, member):
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
    if not can_edit_profile(actor, member):
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


SECRETARIAT_GROUP = "Sekretariat"
SECRETARIAT_APPS = ["members", "focus", "circles", "taggit", "notifications", "overview"]
# Of allauth's accounts the secretariat handles members' e-mail addresses and removes a lost
# two-factor device; it never adds or edits an authenticator (its data is the secret). Whose
# account, the admin decides per object (members.policies.can_manage_account). Of the mail
# queue it reads the results, so a mail that failed after its last retry is seen in the admin.
SECRETARIAT_ACCOUNT_PERMISSIONS = {
    "account": ["view_emailaddress", "add_emailaddress", "change_emailaddress", "delete_emailaddress"],
    "mfa": ["view_authenticator", "delete_authenticator"],
    "django_tasks_database": ["view_dbtaskresult"],
}


def secretariat_group_sync() -> None:
    """Give the group "Sekretariat" every permission on the portal's own content, and on
    allauth's accounts and the mail queue exactly SECRETARIAT_ACCOUNT_PERMISSIONS.

    Runs after each migrate, so new models' permissions reach the group without a manual step,
    and a wider account grant left in the database by an earlier version is taken back.
    """
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    accounts = Q(pk__in=[])
    for app_label, codenames in SECRETARIAT_ACCOUNT_PERMISSIONS.items():
        accounts |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.add(
        *Permission.objects.filter(Q(content_type__app_label__in=SECRETARIAT_APPS) | accounts)
    )
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label__in=SECRETARIAT_ACCOUNT_PERMISSIONS).exclude(
            accounts
        )
    )


# --- Accounts: e-mail addresses and two-factor, as the admin changes them --------------------


class AccountProtectedError(PermissionDenied):
    """Only a superuser changes the account of a superuser or of a staff member."""


ACCOUNT_PROTECTED_MESSAGE = gettext_lazy(
    "Kun en superbruger kan ændre konti for sekretariatets medarbejdere og for superbrugere."
)


def _require_account_manager(actor: User, owner: User, permission: str) -> None:
    if not (can_manage_account(actor, owner) and actor.has_perm(permission)):
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
