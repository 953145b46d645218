"""Every write of case collections: the secretariat builds them in the portal."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from focus.models import Case, CaseStatus
from focus.policies import cases as case_policy
from focus.voice.models import Collection, CollectionItem, Dispatch
from focus.voice.policies import VISITOR, case_in_collection
from focus.voice.policies import collections as policy
from komdir.lib import events
from komdir.lib.text import unique_slug
from members.models import User

COLLECTION_FIELDS = ("title", "intro", "audience")
RESERVED = {"ny"}


def _slug(title: str) -> str:
    return unique_slug(title, taken=Collection.objects.all(), reserved=RESERVED, fallback="samling")


@transaction.atomic
def collection_create(*, actor: User, title: str, intro: str = "", audience: str) -> Collection:
    if not policy.can_create(actor):
        raise PermissionDenied
    collection = Collection(title=title.strip(), intro=intro.strip(), audience=audience, created_by=actor)
    collection.slug = _slug(collection.title)
    collection.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            collection.save()
    except IntegrityError:  # the same title sent twice at once: the address was taken meanwhile
        raise ValidationError(
            _("Der blev lige oprettet en samling med samme titel. Prøv igen."), code="race"
        ) from None
    return collection


@transaction.atomic
def collection_update(*, actor: User, collection: Collection, **changes) -> Collection:
    unknown = set(changes) - set(COLLECTION_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    if not policy.can_edit(actor, collection):
        raise PermissionDenied
    for name, value in changes.items():
        setattr(collection, name, value.strip() if isinstance(value, str) else value)
    collection.full_clean()
    collection.save()
    return collection


def _check_case_fits(collection: Collection, case: Case) -> None:
    if case.status != CaseStatus.PUBLISHED or case.hidden_at is not None:
        raise ValidationError(
            _("Kun offentliggjorte cases, der ikke er skjult, kan komme med."), code="not_live"
        )
    if collection.is_public and not case_policy.can_view(VISITOR, case):
        raise ValidationError(
            _("Casen er kun for medlemmer, så den kan ikke komme med i en offentlig samling."),
            code="not_public",
        )


@transaction.atomic
def collection_add_cases(*, actor: User, collection: Collection, cases: Iterable[Case]) -> int:
    """Add cases at the end, in the order given; a case already there stays where it is.
    Returns how many were added."""
    if not policy.can_edit(actor, collection):
        raise PermissionDenied
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    # As the cases stand now, not as the page that chose them read them.
    fresh = Case.objects.in_bulk([c.pk for c in cases])
    cases = [fresh[c.pk] for c in cases if c.pk in fresh]
    for case in cases:
        _check_case_fits(collection, case)
    there = set(collection.items.values_list("case_id", flat=True))
    last = collection.items.aggregate(last=Max("order"))["last"] or 0
    added = 0
    for case in cases:
        if case.pk in there:
            continue
        added += 1
        try:
            with transaction.atomic():
                item = CollectionItem.objects.create(collection=collection, case=case, order=last + added)
        except IntegrityError:  # added from another tab at the same time
            added -= 1
        else:
            if collection.is_published:
                events.emit("voice.case_collected", item=item)
        there.add(case.pk)
    return added


@transaction.atomic
def collection_remove_case(*, actor: User, collection: Collection, case: Case) -> None:
    if not policy.can_edit(actor, collection):
        raise PermissionDenied
    deleted, _rows = CollectionItem.objects.filter(collection=collection, case=case).delete()
    if not deleted:
        raise ValidationError(_("Casen er ikke med i samlingen."), code="not_there")


@transaction.atomic
def collection_move_case(*, actor: User, collection: Collection, case: Case, step: int) -> None:
    """Move a case one place up (`step` -1) or down (+1)."""
    if not policy.can_edit(actor, collection):
        raise PermissionDenied
    items = list(
        CollectionItem.objects.select_for_update().filter(collection=collection).order_by("order", "pk")
    )
    index = next((i for i, item in enumerate(items) if item.case_id == case.pk), None)
    if index is None:
        raise ValidationError(_("Casen er ikke med i samlingen."), code="not_there")
    if not 0 <= index + step < len(items):
        return
    items[index], items[index + step] = items[index + step], items[index]
    for order, item in enumerate(items, start=1):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])


@transaction.atomic
def collection_publish(*, actor: User, collection: Collection) -> Collection:
    if not policy.can_edit(actor, collection):
        raise PermissionDenied
    collection = Collection.objects.select_for_update().get(pk=collection.pk)
    shown = [
        i for i in collection.items.select_related("case") if case_in_collection(collection, i.case, VISITOR)
    ]
    if not (shown if collection.is_public else collection.items.exists()):
        raise ValidationError(
            _("Tilføj mindst én case, som samlingens læsere kan se, før samlingen offentliggøres."),
            code="empty",
        )
    if collection.published_at is None:
        collection.published_at = timezone.now()
        collection.save(update_fields=["published_at", "updated_at"])
        for item in collection.items.select_related("case"):
            events.emit("voice.case_collected", item=item)
    return collection


@transaction.atomic
def collection_dispatch_add(*, actor: User, collection: Collection, recipient: str, sent_on) -> Dispatch:
    if not policy.can_edit(actor, collection):
        raise PermissionDenied
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("Datoen kan ikke ligge ude i fremtiden.")}, code="future")
    dispatch = Dispatch(collection=collection, recipient=recipient.strip(), sent_on=sent_on)
    dispatch.full_clean()
    dispatch.save()
    return dispatch
