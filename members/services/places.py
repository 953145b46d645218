"""Regions and municipalities, as the secretariat corrects them in the admin."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from members import policies
from members.models import Municipality, Region, User


def _require(actor: User, permission: str) -> None:
    if not (policies.is_secretariat(actor) and actor.has_perm(permission)):
        raise PermissionDenied


@transaction.atomic
def region_save(*, actor: User, region: Region) -> Region:
    _require(actor, "members.add_region" if region.pk is None else "members.change_region")
    region.full_clean()
    region.save()
    return region


@transaction.atomic
def region_delete(*, actor: User, region: Region) -> None:
    # A region with municipalities is protected (on_delete=PROTECT): the admin says so first.
    _require(actor, "members.delete_region")
    region.delete()


@transaction.atomic
def municipality_save(*, actor: User, municipality: Municipality) -> Municipality:
    _require(actor, "members.add_municipality" if municipality.pk is None else "members.change_municipality")
    municipality.full_clean()
    municipality.save()
    return municipality


@transaction.atomic
def municipality_delete(*, actor: User, municipality: Municipality) -> None:
    # Members, invitations and circles point at a municipality (PROTECT): the admin says so first.
    _require(actor, "members.delete_municipality")
    municipality.delete()
