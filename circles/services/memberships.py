"""Who sits in which circle."""

from __future__ import annotations

from django.db import transaction

from circles.models import Circle, CircleMembership, MembershipRole
from members.models import User


@transaction.atomic
def membership_assign_default(*, user: User) -> CircleMembership | None:
    """Put a member without a circle into the circle of their municipality's region."""
    if user.circle_memberships.exists():
        return None
    profile = getattr(user, "profile", None)
    if profile is None or profile.municipality_id is None:
        return None
    circle = Circle.objects.filter(region_id=profile.municipality.region_id).order_by("pk").first()
    if circle is None:
        return None
    membership = CircleMembership(circle=circle, user=user)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_set(*, user: User, circle: Circle, role: str = MembershipRole.MEMBER) -> CircleMembership:
    membership, created = CircleMembership.objects.get_or_create(
        circle=circle, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership
