"""The secretariat's admin for members: users, invitations (one or a whole file), the audit log."""

from __future__ import annotations

import csv
import secrets

from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members import importing, selectors, services
from members.models import Invitation, Level, Municipality, Profile, Region, User
from members.policies import (
    can_change_user,
    can_grant_privileges,
    can_manage_account,
    can_override_statutes,
)

# allauth's own screen deletes only the record, not the session; sessions are ended by the
# services (deactivation, password, deletion) and by members on their sessions page.
if admin.site.is_registered(UserSession):
    admin.site.unregister(UserSession)

PRIVILEGE_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]
IMPORT_SESSION_KEY = "members_invitation_import"


def _display_value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Ja") if value else gettext("Nej")
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


class AuditedAdminMixin:
    """Change messages that say what each changed field was and became, not only its name.

    Django's LogEntry is the audit log (who, when, which object); this makes the "what"
    readable on each object's history page. Relations and passwords show only their name.
    """

    audit_value_types = (bool, int, str, type(None))
    audit_hidden_fields = {"password"}

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if add:
            return message
        # Stored untranslated like Django's own messages (Danish is the msgid language).
        with translation.override(None):
            for entry in message:
                changed = entry.get("changed")
                if not changed:
                    continue
                if "name" not in changed:
                    changed["fields"] = self._audit_labels(form, form.changed_data)
                    continue
                for formset in formsets or []:
                    for obj, fields in formset.changed_objects:
                        if str(obj) == changed["object"] and str(obj._meta.verbose_name) == changed["name"]:
                            obj_form = next((f for f in formset.forms if f.instance.pk == obj.pk), None)
                            if obj_form is not None:
                                changed["fields"] = self._audit_labels(obj_form, fields)
        return message

    def _audit_labels(self, form, changed_data) -> list[str]:
        labels = []
        for name in changed_data:
            if name not in form.fields:
                labels.append(name)
                continue
            label = str(form[name].label)
            old, new = form.initial.get(name), form.cleaned_data.get(name)
            if (
                name not in self.audit_hidden_fields
                and isinstance(old, self.audit_value_types)
                and isinstance(new, self.audit_value_types)
                and not isinstance(form.fields[name], forms.ModelChoiceField)
            ):
                label = f"{label} ({_display_value(old)} → {_display_value(new)})"
            labels.append(label)
        return labels


class SecretFieldsAdminMixin:
    """Fields no one reads in the admin, not even by guessing: a changelist filter such as
    `?data__startswith=J` would answer yes or no for each guessed character."""

    secret_fields: frozenset[str] = frozenset()

    def lookup_allowed(self, lookup, value, request):
        if lookup.split(LOOKUP_SEP, 1)[0] in self.secret_fields:
            return False
        return super().lookup_allowed(lookup, value, request)


class PasswordSetForm(AdminPasswordChangeForm):
    """The admin's password form, saved through the service so the member's sessions end."""

    def save(self, commit=True):
        request = allauth_context.request
        actor = getattr(request, "user", None) if request is not None else None
        if actor is None:
            raise PermissionDenied
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] else None
        self.user = services.member_password_set(member=self.user, actor=actor, password=password)
        return self.user


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["municipality"]
    fields = ["title", "level", "municipality", "phone", "bio"]


