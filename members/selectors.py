from __future__ import annotations

from django.db.models import Count, Q

from members.models import STATUTES_LIMIT, Invitation, Level, Municipality, Profile


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
