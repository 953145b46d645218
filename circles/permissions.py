"""Who may do what in circles/."""

from __future__ import annotations

from circles.models import Circle, CircleMembership, MembershipRole
from members.permissions import is_member, is_secretariat


def can_view_circle(user, circle: Circle) -> bool:
    return is_member(user)


def is_circle_member(user, circle: Circle) -> bool:
    return is_member(user) and CircleMembership.objects.filter(user=user, circle=circle).exists()


def is_circle_lead(user, circle: Circle) -> bool:
    return (
        is_member(user)
        and CircleMembership.objects.filter(user=user, circle=circle, role=MembershipRole.LEAD).exists()
    )


def can_manage_circle(user, circle: Circle) -> bool:
    return is_secretariat(user) or is_circle_lead(user, circle)
