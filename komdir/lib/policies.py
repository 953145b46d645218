"""One policy per model: who may see which rows, and who may do what to one of them.

A policy states visibility once, as *conditions*: a tuple of lookups dictionaries, one per way a
row can be visible to the user (`({"status": "published", "hidden_at__isnull": True}, …)`).
From that one definition it answers both questions the portal asks:

- `visible(user, qs)`: the rows the user may see (lists, search, feeds, mails, exports), as
  a filter in SQL;
- `can_view(user, obj)`: whether the user may see this one row, evaluated on the object in
  Python (no query when the related rows it names are loaded).

So the page, the list and the e-mail can never disagree (Wagtail's permission policies keep the
instance check and the queryset side by side; here they are one). Actions beyond seeing
(`create`, `edit`, `delete`, `moderate`, …) are `can_<action>` methods of the policy, and
`can(user, action, obj)` asks them by name; `ACTIONS` lists what a policy decides, so the matrix
tests can walk every role × action.

The lookups understood on both sides: `field` (exact), `field__in`, `field__isnull`, across
relations with `__` (`case__status`, `parent__hidden_at__isnull`, `meeting__circle_id__in`). A
relation that is empty reads as NULL on both sides, as SQL's LEFT JOIN does; `field=None` is
Django's IS NULL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

# `conditions()` may answer with one of these instead of a tuple of lookups.
EVERYTHING = "everything"
NOTHING: tuple = ()

Conditions = str | tuple[Mapping[str, Any], ...]

_OPERATORS = ("in", "isnull", "exact")


def conditions_q(conditions: Conditions) -> Q | None:
    """The SQL side: OR over the conditions, AND within one. None means every row."""
    if conditions == EVERYTHING:
        return None
    found = Q(pk__in=[])
    for lookups in conditions:
        found |= Q(**lookups)
    return found


def _value(obj: Any, path: list[str]) -> Any:
    for name in path:
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _matches(obj: Model, lookup: str, expected: Any) -> bool:
    parts = lookup.split("__")
    operator = parts[-1] if parts[-1] in _OPERATORS and len(parts) > 1 else "exact"
    path = parts[:-1] if operator != "exact" or parts[-1] == "exact" else parts
    value = _value(obj, path)
    if operator == "isnull":
        return (value is None) is bool(expected)
    if isinstance(value, Model):
        value = value.pk
    if operator == "in":
        return value in expected
    return value == expected


def conditions_match(conditions: Conditions, obj: Model) -> bool:
    """The Python side of the same conditions, for one object."""
    if conditions == EVERYTHING:
        return True
    return any(
        all(_matches(obj, lookup, expected) for lookup, expected in lookups.items()) for lookups in conditions
    )


class Policy:
    """Subclass per model: set `model`, define `conditions(user)`, add `can_<action>` methods."""

    model: type[Model]
    ACTIONS: tuple[str, ...] = ("view",)

    def conditions(self, user) -> Conditions:
        raise NotImplementedError

    def visible(self, user, qs: QuerySet | None = None) -> QuerySet:
        qs = self.model._default_manager.all() if qs is None else qs
        found = conditions_q(self.conditions(user))
        return qs if found is None else qs.filter(found)

    def can_view(self, user, obj: Model) -> bool:
        return conditions_match(self.conditions(user), obj)

    def can(self, user, action: str, obj: Model | None = None) -> bool:
        if action not in self.ACTIONS:
            raise ValueError(f"{type(self).__name__} decides no action {action!r}")
        check = getattr(self, f"can_{action}")
        return check(user) if obj is None and action in self.actions_without_object() else check(user, obj)

    def actions_without_object(self) -> Iterable[str]:
        """Actions asked of the model rather than of one row (e.g. `create`)."""
        return ("create",)

    def get_visible_or_404(self, user, qs: QuerySet | None = None, **lookups) -> Model:
        """One row the user may see; missing and not visible answer the same 404."""
        found = self.visible(user, qs).filter(**lookups).first()
        if found is None:
            raise Http404
        return found
