"""`{% follow_button obj kind %}`: the follow / unfollow button of a page.

The member's follows are read once per request (cached on the user object), so any number
of buttons on a page cost one query.
"""

from django import template

from komdir.notifications.selectors import is_following
from members.policies import is_member

register = template.Library()


@register.inclusion_tag("includes/follow_button.html", takes_context=True)
def follow_button(context, obj, kind: str):
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None or not is_member(user):
        return {"show": False}
    return {
        "show": True,
        "kind": kind,
        "obj": obj,
        "following": is_following(user, kind=kind, obj=obj),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
