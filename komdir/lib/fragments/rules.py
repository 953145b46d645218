"""Which writes refresh what: each app describes its own models with `watch()`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save

from komdir.lib.fragments.versions import invalidate, touch

TagsFor = Callable[..., Iterable[str | None]]
# Rules for `watch()`: a write that changes nothing any cached page shows, and one whose reach
# is too wide to name (every fragment is stale).
QUIET = ()
EVERYTHING = "everything"


_watched_apps: set[str] = set()
_rules: dict[tuple[str, str], TagsFor | tuple | str] = {}


def watch(app_label: str, rules: dict[str, TagsFor | tuple | str]) -> None:
    """Writes to `app_label`'s models refresh the fragments that show them.

    `rules` maps a model name (an m2m's through model too) to a function of the written
    instance and the signal's arguments giving the tags it changes (None among them: every
    fragment), to QUIET for bookkeeping no cached page shows, or to EVERYTHING. A model of a
    watched app with no rule makes every fragment stale.
    """
    _watched_apps.add(app_label)
    for model_name, rule in rules.items():
        _rules[(app_label, model_name)] = rule


def _on_write(sender, instance=None, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in _watched_apps:
        return
    if kwargs.get("action", "post_add").startswith("pre_"):
        return  # m2m_changed: the post_ signal follows
    rule = _rules.get((meta.app_label, meta.model_name))
    if rule is None or rule == EVERYTHING:
        invalidate()
    elif callable(rule):
        tags = list(rule(instance, **kwargs))
        if None in tags:
            invalidate()
        else:
            touch(*tags)


def connect() -> None:
    post_save.connect(_on_write, dispatch_uid="komdir-fragments-save")
    post_delete.connect(_on_write, dispatch_uid="komdir-fragments-delete")
    m2m_changed.connect(_on_write, dispatch_uid="komdir-fragments-m2m")
