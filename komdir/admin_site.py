"""The secretariat's admin: staff only, and only in a session that passed two-factor login."""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def session_passed_two_factor(request) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class PortalAdminSite(admin.AdminSite):
    site_header = gettext_lazy("KOMDIR-portalen · administration")
    site_title = gettext_lazy("KOMDIR administration")
    index_title = gettext_lazy("Sekretariatets værktøjer")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and session_passed_two_factor(request))

    def login(self, request, extra_context=None):
        """Send everyone to the portal's own login (allauth), which asks for the TOTP code."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or resolve_url("admin:index")
        user = request.user
        if not user.is_authenticated:
            query = urlencode({REDIRECT_FIELD_NAME: next_url})
            return HttpResponseRedirect(f"{resolve_url('account_login')}?{query}")
        if not (user.is_active and user.is_staff):
            raise Http404
        if session_passed_two_factor(request):
            return HttpResponseRedirect(next_url)
        query = urlencode({REDIRECT_FIELD_NAME: next_url})
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            messages.info(
                request,
                _("Bekræft med koden fra din godkendelsesapp for at åbne administrationen."),
            )
            return HttpResponseRedirect(f"{resolve_url('mfa_reauthenticate')}?{query}")
        messages.warning(
            request,
            _(
                "Administrationen kræver totrinsbekræftelse. Opsæt en godkendelsesapp, "
                "log derefter ud og ind igen."
            ),
        )
        return HttpResponseRedirect(f"{resolve_url('mfa_activate_totp')}?{query}")
