"""The audit log."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from members import policies


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
        return policies.is_secretariat(request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
