"""A note's page: the notes, and what the meeting ended in (decisions, actions), the draft's
review (sharing, comments) and the forms of those who may add to it."""

from __future__ import annotations

from django.shortcuts import render

from circles import policies, selectors
from circles.decisions import selectors as decision_selectors
from circles.decisions.forms import NoteCommentForm, ShareForm


def note_page(request, note, *, forms: dict | None = None, status: int = 200):
    viewer = request.user
    forms = forms or {}
    can_edit = policies.notes.can_edit(viewer, note)
    context = {
        "note": note,
        "meeting": note.meeting,
        "can_edit": can_edit,
        "can_remove_attachments": policies.notes.can_delete(viewer, note),
        "can_share": policies.notes.can_share(viewer, note),
        "can_comment_draft": policies.notes.can_comment_draft(viewer, note),
        **selectors.note_detail_data(note=note),
        **decision_selectors.note_items(note=note, viewer=viewer),
    }
    if context["can_share"]:
        initial = {"until": note.comments_last_day}
        context["share_form"] = forms.get("share_form") or ShareForm(initial=initial)
    if context["can_comment_draft"] or "comment_form" in forms:
        # A comment sent just after the deadline comes back with its text and why.
        context["comment_form"] = forms.get("comment_form") or NoteCommentForm()
    return render(request, "circles/note_detail.html", context, status=status)
