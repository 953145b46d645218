"""Which pages a visitor may open, marked on the view itself.

Every page needs a login (Django's LoginRequiredMiddleware, see komdir.middleware) unless its view
is marked `public`. A public page that also shows members' content (a case page serves public
cases to everyone and members-only cases to members) is marked `public_with_members_content`: a
visitor's 404 or 403 there asks them to log in instead, so nothing is revealed and they land on
the page after logging in.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required

MEMBERS_CONTENT = "komdir_members_content"


def public(view: Callable) -> Callable:
    return login_not_required(view)


def public_with_members_content(view: Callable) -> Callable:
    view = login_not_required(view)
    setattr(view, MEMBERS_CONTENT, True)
    return view


def is_for_members(view: Callable | None) -> bool:
    """Whether a visitor who is refused on this view should be asked to log in."""
    if view is None:
        return False
    return getattr(view, "login_required", True) or getattr(view, MEMBERS_CONTENT, False)
