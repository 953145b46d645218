"""Template helpers for the hand-written comment forms."""

from django import template

from focus.forms import new_submission_token
from komdir.lib import fragments

register = template.Library()


def _fill(request) -> str:
    return new_submission_token()


fragments.register_hole("submission_token", _fill)


@register.simple_tag(takes_context=True)
def submission_token(context) -> str:
    """A fresh value for a comment form's hidden `submission_token` (see CommentForm); in a
    fragment kept in the shared cache, a hole filled with a fresh value for each request."""
    placeholder = fragments.hole(context, "submission_token")
    return placeholder if placeholder is not None else new_submission_token()
