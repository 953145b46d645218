"""The members themselves: their accounts, profiles, privileges, deactivation and the CSV export."""

from __future__ import annotations

import csv

from allauth.core import context as allauth_context
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from komdir.lib.spreadsheets import safe_cell
from members import policies, selectors, services
from members.admin.mixins import AuditedAdminMixin, SecretFieldsAdminMixin
from members.models import Level, Profile, User


class AccountChangeForm(UserChangeForm):
    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and selectors.email_in_use_by_other_account(email, account=self.instance):
            raise ValidationError(gettext("Et andet medlem bruger allerede denne e-mailadresse."))
        return email


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
    form = AccountChangeForm
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
        if not policies.accounts.can_grant_privileges(request.user):
            fields += [name for name in services.PRIVILEGE_FIELDS if name not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not policies.accounts.can_change(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Members who leave are deactivated; deleting would take their contributions with them.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            saved = services.account_save(actor=request.user, account=obj, changed=form.changed_data)
        except ValidationError:
            # The form has validated; what is left is a refusal of the rules (deactivating oneself).
            raise PermissionDenied from None
        ended = getattr(saved, "sessions_ended", None)
        if ended is None:
            return
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
        changed = [name for name in ("groups", "user_permissions") if name in form.changed_data]
        if changed:
            services.account_privileges_set(
                actor=request.user,
                account=form.instance,
                **{name: form.cleaned_data[name] for name in changed},
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        """The profile, the only inline, is saved by the service. The formset keeps the lists
        Django's change message reads, as its own save() would."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline in formset.forms:
            if not inline.has_changed():
                continue
            existed = inline.instance.pk is not None
            profile = services.profile_set(
                actor=request.user,
                member=form.instance,
                **{name: inline.cleaned_data.get(name) for name in ProfileInline.fields},
            )
            if existed:
                formset.changed_objects.append((profile, inline.changed_data))
            else:
                formset.new_objects.append(profile)

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
                safe_cell(user.first_name),
                safe_cell(user.last_name),
                safe_cell(user.email),
                safe_cell(profile.title if profile else ""),
                profile.level or "" if profile else "",
                municipality.name if municipality else "",
                municipality.code if municipality else "",
                municipality.region.name if municipality else "",
                ", ".join(m.circle.name for m in user.circle_memberships.all()),
                safe_cell(profile.phone if profile else ""),
                gettext("Ja") if user.is_active else gettext("Nej"),
            ]
        )
    return response
