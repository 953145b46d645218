from django.contrib import admin
from django.utils import timezone

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
from komdir.markdown import render_markdown
from members.admin import SecretFieldsAdminMixin


class CircleMembershipInline(admin.TabularInline):
    model = CircleMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "joined_at"]


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    list_select_related = ["region"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CircleMembershipInline]


@admin.register(CircleMembership)
class CircleMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "circle", "role", "joined_at"]
    list_filter = ["circle", "role"]
    list_select_related = ["user", "circle"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "circle__name"]
    autocomplete_fields = ["user", "circle"]


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


class MeetingNoteInline(admin.StackedInline):
    model = MeetingNote
    extra = 0
    fields = ["status", "visibility", "body", "focus_areas", "author", "published_at"]
    readonly_fields = ["author", "published_at"]
    filter_horizontal = ["focus_areas"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
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
        "cancelled_at",
    ]
    inlines = [AttachmentInline]

    def save_model(self, request, obj, form, change):
        obj.agenda_html = render_markdown(obj.agenda)
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class NoteRevisionInline(admin.TabularInline):
    model = NoteRevision
    extra = 0
    fields = ["created_at", "edited_by", "status", "visibility", "body"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MeetingNote)
class MeetingNoteAdmin(admin.ModelAdmin):
    list_display = ["meeting", "status", "visibility", "published_at"]
    list_filter = ["status", "visibility", "meeting__circle"]
    list_select_related = ["meeting", "meeting__circle"]
    search_fields = ["meeting__title", "body"]
    fields = ["meeting", "status", "visibility", "body", "focus_areas"]
    raw_id_fields = ["meeting"]
    filter_horizontal = ["focus_areas"]
    inlines = [NoteRevisionInline, AttachmentInline]

    def save_model(self, request, obj, form, change):
        # Edits in admin keep history too: the snapshot is written after the save.
        obj.body_html = render_markdown(obj.body)
        if obj.status == NoteStatus.PUBLISHED and obj.published_at is None:
            obj.published_at = timezone.now()
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
        NoteRevision.objects.create(
            note=obj, body=obj.body, visibility=obj.visibility, status=obj.status, edited_by=request.user
        )


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "user", "response", "updated_at"]
    list_filter = ["response"]
    list_select_related = ["meeting", "user"]
    search_fields = ["meeting__title", "user__email", "user__first_name", "user__last_name"]
    raw_id_fields = ["meeting", "user"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(SecretFieldsAdminMixin, admin.ModelAdmin):
    secret_fields = frozenset({"token"})
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
