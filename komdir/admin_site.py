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

from komdir.lib.redirects import safe_next
from members.policies import is_secretariat


def session_passed_two_factor(request) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class PortalAdminSite(admin.AdminSite):
    site_header = gettext_lazy("KOMDIR-portalen · administration")
    site_title = gettext_lazy("KOMDIR administration")
    index_title = gettext_lazy("Sekretariatets værktøjer")

    def has_permission(self, request) -> bool:
        return is_secretariat(request.user) and session_passed_two_factor(request)

    def login(self, request, extra_context=None):
        """Send everyone to the portal's own login (allauth), which asks for the TOTP code."""
        next_url = safe_next(
            request, request.GET.get(REDIRECT_FIELD_NAME), fallback=resolve_url("admin:index")
        )
        user = request.user
        if not user.is_authenticated:
            query = urlencode({REDIRECT_FIELD_NAME: next_url})
            return HttpResponseRedirect(f"{resolve_url('account_login')}?{query}")
        if not is_secretariat(user):
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

    # The front page is grouped by the secretariat's tasks, not by Django app.
    # (app_label, model_name) pins a model to a group; otherwise its app decides.
    TASK_GROUPS = [
        ("indhold", gettext_lazy("Indhold")),
        ("medlemmer", gettext_lazy("Medlemmer")),
        ("kredse", gettext_lazy("Kredse og møder")),
        ("moderering", gettext_lazy("Moderering")),
        ("revision", gettext_lazy("Revision og adgang")),
    ]
    TASK_BY_MODEL = {
        ("admin", "logentry"): "revision",
        ("auth", "group"): "revision",
        ("auth", "permission"): "revision",
        ("mfa", "authenticator"): "revision",
    }
    TASK_BY_APP = {
        "focus": "indhold",
        "taggit": "indhold",
        "members": "medlemmer",
        "account": "medlemmer",
        "auth": "medlemmer",
        "circles": "kredse",
        "admin": "revision",
        "mfa": "revision",
    }
    # Members' contributions and reports of them are moderated, not edited like the strategy texts.
    MODERATION_WORDS = ("report", "case", "comment", "flag", "moderation")

    # Within a group, the day-to-day models first; the rest alphabetically.
    MODEL_ORDER = [
        "strategyperiod",
        "focusarea",
        "guidingquestion",
        "sitepage",
        "user",
        "invitation",
        "circle",
        "circlemembership",
        "meeting",
        "meetingnote",
        "report",
        "case",
        "comment",
        "logentry",
    ]

    def _model_sort_key(self, model: dict) -> tuple[int, str]:
        name = model["object_name"].lower()
        position = self.MODEL_ORDER.index(name) if name in self.MODEL_ORDER else len(self.MODEL_ORDER)
        return position, str(model["name"])

    def _task_of(self, app_label: str, model_name: str) -> str:
        key = (app_label, model_name)
        if key in self.TASK_BY_MODEL:
            return self.TASK_BY_MODEL[key]
        if app_label == "focus" and any(word in model_name for word in self.MODERATION_WORDS):
            return "moderering"
        return self.TASK_BY_APP.get(app_label, "revision")

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        groups = {key: [] for key, _label in self.TASK_GROUPS}
        for app in apps:
            for model in app["models"]:
                model_name = model["object_name"].lower()
                groups[self._task_of(app["app_label"], model_name)].append(model)
        index_url = resolve_url("admin:index")
        return [
            {
                "name": label,
                "app_label": key,
                "app_url": f"{index_url}#{key}",
                "has_module_perms": True,
                "models": sorted(groups[key], key=self._model_sort_key),
            }
            for key, label in self.TASK_GROUPS
            if groups[key]
        ]
