"""Tags and their versions: what a write makes stale, at once or `soon`, and the cache's outages."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger("komdir")

ALIAS = "fragments"
# What a cache that does not answer raises (the database cache fails with the database).
CACHE_ERRORS = (RedisError,)
EPOCH_KEY = "content-generation"
# How long a `soon` tag's fragments may go on showing what was there before a new object.
SOON_SECONDS = 60
# The session's note of its user's last successful POST (`note_write()`).
WROTE_AT_KEY = "komdir_wrote_at"


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


def _pending_key(tag: str) -> str:
    return f"pending:{tag}"


def soon_seconds() -> float:
    return getattr(settings, "KOMDIR_FRAGMENT_SOON_SECONDS", SOON_SECONDS)


def _versions(tags: list[str]) -> tuple[list[int], bool]:
    """The current version of the epoch and of each tag, and whether a `soon` change to one of
    them is still pending. A tag never bumped starts now (a clock value, so a version lost
    from the cache never comes back as an old number); a pending change older than
    `soon_seconds()` is made a bump here, by whichever request sees it first."""
    store = _store()
    if _Outage.bump_lost:
        # Back after an outage: writes made meanwhile may not have bumped their tags.
        store.set(EPOCH_KEY, time.time_ns(), timeout=None)
        _Outage.bump_lost = False
    keys = [EPOCH_KEY, *(_version_key(tag) for tag in tags)]
    pending_keys = [_pending_key(tag) for tag in tags]
    found = store.get_many([*keys, *pending_keys])
    pending = False
    due = time.time() - soon_seconds()
    for tag, pending_key in zip(tags, pending_keys, strict=True):
        since = found.get(pending_key)
        if since is None:
            continue
        if since > due:
            pending = True
        elif store.delete(pending_key):
            # This request took the pending change: it becomes the tag's next version.
            found.pop(_version_key(tag), None)
            _bump([_version_key(tag)])
        else:
            found.pop(_version_key(tag), None)  # another request took it: read what it made
    missing = [key for key in keys if key not in found]
    for key in missing:
        store.add(key, time.time_ns(), timeout=None)
    if missing:
        found.update(store.get_many(missing))
    return [found.get(key, 0) for key in keys], pending


def _write(keys: list[str], write) -> None:
    """`write(store, key)` for each of `keys`; a cache that does not answer loses the write,
    which the next epoch makes up for (see `_versions`)."""
    if not _available():
        _Outage.bump_lost = True
        return
    store = _store()
    try:
        for key in keys:
            write(store, key)
    except CACHE_ERRORS as exc:
        _failed(exc)


def _incr(store, key: str) -> None:
    try:
        store.incr(key)
    except ValueError:
        store.set(key, time.time_ns(), timeout=None)


def _bump(keys: list[str]) -> None:
    _write(keys, _incr)


def _bump_now_and_after_commit(keys: list[str]) -> None:
    # Bumped now (later reads in this transaction see the change) and again after commit, so a
    # page rendered by another request between the two from the old rows is not kept.
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


class Soon(str):
    """A tag whose fragments may show a new object up to `soon_seconds()` late (see above)."""


def soon(tag: str) -> Soon:
    return Soon(tag)


def touch(*tags: str) -> None:
    """Every fragment that depends on one of `tags` is stale; for a `soon(tag)`, within
    `soon_seconds()` after the commit (the same tag named plainly as well: at once)."""
    now = {tag for tag in tags if not isinstance(tag, Soon)}
    keys = sorted(_version_key(tag) for tag in now)
    if keys:
        _bump_now_and_after_commit(keys)
    later = sorted({_pending_key(tag) for tag in tags if isinstance(tag, Soon) and tag not in now})
    if later:
        # Marked now and after commit, as bumps are (the first mark's time is what counts).
        _mark_pending(later)
        transaction.on_commit(lambda: _mark_pending(later))


def _mark_pending(keys: list[str]) -> None:
    at = time.time()
    _write(keys, lambda store, key: store.add(key, at, timeout=None))  # the first mark's time stays


def note_write(request) -> None:
    """`request` (a member's successful POST) wrote something: while a `soon` change is pending,
    this member's pages are rendered fresh, so they see their own comment in every list."""
    request.session[WROTE_AT_KEY] = int(time.time())


def _wrote_recently(request) -> bool:
    # Only a logged-in member writes: a visitor's session is never read for this.
    session = getattr(request, "session", None)
    if session is None or not getattr(getattr(request, "user", None), "is_authenticated", False):
        return False
    at = session.get(WROTE_AT_KEY)
    return at is not None and time.time() - at <= soon_seconds()


def invalidate() -> None:
    """Every fragment rendered so far is stale (a write whose reach no app described)."""
    _bump_now_and_after_commit([EPOCH_KEY])