class CircleFilter(admin.SimpleListFilter):
    title = _("kreds")
    parameter_name = "kreds"

    def lookups(self, request, model_admin):
        # Circles sit above members: the model is reached through the membership relation.
        membership = User._meta.get_field("circle_memberships").related_model
        circle = membership._meta.get_field("circle").related_model
        return [(c.slug, c.name) for c in circle.objects.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(circle_memberships__circle__slug=self.value()).distinct()
        return queryset


class LevelFilter(admin.SimpleListFilter):
    title = _("niveau")
    parameter_name = "niveau"

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(profile__level=self.value())
        return queryset


@admin.register(User)
class UserAdmin(SecretFieldsAdminMixin, AuditedAdminMixin, BaseUserAdmin):
    secret_fields = frozenset({"password"})
    ordering = ["first_name", "last_name"]
    list_display = [
        "full_name",
        "email",
        "municipality",
        "region",
        "level",
        "is_active",
        "is_staff",
        "last_login",
    ]
    list_display_links = ["full_name", "email"]
    list_filter = [
        "is_active",
        "is_staff",
        LevelFilter,
        "profile__municipality__region",
        CircleFilter,
        "groups",
    ]
    list_select_related = ["profile__municipality__region"]
    search_fields = ["email", "first_name", "last_name", "profile__title", "profile__municipality__name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [ProfileInline]
    change_password_form = PasswordSetForm
    actions = ["deactivate", "reactivate", "export_csv"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Navn"), {"fields": ["first_name", "last_name"]}),
        (
            _("Adgang"),
            {
                "fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"],
                "description": _(
                    "Et medlem, der er stoppet, deaktiveres (fjern 'aktiv'): de logges ud med det samme, "
                    "og deres indlæg bliver stående. Kun en superbruger kan give adgang til administrationen."
                ),
            },
        ),
        (_("Datoer"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "password1", "password2"]},
        ),
    ]

    @admin.display(description=_("navn"), ordering="first_name")
    def full_name(self, obj):
        return obj.get_full_name() or "—"

    @admin.display(description=_("kommune"), ordering="profile__municipality__name")
    def municipality(self, obj):
        profile = getattr(obj, "profile", None)
        return (profile.municipality if profile else None) or "—"

    @admin.display(description=_("region"), ordering="profile__municipality__region__name")
    def region(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.municipality.region if profile and profile.municipality else "—"

    @admin.display(description=_("niveau"), ordering="profile__level")
    def level(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.level if profile and profile.level else "—"

    # Privileges: only a superuser may hand them out, and nobody but a superuser touches one.

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_grant_privileges(request.user):
            fields += [name for name in PRIVILEGE_FIELDS if name not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can_change_user(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Members who leave are deactivated; deleting would take their contributions with them.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not can_grant_privileges(request.user):
            before = (
                User.objects.filter(pk=obj.pk).values("is_staff", "is_superuser").first() if change else None
            )
            expected = before or {"is_staff": False, "is_superuser": False}
            if obj.is_staff != expected["is_staff"] or obj.is_superuser != expected["is_superuser"]:
                raise PermissionDenied
            if any(name in form.changed_data for name in PRIVILEGE_FIELDS):
                raise PermissionDenied
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if change and was_active != obj.is_active:
            # Unticking "aktiv" is a deactivation (sessions end now, the departure is recorded),
            # ticking it again a reactivation: the same services as the actions.
            service = services.member_reactivate if obj.is_active else services.member_deactivate
            try:
                done = service(member=obj, actor=request.user)
            except ValidationError:
                raise PermissionDenied from None
            if obj.is_active:
                return
            ended = done.sessions_ended
            self.message_user(
                request,
                ngettext(
                    "%(name)s er deaktiveret og logget ud af %(count)d session.",
                    "%(name)s er deaktiveret og logget ud af %(count)d sessioner.",
                    ended,
                )
                % {"name": obj, "count": ended},
            )

    def save_related(self, request, form, formsets, change):
        if not can_grant_privileges(request.user) and any(
            name in form.changed_data for name in ("groups", "user_permissions")
        ):
            raise PermissionDenied
        super().save_related(request, form, formsets, change)

    @admin.action(description=_("Deaktivér valgte medlemmer (de logges ud; deres indlæg bliver)"))
    def deactivate(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                services.member_deactivate(member=user, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{user}: {' '.join(exc.messages)}", messages.WARNING)
                continue
            self.log_change(
                request, user, gettext("Deaktiveret; alle sessioner afsluttet (aktiv: Ja → Nej).")
            )
            done += 1
        if done:
            self.message_user(
                request, ngettext("%d medlem deaktiveret.", "%d medlemmer deaktiveret.", done) % done
            )

    @admin.action(description=_("Genaktivér valgte medlemmer"))
    def reactivate(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                services.member_reactivate(member=user, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{user}: {' '.join(exc.messages)}", messages.WARNING)
                continue
            self.log_change(request, user, gettext("Genaktiveret (aktiv: Nej → Ja)."))
            done += 1
        if done:
            self.message_user(
                request, ngettext("%d medlem genaktiveret.", "%d medlemmer genaktiveret.", done) % done
            )

    @admin.action(description=_("Eksportér valgte som CSV"))
    def export_csv(self, request, queryset):
        return _member_csv_response(selectors.member_list_for_export().filter(pk__in=queryset.values("pk")))

    def get_urls(self):
        return [
            path(
                "eksport/",
                self.admin_site.admin_view(self.export_view),
                name="members_user_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return _member_csv_response(selectors.member_list_for_export().filter(is_active=True))


def _member_csv_response(members) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="komdir-medlemmer-{stamp}.csv"'
    # A BOM and semicolons: what Danish Excel opens correctly with a double click.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            gettext("Fornavn"),
            gettext("Efternavn"),
            gettext("E-mail"),
            gettext("Stillingsbetegnelse"),
            gettext("Niveau"),
            gettext("Kommune"),
            gettext("Kommunekode"),
            gettext("Region"),
            gettext("Kredse"),
            gettext("Telefon"),
            gettext("Aktiv"),
        ]
    )
    for user in members:
        profile = getattr(user, "profile", None)
        municipality = profile.municipality if profile else None
        writer.writerow(
            [
                _safe_cell(user.first_name),
                _safe_cell(user.last_name),
                _safe_cell(user.email),
                _safe_cell(profile.title if profile else ""),
                profile.level or "" if profile else "",
                municipality.name if municipality else "",
                municipality.code if municipality else "",
                municipality.region.name if municipality else "",
                ", ".join(m.circle.name for m in user.circle_memberships.all()),
                _safe_cell(profile.phone if profile else ""),
                gettext("Ja") if user.is_active else gettext("Nej"),
            ]
        )
    return response


def _safe_cell(value: str) -> str:
    # Spreadsheet formula injection: a cell starting with =, +, - or @ is run by Excel.
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]


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

                if User.objects.filter(email__iexact=cleaned.get("email", "")).exists():
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
            "can_override": can_override_statutes(request.user),
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


# --- allauth's accounts: e-mail addresses and two-factor --------------------------------------


def _log_on_owner(request, owner: User, message: str) -> None:
    """Also on the owner's history page: what was done to their account, by whom."""
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=[owner],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


class AccountPartAdmin(SecretFieldsAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    """Something of a person's account: only who may manage that account changes or deletes it
    (members.policies.can_manage_account); everyone with the admin may read the list."""

    list_select_related = ["user"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can_manage_account(request.user, obj.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not can_manage_account(request.user, obj.user):
            return False
        return super().has_delete_permission(request, obj)


if admin.site.is_registered(EmailAddress):
    admin.site.unregister(EmailAddress)
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


def _yes_no(value: bool) -> str:
    return gettext("Ja") if value else gettext("Nej")


@admin.register(EmailAddress)
class EmailAddressAdmin(AccountPartAdmin):
    list_display = ["email", "user", "primary", "verified"]
    list_filter = ["primary", "verified"]
    search_fields = ["email", *AccountPartAdmin.search_fields]
    raw_id_fields = ["user"]
    fields = ["user", "email", "verified", "primary"]
    actions = ["make_verified"]

    def get_readonly_fields(self, request, obj=None):
        # An address stays with its owner; a new one is added to the member it belongs to.
        # The primary address stays primary until another is made primary: it is the login.
        if obj is None:
            return []
        return ["user", "primary"] if obj.primary else ["user"]

    def has_delete_permission(self, request, obj=None):
        # The primary address is the login: make another one primary first.
        if obj is not None and obj.primary:
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault(
            "labels",
            {
                "user": _("Medlem"),
                "email": _("E-mailadresse"),
                "verified": _("Bekræftet"),
                "primary": _("Primær"),
            },
        )
        form_class = super().get_form(request, obj, **kwargs)
        actor = request.user

        class OwnerCheckedForm(form_class):
            def clean_user(self):
                owner = self.cleaned_data["user"]
                if owner is not None and not can_manage_account(actor, owner):
                    raise ValidationError(services.ACCOUNT_PROTECTED_MESSAGE, code="protected")
                return owner

            def clean(self):
                cleaned = super().clean()
                email, owner = cleaned.get("email"), cleaned.get("user") or (obj.user if obj else None)
                becomes_login = cleaned.get("primary") or (obj is not None and obj.primary)
                if (
                    email
                    and owner is not None
                    and becomes_login
                    and User.objects.filter(email__iexact=email).exclude(pk=owner.pk).exists()
                ):
                    self.add_error("email", _("En anden bruger logger allerede ind med denne e-mail."))
                return cleaned

            def _get_validation_exclusions(self):
                # "One primary address per member" is kept by the service, which makes the
                # old primary address secondary when another is made primary.
                return {*super()._get_validation_exclusions(), "primary"}

        return OwnerCheckedForm

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            saved = services.email_address_update(
                actor=request.user,
                address=obj,
                email=data["email"],
                verified=data["verified"],
                primary=data.get("primary", obj.primary),
            )
        else:
            saved = services.email_address_add(
                actor=request.user,
                user=data["user"],
                email=data["email"],
                verified=data["verified"],
                primary=data["primary"],
            )
        obj.pk, obj.email, obj.primary, obj.verified = saved.pk, saved.email, saved.primary, saved.verified

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        _log_on_owner(
            request,
            obj.user,
            gettext("E-mailadressen %(email)s er tilføjet (bekræftet: %(verified)s, primær: %(primary)s).")
            % {"email": obj.email, "verified": _yes_no(obj.verified), "primary": _yes_no(obj.primary)},
        )
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        changes = [
            field for part in message if "changed" in part for field in part["changed"].get("fields", [])
        ]
        if changes:
            _log_on_owner(
                request,
                obj.user,
                gettext("E-mailadressen %(email)s er ændret: %(changes)s.")
                % {"email": obj.email, "changes": ", ".join(changes)},
            )
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for address in queryset:
            _log_on_owner(
                request,
                address.user,
                gettext("E-mailadressen %(email)s er slettet.") % {"email": address.email},
            )
        return entries

    def delete_model(self, request, obj):
        services.email_address_delete(actor=request.user, address=obj)

    def delete_queryset(self, request, queryset):
        for address in queryset:
            services.email_address_delete(actor=request.user, address=address)

    @admin.action(description=_("Markér valgte e-mailadresser som bekræftede"), permissions=["change"])
    def make_verified(self, request, queryset):
        done = 0
        for address in queryset.filter(verified=False).select_related("user"):
            if not self.has_change_permission(request, address):
                self.message_user(
                    request, f"{address.email}: {services.ACCOUNT_PROTECTED_MESSAGE}", messages.WARNING
                )
                continue
            try:
                services.email_address_update(
                    actor=request.user,
                    address=address,
                    email=address.email,
                    verified=True,
                    primary=address.primary,
                )
            except ValidationError as exc:
                self.message_user(request, f"{address.email}: {' '.join(exc.messages)}", messages.WARNING)
                continue
            self.log_change(request, address, [{"changed": {"fields": [gettext("Bekræftet (Nej → Ja)")]}}])
            done += 1
        if done:
            self.message_user(
                request, ngettext("%d e-mailadresse bekræftet.", "%d e-mailadresser bekræftet.", done) % done
            )


@admin.register(Authenticator)
class AuthenticatorAdmin(AccountPartAdmin):
    """Listed by whose, type and dates only: the data is the secret, and no one reads it.

    Nobody adds or edits one here: the member sets up their own app. The secretariat may remove
    a member's device (a lost phone), after which the member sets up a new one.
    """

    secret_fields = frozenset({"data"})
    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type", "created_at", "last_used_at"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for authenticator in queryset:
            _log_on_owner(
                request,
                authenticator.user,
                gettext("Totrinsbekræftelse fjernet: %(type)s.") % {"type": authenticator.get_type_display()},
            )
        return entries

    def delete_model(self, request, obj):
        services.authenticator_remove(actor=request.user, authenticator=obj)

    def delete_queryset(self, request, queryset):
        for authenticator in list(queryset):
            if Authenticator.objects.filter(pk=authenticator.pk).exists():
                services.authenticator_remove(actor=request.user, authenticator=authenticator)


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """The audit log: every change made in the admin, read-only, for every member of the secretariat."""

    list_display = ["action_time", "user", "content_type", "object_link", "action_flag", "message"]
    list_filter = ["action_flag", "content_type"]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message", "user__email", "user__first_name", "user__last_name"]
    date_hierarchy = "action_time"
    ordering = ["-action_time"]

    @admin.display(description=_("objekt"), ordering="object_repr")
    def object_link(self, obj):
        url = obj.get_admin_url()
        return format_html('<a href="{}">{}</a>', url, obj.object_repr) if url else obj.object_repr

    @admin.display(description=_("ændring"))
    def message(self, obj):
        return obj.get_change_message()

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_staff)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
