from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from circles import services
from circles.models import (
    Attachment,
    Attendance,
    CalendarToken,
    Circle,
    CircleMembership,
    Meeting,
    MeetingNote,
    NoteRevision,
    NoteStatus,
)
from komdir.lib.admin_services import ServiceAdminMixin, refused
from members.admin import SecretFieldsAdminMixin


class CircleMembershipInline(admin.TabularInline):
    model = CircleMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "joined_at"]


def _membership_changes(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.MEMBERSHIP_FIELDS if name in form.cleaned_data}


@admin.register(Circle)
class CircleAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "region"]
    list_select_related = ["region"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CircleMembershipInline]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.CIRCLE_FIELDS}
        with refused():
            if change:
                saved = services.circle_update(
                    actor=request.user, circle=Circle.objects.get(pk=obj.pk), **fields
                )
            else:
                saved = services.circle_create(actor=request.user, **fields)
        obj.pk = saved.pk
        obj._state.adding = False

    def save_formset(self, request, form, formset, change):
        # The memberships: unsaved here (commit=False), then each change through the services,
        # which check who may set them; the admin's history reads the formset's lists.
        formset.save(commit=False)
        circle = Circle.objects.get(pk=form.instance.pk)
        with refused():
            for membership in formset.deleted_objects:
                services.membership_remove(actor=request.user, membership=membership)
            for membership, changed in formset.changed_objects:
                services.membership_update(
                    actor=request.user,
                    membership=CircleMembership.objects.select_related("circle").get(pk=membership.pk),
                    **{
                        name: getattr(membership, name)
                        for name in changed
                        if name in services.MEMBERSHIP_FIELDS
                    },
                )
            for membership in formset.new_objects:
                services.membership_add(
                    actor=request.user,
                    user=membership.user,
                    circle=circle,
                    role=membership.role,
                    joined_at=membership.joined_at,
                )

    def delete_model(self, request, obj):
        services.circle_delete(actor=request.user, circle=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for circle in queryset:
                services.circle_delete(actor=request.user, circle=circle)


@admin.register(CircleMembership)
class CircleMembershipAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["user", "circle", "role", "joined_at"]
    list_filter = ["circle", "role"]
    list_select_related = ["user", "circle"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "circle__name"]
    autocomplete_fields = ["user", "circle"]

    def save_model(self, request, obj, form, change):
        changes = _membership_changes(form)
        with refused():
            if change:
                membership = CircleMembership.objects.select_related("circle").get(pk=obj.pk)
                saved = services.membership_update(actor=request.user, membership=membership, **changes)
            else:
                saved = services.membership_add(actor=request.user, **changes)
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.membership_remove(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for membership in queryset.select_related("circle"):
                services.membership_remove(actor=request.user, membership=membership)


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "created_at"]
    readonly_fields = fields
    can_delete = True
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        # Uploads go through the portal's checked upload form (content sniffing, random names).
        return False


class ServiceFormsetsMixin(ServiceAdminMixin):
    """Inline changes go through the services: a deleted attachment takes its file with it."""

    def save_related(self, request, form, formsets, change):
        # The services set the many-to-many fields; only the inlines are left to save here.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        if instances:
            raise PermissionDenied  # every inline here is read-only apart from deleting
        for obj in formset.deleted_objects:
            if not isinstance(obj, Attachment):
                raise PermissionDenied
            with refused():
                services.attachment_delete(actor=request.user, attachment=obj)


@admin.register(Meeting)
class MeetingAdmin(ServiceFormsetsMixin, admin.ModelAdmin):
    list_display = ["title", "circle", "kind", "starts_at", "cancelled_at"]
    list_filter = ["kind", "circle"]
    list_select_related = ["circle"]
    search_fields = ["title", "location"]
    date_hierarchy = "starts_at"
    fields = [
        "circle",
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "location",
        "online_url",
        "agenda",
        "capacity",
        "signup_deadline",
        "cancelled_at",
    ]
    inlines = [AttachmentInline]
    actions = ["cancel_meetings"]

    def has_change_permission(self, request, obj=None):
        # A cancelled meeting is closed (MeetingPolicy.can_edit): shown, deleted, not changed.
        if obj is not None and obj.is_cancelled:
            return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Who is invited follows the circle, so a meeting keeps its circle and kind; it is
        # cancelled with the action (which tells those concerned), not by typing a date.
        if obj is not None:
            return ["circle", "kind", "cancelled_at"]
        return ["cancelled_at"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {name: data[name] for name in services.MEETING_FIELDS}
        with refused():
            if change:
                meeting = Meeting.objects.select_related("circle").get(pk=obj.pk)
                saved = services.meeting_update(actor=request.user, meeting=meeting, **fields)
            else:
                saved = services.meeting_create(
                    actor=request.user, circle=data.get("circle"), kind=data.get("kind"), **fields
                )
        obj.pk, obj.created_by_id = saved.pk, saved.created_by_id
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.meeting_delete(actor=request.user, meeting=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for meeting in queryset:
                services.meeting_delete(actor=request.user, meeting=meeting)

    @admin.action(description=_("Aflys de valgte møder"))
    def cancel_meetings(self, request, queryset):
        try:
            with transaction.atomic():
                for meeting in queryset.select_related("circle"):
                    services.meeting_cancel(actor=request.user, meeting=meeting)
        except ValidationError as exc:
            self.message_user(request, services.validation_message(exc), messages.ERROR)
            return
        self.message_user(request, _("Møderne er aflyst."))


class NoteRevisionInline(admin.TabularInline):
    model = NoteRevision
    extra = 0
    fields = ["created_at", "edited_by", "status", "visibility", "body"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class MeetingNoteAdminForm(forms.ModelForm):
    # The newest revision when the secretary opened the page: someone saving since is a conflict.
    base_revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = MeetingNote
        fields = ["meeting", "status", "visibility", "body", "focus_areas"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            newest = self.instance.revisions.order_by("-pk").values_list("pk", flat=True).first()
            self.fields["base_revision"].initial = newest or 0
        else:
            self.fields["base_revision"].initial = 0

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            was_published = MeetingNote.objects.filter(pk=self.instance.pk, status=NoteStatus.PUBLISHED)
            if cleaned.get("status") == NoteStatus.DRAFT and was_published.exists():
                raise forms.ValidationError(_("Et offentliggjort referat kan ikke gøres til en kladde igen."))
        return cleaned


@admin.register(MeetingNote)
class MeetingNoteAdmin(ServiceFormsetsMixin, admin.ModelAdmin):
    form = MeetingNoteAdminForm
    version_field = "base_revision"
    list_display = ["meeting", "status", "visibility", "published_at"]
    list_filter = ["status", "visibility", "meeting__circle"]
    list_select_related = ["meeting", "meeting__circle"]
    search_fields = ["meeting__title", "body"]
    fields = ["meeting", "status", "visibility", "body", "focus_areas", "base_revision"]
    raw_id_fields = ["meeting"]
    filter_horizontal = ["focus_areas"]
    inlines = [NoteRevisionInline, AttachmentInline]

    def has_change_permission(self, request, obj=None):
        # No notes of a meeting that was not held (MeetingPolicy.can_write_note).
        if obj is not None and obj.meeting.is_cancelled:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = Meeting.objects.not_cancelled()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # The notes belong to their meeting; a note is written anew for another meeting.
        return ["meeting"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        expected = data.get("base_revision")
        if expected is None:
            # No version (a page not loaded whole): only a note not written yet matches.
            expected = -1 if change else 0
        with refused():
            saved = services.note_save(
                actor=request.user,
                meeting=Meeting.objects.select_related("circle").get(pk=obj.meeting_id),
                body=data["body"],
                visibility=data["visibility"],
                focus_areas=data.get("focus_areas") or (),
                publish=data["status"] == NoteStatus.PUBLISHED,
                expected_revision=expected,
            )
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.note_delete(actor=request.user, note=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for note in queryset.select_related("meeting__circle"):
                services.note_delete(actor=request.user, note=note)


@admin.register(Attendance)
class AttendanceAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "user", "response", "updated_at"]
    list_filter = ["response"]
    list_select_related = ["meeting", "user"]
    search_fields = ["meeting__title", "user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["meeting", "user"]

    def get_readonly_fields(self, request, obj=None):
        # An answer is one member's to one meeting; another member's answer is a new one.
        return ["meeting", "user"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        meeting = Meeting.objects.select_related("circle").get(pk=obj.meeting_id)
        with refused():
            saved = services.attendance_set(
                actor=request.user, user=obj.user, meeting=meeting, response=form.cleaned_data["response"]
            )
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        services.attendance_delete(actor=request.user, attendance=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for attendance in queryset.select_related("meeting__circle"):
                services.attendance_delete(actor=request.user, attendance=attendance)


@admin.register(CalendarToken)
class CalendarTokenAdmin(SecretFieldsAdminMixin, admin.ModelAdmin):
    secret_fields = frozenset({"token"})
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Nothing to change: the member renews the address in the portal; here it is revoked.
        return False

    def delete_model(self, request, obj):
        services.calendar_token_revoke(actor=request.user, token=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for token in queryset:
                services.calendar_token_revoke(actor=request.user, token=token)
