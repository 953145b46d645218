"""Invitations: one at a time, or a whole file (upload, preview, confirm)."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members import importing, policies, selectors, services
from members.admin.mixins import AuditedAdminMixin, SecretFieldsAdminMixin
from members.models import Invitation

IMPORT_SESSION_KEY = "members_invitation_import"


class InvitationAdminForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = [
            "email",
            "first_name",
            "last_name",
            "title",
            "level",
            "municipality",
            "override_statutes",
        ]


class InvitationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("pending", _("Afventer")),
            ("expired", _("Udløbet")),
            ("accepted", _("Accepteret")),
            ("revoked", _("Tilbagekaldt")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        open_ = Q(accepted_at__isnull=True, revoked_at__isnull=True)
        return {
            "pending": queryset.filter(open_, expires_at__gt=now),
            "expired": queryset.filter(open_, expires_at__lte=now),
            "accepted": queryset.filter(accepted_at__isnull=False),
            "revoked": queryset.filter(accepted_at__isnull=True, revoked_at__isnull=False),
        }.get(self.value(), queryset)


class InvitationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller Excel)"),
        help_text=_(
            "Første række er overskrifter: e-mail, fornavn, efternavn, stillingsbetegnelse (valgfri), "
            "niveau (1 eller 2) og kommune (navn eller kommunekode)."
        ),
    )
    override_statutes = forms.BooleanField(
        label=_("Tilsidesæt vedtægternes grænse for alle rækker"),
        required=False,
        help_text=_("Markér kun, hvis bestyrelsen har besluttet en undtagelse."),
    )


@admin.register(Invitation)
class InvitationAdmin(SecretFieldsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    secret_fields = frozenset({"token_digest"})
    form = InvitationAdminForm
    list_display = [
        "email",
        "first_name",
        "last_name",
        "municipality",
        "level",
        "status_display",
        "created_by",
        "created_at",
        "expires_at",
    ]
    list_filter = [InvitationStatusFilter, "level", "municipality__region"]
    list_select_related = ["municipality", "created_by"]
    search_fields = ["email", "first_name", "last_name", "municipality__name"]
    autocomplete_fields = ["municipality"]
    date_hierarchy = "created_at"
    actions = ["resend", "revoke"]
    readonly_fields = [
        "created_by",
        "created_at",
        "sent_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
        "user",
    ]

    @admin.display(description=_("status"))
    def status_display(self, obj):
        return obj.get_status_display()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # An invitation is sent once created; change it by revoking and inviting again.
            return [*InvitationAdminForm.Meta.fields, *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        obj_created = services.invitation_create(
            created_by=request.user,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            title=data.get("title", ""),
            level=data["level"],
            municipality=data["municipality"],
            override_statutes=data.get("override_statutes", False),
            base_url=request.build_absolute_uri("/"),
        )
        obj.pk = obj_created.pk

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class ServiceValidatedForm(form_class):
            """Run the service's rules on submit so errors show on the form, not as a 500."""

            def clean(self):
                cleaned = super().clean()
                if obj is not None or self.errors:
                    return cleaned

                if selectors.email_in_use_by_account(cleaned.get("email", "")):
                    raise ValidationError(_("Der findes allerede en bruger med denne e-mail."))
                if not cleaned.get("override_statutes"):
                    try:
                        services._check_statutes(municipality=cleaned["municipality"], level=cleaned["level"])
                    except ValidationError as exc:
                        raise ValidationError(exc.messages) from None
                return cleaned

        return ServiceValidatedForm

    @admin.action(description=_("Send invitationen igen med et nyt link"))
    def resend(self, request, queryset):
        sent = 0
        for invitation in queryset:
            try:
                services.invitation_resend(
                    invitation=invitation, actor=request.user, base_url=request.build_absolute_uri("/")
                )
                sent += 1
            except ValidationError as exc:
                self.message_user(request, f"{invitation.email}: {' '.join(exc.messages)}", messages.WARNING)
                continue
            self.log_change(request, invitation, gettext("Sendt igen med et nyt link."))
        if sent:
            self.message_user(
                request, ngettext("%d invitation sendt igen.", "%d invitationer sendt igen.", sent) % sent
            )

    @admin.action(description=_("Tilbagekald invitationen"))
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset:
            try:
                services.invitation_revoke(invitation=invitation, actor=request.user)
                revoked += 1
            except ValidationError as exc:
                self.message_user(request, f"{invitation.email}: {' '.join(exc.messages)}", messages.WARNING)
                continue
            self.log_change(request, invitation, gettext("Tilbagekaldt."))
        if revoked:
            self.message_user(
                request,
                ngettext("%d invitation tilbagekaldt.", "%d invitationer tilbagekaldt.", revoked) % revoked,
            )

    # Importing a whole file: upload -> preview of every row -> confirm -> all saved or none.

    def get_urls(self):
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.import_view),
                name="members_invitation_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Invitér mange fra en fil"),
            "can_override": policies.invitations.can_override_statutes(request.user),
        }
        form = InvitationImportForm()
        if not context["can_override"]:
            del form.fields["override_statutes"]

        if request.method == "POST" and "confirm" in request.POST:
            stored = request.session.get(IMPORT_SESSION_KEY)
            if not stored or stored.get("token") != request.POST.get("token"):
                self.message_user(
                    request, gettext("Importen er udløbet. Upload filen igen."), messages.WARNING
                )
                return HttpResponseRedirect(request.path)
            try:
                invitations = services.invitation_import(
                    created_by=request.user,
                    rows=stored["rows"],
                    override_statutes=stored["override"] and context["can_override"],
                    base_url=request.build_absolute_uri("/"),
                )
            except services.InvitationImportError as exc:
                context.update(form=form, preview=exc.preview, filename=stored.get("filename"))
                messages.error(request, " ".join(exc.messages))
                return TemplateResponse(request, "admin/members/invitation/import.html", context)
            del request.session[IMPORT_SESSION_KEY]
            if invitations:
                LogEntry.objects.log_actions(
                    user_id=request.user.pk,
                    queryset=invitations,
                    action_flag=ADDITION,
                    change_message=gettext("Importeret fra filen %(filename)s.")
                    % {"filename": stored.get("filename", "")},
                )
            self.message_user(
                request,
                ngettext(
                    "%d invitation oprettet og sendt.", "%d invitationer oprettet og sendt.", len(invitations)
                )
                % len(invitations),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:members_invitation_changelist"))

        if request.method == "POST":
            form = InvitationImportForm(request.POST, request.FILES)
            if not context["can_override"]:
                del form.fields["override_statutes"]
            if form.is_valid():
                override = bool(form.cleaned_data.get("override_statutes"))
                try:
                    rows = importing.read_invitation_file(form.cleaned_data["file"])
                except importing.ImportFileError as exc:
                    form.add_error("file", exc)
                else:
                    preview = importing.check_invitation_rows(rows, override_statutes=override)
                    request.session.pop(IMPORT_SESSION_KEY, None)
                    context.update(
                        preview=preview, filename=form.cleaned_data["file"].name, override=override
                    )
                    if not preview.has_errors:
                        token = secrets.token_urlsafe(16)
                        request.session[IMPORT_SESSION_KEY] = {
                            "token": token,
                            "rows": rows,
                            "override": override,
                            "filename": form.cleaned_data["file"].name,
                        }
                        context["token"] = token
                        form = InvitationImportForm()
                        if not context["can_override"]:
                            del form.fields["override_statutes"]
        context["form"] = form
        return TemplateResponse(request, "admin/members/invitation/import.html", context)
