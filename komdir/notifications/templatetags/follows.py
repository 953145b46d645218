"""`{% follow_button obj kind %}`: the follow / unfollow button of a page.

The member's follows are read once per request (cached on the user object), so any number
of buttons on a page cost one query. In a page fragment kept in the shared cache the button is
a hole, filled for each request (komdir/lib/fragments/): the cache never holds anyone's
follow state or token.
"""

from dataclasses import dataclass

from django import template
from django.template.loader import render_to_string

from komdir.lib import fragments
from komdir.notifications.selectors import is_following
from members.policies import is_member

register = template.Library()
TEMPLATE = "includes/follow_button.html"


@dataclass(frozen=True)
class _Followed:
    """What the button needs of the followed object, kept in a cached fragment's hole."""

    pk: int
    label: str
    author_id: int | None = None

    def __str__(self) -> str:
        return self.label


def _button(request, kind: str, obj) -> dict:
    user = getattr(request, "user", None)
    if obj is None or user is None or not is_member(user):
        return {"show": False}
    return {
        "show": True,
        "kind": kind,
        "obj": obj,
        "following": is_following(user, kind=kind, obj=obj),
        "next": request.get_full_path(),
    }


def _fill(request, kind: str, pk: int, label: str, author_id: int | None) -> str:
    # Rendered without the request's context processors (the button needs none of them): only
    # the CSRF token, masked once for the page's forms.
    context = _button(request, kind, _Followed(pk, label, author_id))
    if context["show"]:
        context["csrf_token"] = fragments.csrf_token(request)
    return render_to_string(TEMPLATE, context)


fragments.register_hole("follow", _fill)


@register.simple_tag(takes_context=True)
def follow_button(context, obj, kind: str):
    if obj is not None:
        author_id = getattr(obj, "author_id", None)
        placeholder = fragments.hole(context, "follow", kind, obj.pk, str(obj), author_id)
        if placeholder is not None:
            return placeholder
    request = context.get("request")
    return render_to_string(TEMPLATE, _button(request, kind, obj), request=request)
