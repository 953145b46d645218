"""The rules to lift: the list (most cited first, by focus area), a page per rule, and a case
author naming the rules their case wants lifted."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from focus import selectors as focus_selectors
from focus.voice import selectors, services
from focus.voice.forms import CaseRuleForm, RuleFilterForm, RuleForm
from focus.voice.models import Rule
from focus.voice.policies import rules as policy
from komdir.lib.access import public


@public
def rule_list(request):
    filters = RuleFilterForm(request.GET or None)
    area = filters.cleaned_data["omraade"] if filters.is_valid() else None
    form = None
    if policy.can_create(request.user):
        form = RuleForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.rule_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Reglen er på listen."))
                return redirect("voice:rule_list")
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        **selectors.rule_list(viewer=request.user, area=area),
        "filter_form": filters,
        "area": area,
        "form": form,
    }
    return render(
        request, "voice/rule_list.html", context, status=400 if form is not None and form.errors else 200
    )


@public
def rule_detail(request, pk: int):
    rule = selectors.rule_get(pk=pk, viewer=request.user)
    if rule is None:
        raise Http404
    context = {"rule": rule, "cases": selectors.rule_cases(rule=rule, viewer=request.user)}
    return render(request, "voice/rule_detail.html", context)


@require_POST
def rule_confirm(request, pk: int):
    rule = selectors.rule_get(pk=pk, viewer=request.user)
    if rule is None:
        raise Http404
    if not policy.can_confirm(request.user, rule):
        raise PermissionDenied
    services.rule_confirm(actor=request.user, rule=rule)
    messages.success(request, _("Reglen er bekræftet og tæller nu med på listen."))
    return redirect("voice:rule_list")


@require_POST
def case_rules(request, pk: int):
    """Add (or, with "remove", take out) a rule the case names; only its author."""
    case = focus_selectors.case_get(pk=pk, viewer=request.user, details=False)
    if case is None:
        raise Http404
    if not policy.can_cite(request.user, case):
        raise PermissionDenied
    if request.POST.get("remove", "").isdigit():
        rule = Rule.objects.filter(pk=int(request.POST["remove"])).first()
        if rule is not None:
            services.case_rule_remove(actor=request.user, case=case, rule=rule)
            messages.success(request, _("Reglen er fjernet fra casen."))
        return redirect(case)
    form = CaseRuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_rule_add(
                actor=request.user,
                case=case,
                rule=data["rule"],
                law=data["law"],
                paragraph=data["paragraph"],
                use=data["use"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Reglen er tilføjet casen.")
                if data["rule"]
                else _(
                    "Reglen er tilføjet casen. Sekretariatet bekræfter den, før den tæller med på listen."
                ),
            )
    else:
        messages.error(
            request,
            " ".join(form.non_field_errors()) or _("Vælg en regel fra listen, eller skriv lov og paragraf."),
        )
    return redirect(case)
