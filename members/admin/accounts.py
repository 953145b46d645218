"""allauth's accounts: members' e-mail addresses and two-factor devices."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members import policies, services
from members.admin.mixins import AuditedAdminMixin, SecretFieldsAdminMixin
from members.models import User

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
    (members.policies.AccountPolicy.can_manage); everyone with the admin may read the list."""

    list_select_related = ["user"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not policies.accounts.can_manage(request.user, obj.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not policies.accounts.can_manage(request.user, obj.user):
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
                if owner is not None and not policies.accounts.can_manage(actor, owner):
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
