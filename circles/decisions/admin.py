"""The secretariat's lists of decisions and action items. They are written on the note's page in
the portal (through circles.decisions.services); here they are found, filtered and removed."""

from __future__ import annotations

from django.contrib import admin

from circles.decisions import services
from circles.decisions.models import ActionItem, Decision
from komdir.lib.admin_services import ListOnlyAdmin


@admin.register(Decision)
class DecisionAdmin(ListOnlyAdmin):
    list_display = ["text", "note", "created_at"]
    list_select_related = ["note__meeting"]
    list_filter = ["focus_areas"]
    search_fields = ["text", "note__meeting__title"]

    def delete_model(self, request, obj):
        services.decision_delete(actor=request.user, decision=obj)

    def delete_queryset(self, request, queryset):
        for decision in queryset.select_related("note__meeting"):
            services.decision_delete(actor=request.user, decision=decision)


@admin.register(ActionItem)
class ActionItemAdmin(ListOnlyAdmin):
    list_display = ["text", "owner", "due_date", "status", "note"]
    list_select_related = ["owner", "note__meeting"]
    list_filter = ["status", "due_date"]
    search_fields = ["text", "owner__first_name", "owner__last_name", "note__meeting__title"]

    def delete_model(self, request, obj):
        services.action_delete(actor=request.user, action=obj)

    def delete_queryset(self, request, queryset):
        for action in queryset.select_related("note__meeting"):
            services.action_delete(actor=request.user, action=action)
