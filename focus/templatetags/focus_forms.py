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


def _fill_actions(request, author_id: int, for_author: str, for_others: str) -> str:
    # Both answers were built when the fragment was rendered for the viewer's audience (whether
    # they may report is the audience's): only the comment's author sees Ret and Slet.
    return for_author if getattr(request.user, "pk", None) == author_id else for_others


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
    if fragments.in_fragment(context):
        # `author_can_*` is the comment policy's answer for the author (focus.views.flag_threads).
        for_author = _actions_html(
            item.pk,
            can_edit=item.author_can_edit,
            can_delete=item.author_can_delete,
            can_report=item.can_report,
        )
        for_others = _actions_html(item.pk, can_edit=False, can_delete=False, can_report=item.can_report)
        return fragments.hole(context, "comment_actions", item.author_id, for_author, for_others)
    return _actions_html(
        item.pk, can_edit=item.can_edit, can_delete=item.can_delete, can_report=item.can_report
    )
