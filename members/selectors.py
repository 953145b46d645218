from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from circles.models import CircleMembership
from members.models import STATUTES_LIMIT, Invitation, Level, Municipality, Profile, Region, User


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


def municipality_list_with_members():
    return Municipality.objects.select_related("region").annotate(
        member_count=Count("profiles", filter=Q(profiles__user__is_active=True))
    )


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


def emails_in_use(emails) -> set[str]:
    """Lower-cased e-mails already used by a user or by an open (not accepted, not revoked) invitation."""
    emails = {e.lower() for e in emails if e}
    if not emails:
        return set()
    users = User.objects.filter(email__in=emails).values_list("email", flat=True)
    invitations = Invitation.objects.filter(
        email__in=emails, accepted_at__isnull=True, revoked_at__isnull=True
    ).values_list("email", flat=True)
    return {e.lower() for e in [*users, *invitations]}


def municipality_lookup() -> dict[str, Municipality]:
    """Every municipality by casefolded name and by kommunekode (with and without leading zeros)."""
    lookup: dict[str, Municipality] = {}
    for municipality in Municipality.objects.select_related("region"):
        lookup[municipality.name.casefold()] = municipality
        lookup[municipality.code] = municipality
        lookup[municipality.code.lstrip("0")] = municipality
    return lookup


def member_list_for_export():
    return (
        User.objects.filter(is_staff=False)
        .select_related("profile__municipality__region")
        .prefetch_related(
            Prefetch(
                "circle_memberships",
                queryset=CircleMembership.objects.select_related("circle"),
            )
        )
        .order_by("first_name", "last_name", "pk")
    )


def member_directory(*, viewer, region: str = "", circle: str = "", municipality: str = "", q: str = ""):
    """Active members (not the secretariat's staff accounts) for the directory, filtered.

    Built on `User.objects.directory()`, as site search is (focus/search.py): both list the
    same people."""
    members = (
        User.objects.directory()
        .select_related("profile__municipality__region")
        .prefetch_related(
            Prefetch(
                "circle_memberships",
                queryset=CircleMembership.objects.select_related("circle"),
            )
        )
        .order_by("first_name", "last_name", "pk")
    )
    if region:
        members = members.filter(profile__municipality__region__code=region)
    if circle:
        # A member sits in one circle per membership row: no duplicates from this join.
        members = members.filter(circle_memberships__circle__slug=circle)
    if municipality:
        members = members.filter(profile__municipality__code=municipality)
    for word in q.split()[:5]:
        # SQLite's icontains folds ASCII only; the case variants make "ørum" find "Ørum" there too.
        match = Q()
        for variant in {word, word.lower(), word.capitalize(), word.upper()}:
            match |= (
                Q(first_name__icontains=variant)
                | Q(last_name__icontains=variant)
                | Q(profile__title__icontains=variant)
                | Q(profile__municipality__name__icontains=variant)
            )
        members = members.filter(match)
    return members


def member_directory_filters() -> dict:
    from circles.models import Circle

    return {
        "regions": list(Region.objects.order_by("name")),
        "circles": list(Circle.objects.order_by("name")),
        "municipalities": list(Municipality.objects.order_by("name")),
    }


def member_get(*, pk: int):
    return (
        User.objects.members()
        .filter(pk=pk)
        .select_related("profile__municipality__region")
        .prefetch_related(
            Prefetch(
                "circle_memberships",
                queryset=CircleMembership.objects.select_related("circle"),
            )
        )
        .first()
    )
