"""Reads for the member directory and profile pages."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from circles.models import Circle, CircleMembership
from members.models import Municipality, Region, User


def member_directory(*, viewer, region: str = "", circle: str = "", municipality: str = "", q: str = ""):
    """Active members (not the secretariat's staff accounts) for the directory, filtered.

    Built on `User.objects.listed_to(viewer)` (members.policies.MemberPolicy.listed), as site
    search is (komdir/search/selectors.py): both list the same people."""
    members = (
        User.objects.listed_to(viewer)
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
    return {
        "regions": list(Region.objects.order_by("name")),
        "circles": list(Circle.objects.order_by("name")),
        "municipalities": list(Municipality.objects.order_by("name")),
    }


def member_get(*, viewer, pk: int):
    """The member whose profile `viewer` may open, or None (missing and not visible alike)."""
    return (
        User.objects.visible_to(viewer)
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
