"""Who sits in which circle."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from circles import policies
from circles.models import (
    Attendance,
    AttendanceResponse,
    CalendarToken,
    Circle,
    CircleMembership,
    Meeting,
    MembershipRole,
)
from circles.services.attendance import seats_fill
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


# --- the secretariat's admin ----------------------------------------------------------------

CIRCLE_FIELDS = ("name", "slug", "region", "description")
MEMBERSHIP_FIELDS = ("circle", "user", "role", "joined_at")


def _changed(obj, changes: dict, allowed: tuple[str, ...]) -> list[str]:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    changed = [field for field, value in changes.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, changes[field])
    return changed


@transaction.atomic
def circle_create(*, actor: User, **fields) -> Circle:
    if not policies.circles.can_create(actor):
        raise PermissionDenied
    circle = Circle()
    _changed(circle, fields, CIRCLE_FIELDS)
    circle.full_clean()
    circle.save()
    return circle


@transaction.atomic
def circle_update(*, actor: User, circle: Circle, **changes) -> Circle:
    if not policies.circles.can_edit(actor, circle):
        raise PermissionDenied
    changed = _changed(circle, changes, CIRCLE_FIELDS)
    if changed:
        circle.full_clean()
        circle.save(update_fields=changed)
    return circle


@transaction.atomic
def circle_delete(*, actor: User, circle: Circle) -> None:
    """Delete a circle with its memberships; a circle that has meetings is kept (PROTECT)."""
    if not policies.circles.can_delete(actor, circle):
        raise PermissionDenied
    circle.delete()


@transaction.atomic
def membership_add(
    *, actor: User, user: User, circle: Circle, role: str = MembershipRole.MEMBER, joined_at=None
) -> CircleMembership:
    if not policies.circles.can_manage_members(actor, circle):
        raise PermissionDenied
    membership = CircleMembership(circle=circle, user=user, role=role)
    if joined_at is not None:
        membership.joined_at = joined_at
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_update(*, actor: User, membership: CircleMembership, **changes) -> CircleMembership:
    """Change the role (or move the member to another circle): the rights follow at once."""
    circles = {membership.circle, changes.get("circle", membership.circle)}
    if not all(policies.circles.can_manage_members(actor, circle) for circle in circles):
        raise PermissionDenied
    changed = _changed(membership, changes, MEMBERSHIP_FIELDS)
    if changed:
        membership.full_clean()
        membership.save(update_fields=changed)
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: CircleMembership) -> None:
    if not policies.circles.can_manage_members(actor, membership.circle):
        raise PermissionDenied
    membership.delete()


@transaction.atomic
def member_circle_data_erase(*, user: User) -> None:
    """A member's account is deleted (komdir.privacy): their memberships, their answers to
    meetings and their calendar address go with it; a seat they held goes to the waiting list."""
    CircleMembership.objects.filter(user=user).delete()
    held = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(attendances__user=user, attendances__response=AttendanceResponse.YES, capacity__isnull=False)
        .order_by("pk")
    )
    Attendance.objects.filter(user=user).delete()
    for meeting in held:
        seats_fill(meeting=meeting)
    CalendarToken.objects.filter(user=user).delete()
    user.__dict__.pop("_komdir_circles", None)
