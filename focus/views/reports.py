"""A member's report of a case or a comment to the secretariat."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from focus import policies, selectors, services
from focus.forms import ReportForm
from focus.views.comments import comment_or_404
from focus.views.common import already_sent, refuse
from komdir.lib import kept


def report(request, kind: str, pk: int):
    if kind == "case":
        case = selectors.case_get(pk=pk, viewer=request.user)
        if case is None or not policies.cases.can_report(request.user, case):
            refuse(visible=case is not None)
        target, title, back_url = {"case": case}, case.title, case.get_absolute_url()
    elif kind == "comment":
        comment = comment_or_404(request, pk)
        if not policies.comments.can_report(request.user, comment):
            refuse(visible=True)
        target, title, back_url = {"comment": comment}, comment.body[:80], comment.get_absolute_url()
    else:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and selectors.report_submitted(
        reporter=request.user, submission_token=request.POST.get("submission_token", "")
    ):
        return already_sent(request, None, back_url)
    if request.method == "POST" and form.is_valid():
        services.report_create(
            reporter=request.user,
            reason=form.cleaned_data["reason"],
            submission_token=form.cleaned_data["submission_token"],
            **target,
        )
        messages.success(request, _("Tak. Sekretariatet ser på din indberetning."))
        return redirect(back_url)
    kept.restore(request, form)
    return render(
        request, "focus/report_form.html", {"form": form, "target_title": title, "back_url": back_url}
    )
