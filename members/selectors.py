from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Count, Prefetch
from django.db.models.functions import Lower

from members.models import STATUTES_LIMIT, Invitation, Level, Municipality, Profile, User


def invitation_get_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("municipality")
        .filter(token_digest=Invitation.digest(token))
        .first()
    )


def statutes_seats_taken(
    *, municipality: Municipality, level: int, exclude_invitation_id: int | None = None
) -> int:
    """Active members plus open invitations for this municipality and level."""
    members = Profile.objects.filter(municipality=municipality, level=level, user__is_active=True).count()
    invitations = Invitation.objects.pending().filter(municipality=municipality, level=level)
    if exclude_invitation_id is not None:
        invitations = invitations.exclude(pk=exclude_invitation_id)
    return members + invitations.count()


def statutes_limit(level: int) -> int:
    return STATUTES_LIMIT[Level(level)]


def statutes_seats_taken_by_municipality(*, municipality_ids) -> dict[tuple[int, int], int]:
    """Seats taken per (municipality id, level) in two queries: for checking a whole import at once."""
    taken: dict[tuple[int, int], int] = {}
    members = (
        Profile.objects.filter(
            municipality_id__in=municipality_ids, user__is_active=True, level__isnull=False
        )
        .values("municipality_id", "level")
        .annotate(n=Count("pk"))
    )
    invitations = (
        Invitation.objects.pending()
        .filter(municipality_id__in=municipality_ids)
        .values("municipality_id", "level")
        .annotate(n=Count("pk"))
    )
    for row in [*members, *invitations]:
        key = (row["municipality_id"], row["level"])
        taken[key] = taken.get(key, 0) + row["n"]
    return taken


def email_in_use_by_account(email: str) -> bool:
    """Whether an account has this address: as its login (User.email) or as one of its other
    addresses (allauth's EmailAddress), which allauth also logs in with and mails to."""
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def email_in_use_by_other_account(email: str, *, account: User) -> bool:
    """Whether an account other than `account` has this address (see `email_in_use_by_account`)."""
    return (
        User.objects.filter(email__iexact=email).exclude(pk=account.pk).exists()
        or EmailAddress.objects.filter(email__iexact=email).exclude(user_id=account.pk).exists()
    )


def emails_in_use(emails) -> set[str]:
    """Lower-cased e-mails already used by an account (see `email_in_use_by_account`) or by an open
    (not accepted, not revoked) invitation."""
    emails = {e.lower() for e in emails if e}
    if not emails:
        return set()
    users = User.objects.filter(email__in=emails).values_list("email", flat=True)
    addresses = (
        EmailAddress.objects.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=emails)
        .values_list("email", flat=True)
    )
    invitations = Invitation.objects.filter(
        email__in=emails, accepted_at__isnull=True, revoked_at__isnull=True
    ).values_list("email", flat=True)
    return {e.lower() for e in [*users, *addresses, *invitations]}


def municipality_lookup() -> dict[str, Municipality]:
    """Every municipality by casefolded name and by kommunekode (with and without leading zeros)."""
    lookup: dict[str, Municipality] = {}
    for municipality in Municipality.objects.select_related("region"):
        lookup[municipality.name.casefold()] = municipality
        lookup[municipality.code] = municipality
        lookup[municipality.code.lstrip("0")] = municipality
    return lookup


def _memberships_with_circles() -> Prefetch:
    """Each member's circle memberships with their circles, in one query.

    Circles sit above members (docs/architecture.md), so the membership model is reached through
    its relation to the user, not imported."""
    membership = User._meta.get_field("circle_memberships").related_model
    return Prefetch("circle_memberships", queryset=membership.objects.select_related("circle"))


def member_list_for_export():
    return (
        User.objects.filter(is_staff=False)
        .select_related("profile__municipality__region")
        .prefetch_related(_memberships_with_circles())
        .order_by("first_name", "last_name", "pk")
    )
