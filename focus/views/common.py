"""The answers every focus view gives the same way: a refusal, a form sent twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from focus import policies
from komdir.lib import events


def refuse(*, visible: bool) -> NoReturn:
    """The one answer to an action the user may not take: 404 when they may not even see the
    object (nothing is revealed), 403 (templates/403.html) when they see it but may not act."""
    if visible:
        raise PermissionDenied
    raise Http404


def already_sent(request, result, url=None):
    """The answer to a form sent a second time: the first result, and nothing made again."""
    messages.info(
        request, _("Du har allerede sendt formularen, så vi har ikke gemt den igen. Her er det, du sendte.")
    )
    return redirect(url or result)


def audience(request, *, wrote: bool = False, extra: tuple[str, ...] = ()) -> str:
    """Who a cached page fragment is for (komdir/lib/fragments/): the kind of viewer, and the
    viewer themself when they wrote what the page is about (only they see "Ret casen"), plus
    what the apps above say changes the page for them (their circles)."""
    user = request.user
    parts = [policies.viewer_kind(user), *extra]
    if wrote:
        parts.append(f"user={user.pk}")
    return ";".join(parts)


def area_audience(request) -> tuple[Callable[[], tuple[str, ...]], list[str]]:
    """What the apps above add to an area page's key (circles: the notes it lists): a function
    naming the viewer's part of the audience (it may query), and the tags the page depends on."""
    answers = events.ask("focus.area_cache", viewer=request.user)

    def parts() -> tuple[str, ...]:
        return tuple(part for answer in answers for part in answer["audience"]())

    return parts, [tag for answer in answers for tag in answer["depends"]]
