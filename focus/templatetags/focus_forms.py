"""Template helpers for the hand-written comment forms and a comment's actions."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from focus.forms import new_submission_token
from komdir.lib import fragments

register = template.Library()


def _actions_html(pk: int, *, can_edit: bool, can_delete: bool, can_report: bool) -> str:
    """The list under a comment (built here, not in a template: a discussion has hundreds)."""
    links = []
    if can_edit:
        links.append((reverse("focus:comment_edit", args=[pk]), _("Ret")))
    if can_delete:
        links.append((reverse("focus:comment_delete", args=[pk]), _("Slet")))
    if can_report:
        links.append((reverse("focus:report", args=["comment", pk]), _("Indberet til sekretariatet")))
    if not links:
        return ""
    items = format_html_join("", '<li><a href="{}">{}</a></li>', links)
    return format_html('<ul class="komdir-comment-actions">{}</ul>', items)


def _fill_submission_token(request) -> str:
    return new_submission_token()


def _fill_actions(request, pk: int, author_id: int, author_may: tuple[bool, bool], can_report: bool) -> str:
    # The page was rendered for the viewer's audience (can_report is theirs); only the author
    # edits and deletes, and `author_may` is the comment policy's answer for the author.
    own = getattr(request.user, "pk", None) == author_id
    can_edit, can_delete = (own and author_may[0]), (own and author_may[1])
    return _actions_html(pk, can_edit=can_edit, can_delete=can_delete, can_report=can_report)


fragments.register_hole("submission_token", _fill_submission_token)
fragments.register_hole("comment_actions", _fill_actions)


@register.simple_tag(takes_context=True)
def submission_token(context) -> str:
    """A fresh value for a comment form's hidden `submission_token` (see CommentForm); in a
    fragment kept in the shared cache, a hole filled with a fresh value for each request."""
    placeholder = fragments.hole(context, "submission_token")
    return placeholder if placeholder is not None else new_submission_token()


@register.simple_tag(takes_context=True)
def comment_actions(context, item) -> str:
    """ "Ret", "Slet" and "Indberet" under a comment, as flagged by focus.views.flag_threads.
    In a shared fragment, a hole: only the author sees "Ret" and "Slet", whoever else shares
    the page."""
    placeholder = fragments.hole(
        context,
        "comment_actions",
        item.pk,
        item.author_id,
        (item.author_can_edit, item.author_can_delete),
        item.can_report,
    )
    if placeholder is not None:
        return placeholder
    return _actions_html(
        item.pk, can_edit=item.can_edit, can_delete=item.can_delete, can_report=item.can_report
    )
