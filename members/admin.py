from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members import services
from members.models import Invitation, Municipality, Profile, Region, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["municipality"]
    fields = ["title", "level", "municipality", "phone", "bio"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["first_name", "last_name"]
    list_display = ["email", "first_name", "last_name", "municipality", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "profile__municipality__region", "groups"]
    list_select_related = ["profile__municipality"]
    search_fields = ["email", "first_name", "last_name", "profile__municipality__name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [ProfileInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Navn"), {"fields": ["first_name", "last_name"]}),
        (
            _("Adgang"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Datoer"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "password1", "password2"]},
        ),
    ]

    @admin.display(description=_("kommune"), ordering="profile__municipality__name")
    def municipality(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.municipality if profile else "—"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationAdminForm
    list_display = [
        "email",
        "first_name",
        "last_name",
        "municipality",
        "level",
        "status_display",
        "created_at",
        "expires_at",
    ]
    list_filter = ["level", "municipality__region"]
    list_select_related = ["municipality"]
    search_fields = ["email", "first_name", "last_name", "municipality__name"]
    autocomplete_fields = ["municipality"]
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
        admin_self = self

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

        del admin_self
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
        if revoked:
            self.message_user(
                request,
                ngettext("%d invitation tilbagekaldt.", "%d invitationer tilbagekaldt.", revoked) % revoked,
            )
