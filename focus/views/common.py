"""The answers every focus view gives the same way: a refusal, a form sent twice."""

from __future__ import annotations

from typing import NoReturn

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _


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
