"""Rendered page content shared by everyone who sees the same thing (issue 15).

The expensive part of a busy page (a discussion of 300 comments, an area's cases and notes, a
filtered case list) is rendered once per *audience* and kept in the shared cache (Redis in
production) until the *objects it shows* change. Two members who see the same page share one
entry; a comment on one case refreshes that case's page, its area and the lists, nothing else.

A key is made of
- the page: the fragment's name, its parts (object pks, the query string) and the path;
- the audience, which the view states with the policies' words: "visitor", "member",
  "secretariat", plus whatever else changes what the page shows to someone (their circles, or
  their own pk when they wrote something on it — only the author sees "Ret" and "Slet");
- the language;
- the versions of the tags it depends on ("focus.case:13", "focus.cases", …). A write bumps the
  tags of what it changed (`touch()`), from the model signals each app registers with `watch()`
  and from services that write with `QuerySet.update()`; a write to a model no app described
  makes every fragment stale (`invalidate()`), the safe default.

What differs per request never enters the cache. A fragment holds *holes* where a template tag
asked for one (`hole()`): the CSRF token, a form's submission token, a follow button. They are
filled for each request from the request itself, so a cached fragment carries no one's token
and no one's follow state.

Fragments live in their own cache alias, `fragments` (komdir.env.cache_config), never in
`default`, where allauth keeps rate limits and the two-factor replay guard. A cache that does
not answer (Redis down) is not an error: the page renders uncached, the cache is left alone for
KOMDIR_CACHE_RETRY_SECONDS, and after that it starts a new epoch (every version read back is
new), because writes made meanwhile could not bump their tags.

Permission checks are never cached: views look up the object and decide 404 first, then ask for
the fragment. Hits and misses are counted per fragment name in the cache (`stats()`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from redis.exceptions import RedisError

logger = logging.getLogger("komdir")

ALIAS = "fragments"
# What a cache that does not answer raises (the database cache fails with the database).
CACHE_ERRORS = (RedisError,)
EPOCH_KEY = "content-generation"
TIMEOUT = 300
STATS_PREFIX = "fragment-stats:"
# Part of every key: raise it when what a cached fragment holds changes shape (a hole's
# arguments), so a new release never fills an old release's pieces.
FORMAT = 2
# Rules for `watch()`: a write that changes nothing any cached page shows, and one whose reach
# is too wide to name (every fragment is stale).
QUIET = ()
EVERYTHING = "everything"

TagsFor = Callable[..., Iterable[str | None]]


def enabled() -> bool:
    return getattr(settings, "KOMDIR_FRAGMENT_CACHE", True)


def _store():
    return caches[ALIAS]


class _Outage:
    """This process's view of the fragment cache: when to try it again, and whether a write's
    bump may have been lost while it did not answer."""

    lock = threading.Lock()
    retry_at = 0.0
    bump_lost = False


def _available() -> bool:
    return time.monotonic() >= _Outage.retry_at


def _failed(exc: Exception) -> None:
    with _Outage.lock:
        _Outage.retry_at = time.monotonic() + getattr(settings, "KOMDIR_CACHE_RETRY_SECONDS", 5)
        _Outage.bump_lost = True
    logger.warning("fragment cache unavailable, pages render uncached: %s", exc)


def _version_key(tag: str) -> str:
    return f"version:{tag}"


def _versions(tags: list[str]) -> list[int]:
    """The current version of the epoch and of each tag; a tag never bumped starts now (a clock
    value, so a version lost from the cache never comes back as an old number)."""
    store = _store()
    if _Outage.bump_lost:
        # Back after an outage: writes made meanwhile may not have bumped their tags.
        store.set(EPOCH_KEY, time.time_ns(), timeout=None)
        _Outage.bump_lost = False
    keys = [EPOCH_KEY, *(_version_key(tag) for tag in tags)]
    found = store.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        store.add(key, time.time_ns(), timeout=None)
    if missing:
        found.update(store.get_many(missing))
    return [found.get(key, 0) for key in keys]


def _bump(keys: list[str]) -> None:
    if not _available():
        _Outage.bump_lost = True
        return
    store = _store()
    try:
        for key in keys:
            try:
                store.incr(key)
            except ValueError:
                store.set(key, time.time_ns(), timeout=None)
    except CACHE_ERRORS as exc:
        _failed(exc)


def _bump_now_and_after_commit(keys: list[str]) -> None:
    # Bumped now (later reads in this transaction see the change) and again after commit, so a
    # page rendered by another request between the two from the old rows is not kept.
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def touch(*tags: str) -> None:
    """Every fragment that depends on one of `tags` is stale."""
    keys = sorted({_version_key(tag) for tag in tags})
    if keys:
        _bump_now_and_after_commit(keys)


def invalidate() -> None:
    """Every fragment rendered so far is stale (a write whose reach no app described)."""
    _bump_now_and_after_commit([EPOCH_KEY])


# Holes: what a fragment leaves to be filled per request.

_HOLE_CONTEXT = "_fragment_holes"
_fillers: dict[str, Callable[..., str]] = {}


class _Holes:
    """The holes of one render: a nonce no content can guess, and each hole's name and args."""

    def __init__(self):
        self.nonce = secrets.token_hex(8)
        self.items: list[tuple[str, tuple]] = []
        self.pattern = re.compile(f"<!--hole:{self.nonce}:(\\d+)-->")

    def add(self, name: str, args: tuple) -> SafeString:
        self.items.append((name, args))
        return mark_safe(f"<!--hole:{self.nonce}:{len(self.items) - 1}-->")  # noqa: S308 - our own marker

    def split(self, html: str) -> list:
        """`html` as a list of strings and (name, args) holes, as it is kept in the cache."""
        pieces: list = []
        position = 0
        for match in self.pattern.finditer(html):
            pieces.append(html[position : match.start()])
            pieces.append(self.items[int(match.group(1))])
            position = match.end()
        pieces.append(html[position:])
        return pieces


def register_hole(name: str, fill: Callable[..., str]) -> None:
    """`fill(request, *args)` returns the HTML of the hole `name` for this request."""
    _fillers[name] = fill


def in_fragment(context) -> bool:
    """Whether `context` renders a fragment for the cache (where holes are made)."""
    return context.get(_HOLE_CONTEXT) is not None


def hole(context, name: str, *args) -> SafeString | None:
    """In a fragment being rendered for the cache: a hole filled per request by the filler
    registered as `name`. Anywhere else: None, and the tag renders as it always does."""
    holes = context.get(_HOLE_CONTEXT)
    if holes is None:
        return None
    return holes.add(name, args)


def _fill(request, pieces: list) -> SafeString:
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        else:
            name, args = piece
            out.append(str(_fillers[name](request, *args)))
    return mark_safe("".join(out))  # noqa: S308 - every piece was rendered by a template or a filler


def csrf_token(request) -> str:
    # `{% csrf_token %}` renders the hole inside its input's value; a masked token of this
    # request's session fills it, masked once for all the page's forms (masking draws 32
    # random characters; a discussion has a form per comment).
    token = getattr(request, "_fragment_csrf_token", None)
    if token is None:
        token = request._fragment_csrf_token = conditional_escape(get_token(request))
    return token


register_hole("csrf", csrf_token)


# The cache itself.


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
        key = _key(name, parts, who, request.get_full_path(), _versions(tags))
        pieces = _store().get(key)
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
        versions = _versions(sorted(set(depends)))
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


# Which writes refresh what: each app describes its own models.

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
