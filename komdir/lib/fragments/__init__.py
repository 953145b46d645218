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

New things may reach the *lists* a little late, never anything else: a rule may name a tag as
`soon(tag)` for a write that only adds (a new comment). Its fragments stay in use for up to
KOMDIR_FRAGMENT_SOON_SECONDS after the write (one re-render per list per window, however many
comments a second arrive), except for the member who wrote it, who sees every page fresh while
a change is pending (`note_write()`, on each of their successful POSTs). Edits, removals and
hiding are never `soon`: they leave every page at once. The object's own page (a case, a
discussion) never depends on a `soon` tag.

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

from komdir.lib.fragments.cache import FORMAT, TIMEOUT, cached_value, content, stats
from komdir.lib.fragments.holes import csrf_token, hole, in_fragment, register_hole
from komdir.lib.fragments.rules import EVERYTHING, QUIET, connect, watch
from komdir.lib.fragments.versions import (
    ALIAS,
    CACHE_ERRORS,
    SOON_SECONDS,
    WROTE_AT_KEY,
    Soon,
    enabled,
    invalidate,
    note_write,
    soon,
    soon_seconds,
    touch,
)

__all__ = [
    "ALIAS",
    "CACHE_ERRORS",
    "EVERYTHING",
    "FORMAT",
    "QUIET",
    "SOON_SECONDS",
    "TIMEOUT",
    "WROTE_AT_KEY",
    "Soon",
    "cached_value",
    "connect",
    "content",
    "csrf_token",
    "enabled",
    "hole",
    "in_fragment",
    "invalidate",
    "note_write",
    "register_hole",
    "soon",
    "soon_seconds",
    "stats",
    "touch",
    "watch",
]
