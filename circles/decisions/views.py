"""The writes on a note's page. Each answers with the note's page: a redirect when it worked, the
page again with the form and what was typed when it did not."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from circles import selectors as circle_selectors
from circles import services as circle_services
from circles.decisions import services
from circles.decisions.forms import ActionForm, DecisionForm, NoteCommentForm, ShareForm
from circles.decisions.models import ActionItem, Decision
from circles.decisions.pages import note_page
from circles.decisions.policies import actions as action_policy
from circles.decisions.policies import decisions as decision_policy
from circles.policies import notes as note_policy
from komdir.lib.dates import end_of_day


def _note_or_404(request, pk: int):
    note = circle_selectors.note_get(pk=pk, viewer=request.user)
    if note is None:
        raise Http404
    return note


def _again(request, note, **forms):
    """The note's page with the form that failed and what was typed."""
    return note_page(request, note, forms=forms, status=400)


def decision_add(request, pk: int):
    note = _note_or_404(request, pk)
    if not decision_policy.can_create(request.user, note):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.decision_add(actor=request.user, note=note, **form.cleaned_data)
        messages.success(request, _("Beslutningen er tilføjet referatet."))
        return redirect(note)
    status = 400 if request.method == "POST" else 200
    return render(request, "circles/decision_form.html", {"form": form, "note": note}, status=status)


@require_POST
def decision_delete(request, pk: int):
    decision = Decision.objects.select_related("note__meeting").filter(pk=pk).first()
    if decision is None or not note_policy.can_view(request.user, decision.note):
        raise Http404
    services.decision_delete(actor=request.user, decision=decision)
    messages.success(request, _("Beslutningen er fjernet fra referatet."))
    return redirect(decision.note)


def action_add(request, pk: int):
    note = _note_or_404(request, pk)
    if not action_policy.can_create(request.user, note):
        raise PermissionDenied
    form = ActionForm(request.POST or None, owners=services.owner_candidates(note))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(actor=request.user, note=note, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Handlingen er tilføjet referatet."))
            return redirect(note)
    status = 400 if request.method == "POST" else 200
    return render(request, "circles/action_form.html", {"form": form, "note": note}, status=status)


def _action_or_404(request, pk: int) -> ActionItem:
    action = ActionItem.objects.select_related("note__meeting", "owner").filter(pk=pk).first()
    if action is None or not action_policy.can_view(request.user, action):
        raise Http404
    return action


@require_POST
def action_done(request, pk: int):
    action = _action_or_404(request, pk)
    done = request.POST.get("done") != "0"
    services.action_set_done(actor=request.user, action=action, done=done)
    messages.success(
        request, _("Handlingen er markeret som udført.") if done else _("Handlingen er åben igen.")
    )
    return redirect(request.POST.get("next") if request.POST.get("next") == "/overblik/" else action.note)


@require_POST
def action_delete(request, pk: int):
    action = _action_or_404(request, pk)
    services.action_delete(actor=request.user, action=action)
    messages.success(request, _("Handlingen er fjernet fra referatet."))
    return redirect(action.note)


@require_POST
def note_share(request, pk: int):
    note = _note_or_404(request, pk)
    if not note_policy.can_share(request.user, note):
        raise PermissionDenied
    form = ShareForm(request.POST)
    if form.is_valid():
        until = end_of_day(form.cleaned_data["until"])
        try:
            circle_services.note_share(actor=request.user, note=note, until=until)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Udkastet er delt med mødets deltagere. De får besked på e-mail."))
            return redirect(note)
    return _again(request, note, share_form=form)


@require_POST
def note_comment(request, pk: int):
    note = _note_or_404(request, pk)
    form = NoteCommentForm(request.POST)
    if not note_policy.can_comment_draft(request.user, note):
        # Sent just after the deadline or the approval: the text comes back with why.
        if note.is_published:
            why = _("Referatet er godkendt, så der kan ikke længere kommenteres. Din tekst er ikke gemt.")
        elif note.is_shared_for_comments:
            why = _("Fristen for kommentarer er udløbet, så din kommentar er ikke gemt.")
        else:
            raise PermissionDenied
        form.is_valid()
        form.add_error(None, why)
        return _again(request, note, comment_form=form)
    if form.is_valid():
        services.note_comment_add(author=request.user, note=note, body=form.cleaned_data["body"])
        messages.success(request, _("Din kommentar er gemt. Kredsformanden og mødets deltagere kan se den."))
        return redirect(note)
    return _again(request, note, comment_form=form)
