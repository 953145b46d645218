"""Discussions and comments: a discussion's pages, a comment's address, write, reply, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from focus import policies, selectors, services
from focus.caching import area_tag
from focus.forms import CommentForm
from focus.views.common import already_sent, audience, refuse
from komdir.lib import events, fragments, kept


def flag_threads(user, threads, *, case=None):
    """Permission flags for each comment, computed here so templates never ask (or query)."""
    for comment in threads:
        for item in [comment, *comment.thread_replies]:
            if case is not None:
                item.case = case
            item.can_edit = policies.comments.can_edit(user, item)
            # What the author may do: a page shared by many shows it to the author alone.
            item.author_can_edit = policies.comments.can_edit(item.author, item)
            item.author_can_delete = policies.comments.can_delete(item.author, item)
            item.can_delete = policies.comments.can_delete(user, item)
            item.can_report = policies.comments.can_report(user, item)
            item.can_reply = policies.comments.can_reply(user, item)
    return threads


def discussion(request, kind: str, pk: int):
    """The whole discussion of a focus area or a guiding question, a page of threads at a time."""
    target = selectors.discussion_target_get(kind=kind, pk=pk)
    if target is None:
        raise Http404
    if not policies.comments.can_list(request.user):
        raise Http404
    area = target if kind == "area" else target.focus_area
    seen_kind = "area" if kind == "area" else "question"
    events.emit_in_transaction("item_seen", user=request.user, kind=seen_kind, object_id=target.pk)
    page = request.GET.get("side")

    def context():
        page_obj = selectors.comment_thread_page(
            viewer=request.user, page=page, **({"area": area} if kind == "area" else {"question": target})
        )
        return {
            "kind": kind,
            "target": target,
            "area": area,
            "page_obj": page_obj,
            "threads": flag_threads(request.user, page_obj.object_list),
            "add_url": reverse("focus:comment_add", args=[kind, target.pk]),
            "can_comment": policies.areas.can_comment(request.user, area),
        }

    return render(
        request,
        "focus/discussion.html",
        {
            "kind": kind,
            "target": target,
            "area": area,
            "content_html": fragments.content(
                request,
                "focus/discussion.html",
                audience=audience(request),
                depends=[area_tag(area.pk)],
                context=context,
            ),
        },
    )


def _comment_location(request, comment) -> str:
    """Where `comment` is shown: the area page while its thread is among the newest there (a new
    comment written on the area page lands back on it), else its discussion's page that holds it."""
    if selectors.comment_in_area_preview(comment=comment, viewer=request.user):
        return f"{comment.focus_area.get_absolute_url()}#kommentar-{comment.pk}"
    number = selectors.comment_page_number(comment=comment, viewer=request.user)
    if comment.case_id:
        base = comment.case.get_absolute_url()
    elif comment.question_id:
        base = reverse("focus:discussion", args=["question", comment.question_id])
    else:
        base = reverse("focus:discussion", args=["area", comment.focus_area_id])
    return f"{base}{f'?side={number}' if number > 1 else ''}#kommentar-{comment.pk}"


def comment_permalink(request, pk: int):
    """A comment's lasting address (e-mails, search, the overview): sends on to its page."""
    comment = selectors.comment_get(pk=pk, viewer=request.user)
    if comment is None or not policies.comments.can_view(request.user, comment):
        raise Http404
    events.emit_in_transaction("item_seen", user=request.user, kind="comment", object_id=comment.pk)
    return redirect(_comment_location(request, comment))


def _comment_target(request, kind: str, pk: int) -> dict:
    """The thing a new comment is about: 404 if the viewer may not read it, 403 if they may
    read it but not comment (a visitor, an archived period, a draft)."""
    if kind == "case":
        case = selectors.case_get(pk=pk, viewer=request.user)
        if case is None or not policies.cases.can_comment(request.user, case):
            refuse(visible=case is not None)
        return {"case": case, "title": case.title, "url": case.get_absolute_url()}
    if kind == "area":
        area = selectors.discussion_target_get(kind="area", pk=pk)
        if area is None or not policies.areas.can_comment(request.user, area):
            refuse(visible=area is not None)
        return {"focus_area": area, "title": area.title, "url": area.get_absolute_url()}
    if kind == "question":
        question = selectors.discussion_target_get(kind="question", pk=pk)
        if question is None or not policies.areas.can_comment(request.user, question.focus_area):
            refuse(visible=question is not None)
        return {
            "question": question,
            "title": question.text,
            "url": question.get_absolute_url(),
        }
    raise Http404


