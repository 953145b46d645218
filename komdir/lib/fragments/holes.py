"""Holes: what a cached fragment leaves to be filled per request (tokens, follow buttons, counts)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from django.middleware.csrf import get_token
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_HOLE_CONTEXT = "_fragment_holes"
_fillers: dict[str, Callable[..., str]] = {}
_batched: set[str] = set()


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


def register_hole(name: str, fill: Callable[..., str], *, batch: bool = False) -> None:
    """`fill(request, *args)` returns the HTML of the hole `name` for this request; with
    `batch`, `fill(request, [args, …])` returns the HTML of every such hole of the page at
    once, in order (one query for a list's worth of holes)."""
    _fillers[name] = fill
    if batch:
        _batched.add(name)
    else:
        _batched.discard(name)


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
    batches: dict[str, list[tuple]] = {}
    for piece in pieces:
        if not isinstance(piece, str) and piece[0] in _batched:
            batches.setdefault(piece[0], []).append(piece[1])
    filled = {name: iter(_fillers[name](request, args)) for name, args in batches.items()}
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
        else:
            name, args = piece
            out.append(str(next(filled[name]) if name in filled else _fillers[name](request, *args)))
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
