"""The consultations' pages (høringer): selector → policy → form → service → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from focus.voice import selectors, services
from focus.voice.forms import ConsultationForm, InputForm, SentForm
from focus.voice.models import Consultation
from focus.voice.policies import consultations as policy
from focus.voice.policies import positions as position_policy
from komdir.lib import kept
from komdir.lib.markdown import render_markdown


def _consultation_or_404(request, pk: int) -> Consultation:
    consultation = selectors.consultation_get(pk=pk, viewer=request.user)
    if consultation is None:
        raise Http404
    return consultation


def consultation_list(request):
    year = request.GET.get("aar", "")
    wanted = int(year) if len(year) == 4 and year.isascii() and year.isdigit() and year[0] != "0" else None
    data = selectors.consultation_list(viewer=request.user, year=wanted)
    return render(
        request, "voice/consultation_list.html", {**data, "can_create": policy.can_create(request.user)}
    )


def _detail(request, consultation: Consultation, *, input_form=None, sent_form=None, status=200):
    viewer = request.user
    # The response is a position: a draft only for the secretariat (or the members it is opened to).
    response = getattr(consultation, "response", None)
    if response is not None and not position_policy.can_view(viewer, response):
        response = None
    context = {
        "consultation": consultation,
        "body_html": render_markdown(consultation.body),
        "inputs": selectors.consultation_inputs(consultation=consultation, viewer=viewer),
        "response": response,
        "can_edit": policy.can_edit(viewer, consultation),
        "can_respond": policy.can_respond(viewer, consultation),
    }
    if policy.can_give_input(viewer, consultation) or input_form is not None:
        context["input_form"] = input_form or InputForm()
    if context["can_edit"] and consultation.sent_on is None:
        context["sent_form"] = sent_form or SentForm()
    return render(request, "voice/consultation_detail.html", context, status=status)


def consultation_detail(request, pk: int, slug: str):
    consultation = _consultation_or_404(request, pk)
    if slug != consultation.slug:
        return redirect(consultation, permanent=True)
    if request.method != "POST":
        return _detail(request, consultation)
    form = InputForm(request.POST)
    if not policy.can_give_input(request.user, consultation):
        form.is_valid()
        form.add_error(None, _("Fristen for input er udløbet, så dit input er ikke gemt."))
        return _detail(request, consultation, input_form=form, status=400)
    if form.is_valid():
        services.consultation_input_add(
            author=request.user, consultation=consultation, body=form.cleaned_data["body"]
        )
        messages.success(request, _("Tak for dit input. Sekretariatet og de andre medlemmer kan læse det."))
        return redirect(consultation)
    return _detail(request, consultation, input_form=form, status=400)


def _form_data(form) -> dict:
    data = dict(form.cleaned_data)
    return {"focus_areas": data.pop("focus_areas"), **data}


def consultation_create(request):
    if not policy.can_create(request.user):
        raise PermissionDenied
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(actor=request.user, **_form_data(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Høringen er oprettet. Medlemmer, der følger dens fokusområder, får besked på e-mail."),
            )
            return redirect(consultation)
    kept.restore(request, form)
    status = 400 if form.errors else 200
    return render(
        request, "voice/consultation_form.html", {"form": form, "consultation": None}, status=status
    )


def consultation_edit(request, pk: int):
    consultation = _consultation_or_404(request, pk)
    if not policy.can_edit(request.user, consultation):
        raise PermissionDenied
    initial = {f: getattr(consultation, f) for f in services.CONSULTATION_FIELDS}
    initial["focus_areas"] = list(consultation.focus_areas.all())
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_update(
                actor=request.user, consultation=consultation, **_form_data(form)
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Høringen er gemt."))
            return redirect(consultation)
    kept.restore(request, form)
    status = 400 if form.errors else 200
    context = {"form": form, "consultation": consultation}
    return render(request, "voice/consultation_form.html", context, status=status)


@require_POST
def consultation_respond(request, pk: int):
    consultation = _consultation_or_404(request, pk)
    if not policy.can_respond(request.user, consultation):
        if policy.can_edit(request.user, consultation):  # marked sent in another tab meanwhile
            messages.info(request, _("Høringen er markeret som sendt, så der skrives ikke et nyt svar."))
            return redirect(consultation)
        raise PermissionDenied
    response = services.consultation_respond(actor=request.user, consultation=consultation)
    messages.success(request, _("Udkastet til høringssvaret er klar. Kun sekretariatet kan se det."))
    return redirect(response)


@require_POST
def consultation_sent(request, pk: int):
    consultation = _consultation_or_404(request, pk)
    if not policy.can_edit(request.user, consultation):
        raise PermissionDenied
    form = SentForm(request.POST)
    if form.is_valid():
        try:
            services.consultation_mark_sent(
                actor=request.user, consultation=consultation, sent_on=form.cleaned_data["sent_on"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Høringen er markeret som sendt."))
            return redirect(consultation)
    return _detail(request, consultation, sent_form=form, status=400)