def _comment_form_page(request, *, form, title, back_url, heading, status=200, comment=None):
    return render(
        request,
        "focus/comment_form.html",
        {"form": form, "target_title": title, "back_url": back_url, "heading": heading, "comment": comment},
        status=status,
    )


def _comment_sent_before(request):
    """The answer to a comment form sent again (back button, double click): the first comment."""
    if request.method != "POST":
        return None
    existing = selectors.comment_submitted(
        author=request.user,
        submission_token=request.POST.get("submission_token", ""),
        body=request.POST.get("body", ""),
    )
    if existing is None:
        return None
    return already_sent(request, existing, _comment_location(request, existing))


def _comment_resent(request, form, **target):
    """The answer to a comment form sent again after Back (a new token, the same text and target)."""
    existing = selectors.comment_resent(author=request.user, body=form.cleaned_data["body"], **target)
    if existing is None:
        return None
    return already_sent(request, existing, _comment_location(request, existing))


def comment_add(request, kind: str, pk: int):
    target = _comment_target(request, kind, pk)
    form = CommentForm(request.POST or None)
    if (sent := _comment_sent_before(request)) is not None:
        return sent
    if request.method != "POST":
        # The comment forms live on the pages; this page is where text kept over a login
        # (or a stale form) comes back to be checked and sent.
        kept.restore(request, form)
    if request.method != "POST" or not form.is_valid():
        return _comment_form_page(
            request, form=form, title=target["title"], back_url=target["url"], heading=_("Skriv en kommentar")
        )
    about = {name: target.get(name) for name in ("case", "focus_area", "question")}
    if (sent := _comment_resent(request, form, **about)) is not None:
        return sent
    comment = services.comment_add(
        author=request.user,
        body=form.cleaned_data["body"],
        submission_token=form.cleaned_data.get("submission_token", ""),
        **about,
    )
    messages.success(request, _("Din kommentar er tilføjet."))
    return redirect(_comment_location(request, selectors.comment_get(pk=comment.pk, viewer=request.user)))


def comment_or_404(request, pk: int):
    comment = selectors.comment_get(pk=pk, viewer=request.user)
    if comment is None or not policies.comments.can_view(request.user, comment):
        raise Http404
    return comment


def comment_reply(request, pk: int):
    parent = comment_or_404(request, pk)
    if not policies.comments.can_reply(request.user, parent):
        refuse(visible=True)
    form = CommentForm(request.POST or None)
    if (sent := _comment_sent_before(request)) is not None:
        return sent
    if request.method == "POST" and form.is_valid():
        if (sent := _comment_resent(request, form, parent=parent)) is not None:
            return sent
        reply = services.comment_add(
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            submission_token=form.cleaned_data.get("submission_token", ""),
        )
        messages.success(request, _("Dit svar er tilføjet."))
        return redirect(_comment_location(request, selectors.comment_get(pk=reply.pk, viewer=request.user)))
    kept.restore(request, form)
    return _comment_form_page(
        request,
        form=form,
        title=parent.author.get_full_name(),
        back_url=parent.get_absolute_url(),
        heading=_("Svar på kommentar"),
        comment=parent,
    )


def comment_edit(request, pk: int):
    comment = comment_or_404(request, pk)
    if not policies.comments.can_edit(request.user, comment):
        refuse(visible=True)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.comment_edit(comment=comment, editor=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Din kommentar er rettet."))
        return redirect(_comment_location(request, comment))
    kept.restore(request, form)
    return _comment_form_page(
        request,
        form=form,
        title=comment.author.get_full_name(),
        back_url=comment.get_absolute_url(),
        heading=_("Ret din kommentar"),
    )


def comment_delete(request, pk: int):
    comment = comment_or_404(request, pk)
    if not policies.comments.can_delete(request.user, comment):
        refuse(visible=True)
    if request.method == "POST":
        services.comment_delete(comment=comment, actor=request.user)
        messages.success(request, _("Din kommentar er slettet."))
        return redirect(_comment_location(request, comment))
    return render(request, "focus/comment_delete.html", {"comment": comment})
