"""Template helpers for the hand-written comment forms."""

from django import template

from focus.forms import new_submission_token

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    """A fresh value for a comment form's hidden `submission_token` (see CommentForm)."""
    return new_submission_token()
