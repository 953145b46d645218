"""Moderation in admin: hide and restore with a reason the secretariat gives."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from focus import services


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Gemmes sammen med indholdet, så det altid kan ses, hvorfor det blev skjult eller genskabt."
        ),
    )


def ask_reason(modeladmin, request, queryset, *, action: str, title: str, apply) -> TemplateResponse | None:
    """An admin action that first asks the secretariat for a reason (an intermediate page)."""
    form = ReasonForm(request.POST if "reason_given" in request.POST else None)
    if form.is_bound and form.is_valid():
        # The whole selection is one write: a failure on the last item leaves the first untouched.
        try:
            with transaction.atomic():
                done = 0
                for obj in queryset:
                    apply(obj, form.cleaned_data["reason"])
                    done += 1
        except ValidationError as exc:
            modeladmin.message_user(
                request, " ".join([*exc.messages, str(_("Intet er ændret."))]), messages.ERROR
            )
            return None
        except IntegrityError:
            modeladmin.message_user(
                request,
                _("Intet er ændret, fordi indholdet blev ændret samtidig et andet sted. Prøv igen."),
                messages.ERROR,
            )
            return None
        modeladmin.message_user(request, _("%(count)s elementer er behandlet.") % {"count": done})
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "focus/admin_moderation_reason.html", context)


class ModeratedAdminMixin:
    actions = ["hide", "restore"]

    @admin.action(description=_("Skjul for medlemmerne (med begrundelse)"))
    def hide(self, request, queryset):
        return ask_reason(
            self,
            request,
            queryset,
            action="hide",
            title=_("Skjul indhold"),
            apply=lambda obj, reason: services.content_hide(obj=obj, actor=request.user, reason=reason),
        )

    @admin.action(description=_("Genskab for medlemmerne (med begrundelse)"))
    def restore(self, request, queryset):
        return ask_reason(
            self,
            request,
            queryset,
            action="restore",
            title=_("Genskab indhold"),
            apply=lambda obj, reason: services.content_restore(obj=obj, actor=request.user, reason=reason),
        )

    @admin.display(boolean=True, description=_("skjult"))
    def hidden(self, obj) -> bool:
        return obj.hidden_at is not None
