"""The cache itself: a page's fragment per audience, shared values, and hit counts."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from komdir.lib.fragments.holes import _HOLE_CONTEXT, _fill, _Holes
from komdir.lib.fragments.versions import (
    CACHE_ERRORS,
    _available,
    _failed,
    _store,
    _versions,
    _wrote_recently,
    enabled,
)

TIMEOUT = 300
STATS_PREFIX = "fragment-stats:"
# Part of every key: raise it when what a cached fragment holds changes shape (a hole's
# arguments), so a new release never fills an old release's pieces.
FORMAT = 2


def _count(name: str, outcome: str) -> None:
    key = f"{STATS_PREFIX}{name}:{outcome}"
    store = _store()
    try:
        store.incr(key)
    except ValueError:
        if not store.add(key, 1, timeout=None):
            store.incr(key)


NAMES_KEY = "fragment-stats-names"


def _remember_name(name: str) -> None:
    store = _store()
    names = store.get(NAMES_KEY) or []
    if name not in names:
        store.set(NAMES_KEY, sorted({*names, name}), timeout=None)


def stats() -> dict[str, dict[str, int]]:
    """Hits and misses per fragment name, counted in the cache by every app server."""
    store = _store()
    names = store.get(NAMES_KEY) or []
    keys = [f"{STATS_PREFIX}{name}:{outcome}" for name in names for outcome in ("hit", "miss")]
    found = store.get_many(keys)
    return {
        name: {
            "hit": found.get(f"{STATS_PREFIX}{name}:hit", 0),
            "miss": found.get(f"{STATS_PREFIX}{name}:miss", 0),
        }
        for name in names
    }


def _key(name: str, parts: tuple, audience: str, path: str, versions: list[int]) -> str:
    raw = "\x1f".join(str(part) for part in (FORMAT, name, *parts, path, audience, get_language(), *versions))
    return "fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def content(
    request,
    template: str,
    *parts,
    audience: str | Callable[[], str],
    depends: Iterable[str],
    context: Callable[[], dict],
) -> SafeString:
    """The `content` partial of `template` for `audience`, as current as the tags it `depends`
    on; `context` runs only on a miss, so nothing it selects is read when the fragment is cached.

    `audience` must name everything about the viewer that changes what the partial shows (a
    function when naming it costs a query: it runs only when the cache is used).
    """
    name = template

    def render(holes: _Holes | None) -> str:
        data = context()
        if holes is not None:
            data = {**data, _HOLE_CONTEXT: holes, "csrf_token": holes.add("csrf", ())}
        return render_to_string(f"{template}#content", data, request=request)

    if not (enabled() and _available()):
        return conditional_escape(render(None))
    tags = sorted(set(depends))
    try:
        who = audience() if callable(audience) else audience
        versions, pending = _versions(tags)
        key = _key(name, parts, who, request.get_full_path(), versions)
        # The member who just wrote sees their own new comment at once: rendered fresh (and
        # kept, so the next viewer gets it too) while a `soon` change is pending.
        fresh = pending and _wrote_recently(request)
        pieces = None if fresh else _store().get(key)
        _count(name, "miss" if pieces is None else "hit")
        if pieces is None:
            _remember_name(name)
    except CACHE_ERRORS as exc:
        _failed(exc)
        return conditional_escape(render(None))
    if pieces is None:
        holes = _Holes()
        pieces = holes.split(str(conditional_escape(render(holes))))
        try:
            _store().set(key, pieces, TIMEOUT)
        except CACHE_ERRORS as exc:
            _failed(exc)
    return _fill(request, pieces)


def cached_value(name: str, *parts, depends: Iterable[str], compute: Callable[[], object]):
    """A value shared by every viewer with the same `parts` (which must name the audience)."""
    if not (enabled() and _available()):
        return compute()
    try:
        versions, _pending = _versions(sorted(set(depends)))
        raw = "\x1f".join(str(part) for part in (name, *parts, get_language(), *versions))
        key = "value:" + hashlib.sha256(raw.encode()).hexdigest()
        value = _store().get(key)
    except CACHE_ERRORS as exc:
        _failed(exc)
        return compute()
    if value is None:
        value = compute()
        try:
            _store().set(key, value, TIMEOUT)
        except CACHE_ERRORS as exc:
            _failed(exc)
    return value
