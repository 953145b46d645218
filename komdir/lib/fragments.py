"""Rendered page fragments in the shared cache (issue 9).

The expensive part of a busy page (a discussion of 300 comments, an area's cases and notes,
a filtered case list) is rendered once and kept in the shared cache (Redis in production),
so the next view costs a cache read instead of queries and template work.

Privacy first, so the key is deliberately narrow:
- one viewer: the user's pk and a hash of the CSRF secret of the browser session, so a
  fragment is only ever served to the session it was rendered for (forms in it carry that
  session's CSRF token; logging in again starts a new session and new fragments);
- the language, the page's own parts (object pks, the query string);
- the content generation: a number bumped after every write to the portal's content
  (`invalidate()`, called by the model signals connected in `connect()` and by services that
  write with `QuerySet.update()`). A hidden case, a new comment, a changed membership or a
  deactivated user therefore never shows in a fragment rendered before it.
Time-dependent text (upcoming meetings) is bounded by TIMEOUT.

Where: fragments live in their own cache alias, `fragments` (settings.CACHES, built
by komdir.env.cache_config), never in `default`, where allauth keeps its rate limits and the
two-factor replay guard, so no amount of page views can evict a security counter. Only
logged-in viewers get cached fragments: an anonymous visitor has no session to key them on, so
every cookie-less visit would mint a row of its own; their pages render uncached.

A cache that does not answer (Redis down) is not an error: the page renders uncached, the
cache is left alone for KOMDIR_CACHE_RETRY_SECONDS, and after that it is tried again. Writes
made meanwhile could not bump the content generation, so the first answer after the outage
starts a new generation before anything is read back.

Permission checks are never cached: views look up the object and decide 404 first, then ask
for the fragment.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from redis.exceptions import RedisError

logger = logging.getLogger("komdir")

ALIAS = "fragments"
# What a cache that does not answer raises (the database cache fails with the database).
CACHE_ERRORS = (RedisError,)
GENERATION_KEY = "content-generation"
TIMEOUT = 300

# Writes that change nothing any page shows (bookkeeping), so they keep the fragments.
_QUIET_MODELS = {
    ("overview", "digestlog"),
    ("notifications", "notificationsettings"),
    # What a member has seen changes only their own overview, whose key follows it.
    ("overview", "seenitem"),
    ("circles", "calendartoken"),
}
# App labels, not imports: the library knows no app. A follow changes the buttons on pages.
_CONTENT_APPS = {"members", "focus", "circles", "taggit", "account", "notifications", "overview"}


def enabled() -> bool:
    return getattr(settings, "KOMDIR_FRAGMENT_CACHE", True)


def _store():
    return caches[ALIAS]


class _Outage:
    """This process's view of the fragment cache: when to try it again, and whether a
    write's generation bump may have been lost while it did not answer."""

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


def _new_generation() -> int:
    # A clock value, so a generation lost from the cache never comes back as an old number.
    value = time.time_ns()
    _store().set(GENERATION_KEY, value, timeout=None)
    return value


def generation() -> int:
    if _Outage.bump_lost:
        # Back after an outage: writes made meanwhile may not have bumped the generation.
        value = _new_generation()
        _Outage.bump_lost = False
        return value
    store = _store()
    value = store.get(GENERATION_KEY)
    if value is None:
        store.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = store.get(GENERATION_KEY, 0)
    return value


def _bump() -> None:
    if not _available():
        _Outage.bump_lost = True
        return
    try:
        try:
            _store().incr(GENERATION_KEY)
        except ValueError:
            _new_generation()
    except CACHE_ERRORS as exc:
        _failed(exc)


def invalidate() -> None:
    """Every fragment rendered so far is stale.

    Bumped now (later reads in this transaction see the change) and again after commit, so a
    page rendered by another request between the two from the old rows is not kept.
    """
    _bump()
    transaction.on_commit(_bump)


def _key(request, name: str, parts: tuple) -> str:
    user = getattr(request, "user", None)
    get_token(request)  # makes sure the session has a CSRF secret (set in META by get_token)
    secret = request.META.get("CSRF_COOKIE", "")
    raw = "\x1f".join(
        str(part)
        for part in (
            name,
            *parts,
            generation(),
            get_language(),
            user.pk if user is not None and user.is_authenticated else "-",
            secret,
        )
    )
    return "fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def _has_session(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def cached(request, name: str, *parts, render: Callable[[], str], timeout: int = TIMEOUT) -> SafeString:
    """The fragment `name` for this request's viewer, rendered by `render()` when not cached."""
    # render() returns template output (a SafeString); anything else would be escaped here.
    if not (enabled() and _has_session(request) and _available()):
        return conditional_escape(render())
    try:
        key = _key(request, name, parts)
        html = _store().get(key)
    except CACHE_ERRORS as exc:
        _failed(exc)
        return conditional_escape(render())
    if html is None:
        html = conditional_escape(render())
        try:
            _store().set(key, html, timeout)
        except CACHE_ERRORS as exc:
            _failed(exc)
    return html


def content(request, template: str, *parts, context: Callable[[], dict]) -> SafeString:
    """The `content` partial of `template` for this viewer, cached; `context` runs only on a miss,
    so nothing it selects is read when the fragment is in the cache."""
    return cached(
        request,
        template,
        *parts,
        render=lambda: render_to_string(f"{template}#content", context(), request=request),
    )


def cached_value(name: str, *parts, compute: Callable[[], object], timeout: int = TIMEOUT):
    """A value shared by every viewer with the same `parts` (which must name the audience)."""
    if not (enabled() and _available()):
        return compute()
    try:
        raw = "\x1f".join(str(part) for part in (name, *parts, generation(), get_language()))
        key = "value:" + hashlib.sha256(raw.encode()).hexdigest()
        value = _store().get(key)
    except CACHE_ERRORS as exc:
        _failed(exc)
        return compute()
    if value is None:
        value = compute()
        try:
            _store().set(key, value, timeout)
        except CACHE_ERRORS as exc:
            _failed(exc)
    return value


def _on_write(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in _CONTENT_APPS:
        return
    if (meta.app_label, meta.model_name) in _QUIET_MODELS:
        return
    invalidate()


def connect() -> None:
    post_save.connect(_on_write, dispatch_uid="komdir-fragments-save")
    post_delete.connect(_on_write, dispatch_uid="komdir-fragments-delete")
    m2m_changed.connect(_on_write, dispatch_uid="komdir-fragments-m2m")
