"""Mine data: download everything the portal holds about oneself, or delete the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from komdir.privacy import selectors, services
from komdir.privacy.forms import AccountDeleteForm
from members import policies as member_policies


@never_cache
@sensitive_post_parameters("password")
def my_data(request):
    """The member's own data: download it all, or delete the account."""
    if not member_policies.members.can_edit_profile(request.user, request.user):
        raise Http404
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(
            user=request.user,
            actor=request.user,
            delete_contributions=form.cleaned_data["delete_contributions"],
        )
        logout(request)
        messages.success(request, _("Din konto og dine personoplysninger er slettet."))
        return redirect("home")
    return render(request, "members/my_data.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def my_data_export(request):
    if not member_policies.members.can_edit_profile(request.user, request.user):
        raise Http404
    body = json.dumps(selectors.member_export(user=request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"komdir-mine-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
