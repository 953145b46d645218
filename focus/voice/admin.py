"""The secretariat's list of positions and of the consent to quote. Positions are written on
their pages in the portal (drafting, sources, consultation, approval: focus.voice.services);
here they are found and filtered, a draft removed, and the consent answers checked."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from focus.voice import services
from focus.voice.models import Citation, Collection, Consultation, Position, Rule
from komdir.lib.admin_services import ListOnlyAdmin


class _FoundHere(ListOnlyAdmin):
    """Written in the portal; here a row links to its page there, and nothing is deleted."""

    @admin.display(description=_("i portalen"))
    def in_portal(self, obj) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Åbn"))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Position)
class PositionAdmin(_FoundHere):
    list_display = ["title", "question", "status", "comments_until", "published_at", "in_portal"]
    list_select_related = ["question"]
    list_filter = ["status", "question__focus_area"]
    search_fields = ["title", "body"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.is_draft

    def delete_model(self, request, obj):
        services.position_delete(actor=request.user, position=obj)

    def delete_queryset(self, request, queryset):
        for position in queryset:
            services.position_delete(actor=request.user, position=position)


@admin.register(Consultation)
class ConsultationAdmin(_FoundHere):
    """Registered and answered in the portal (/hoeringer/); found and filtered here."""

    list_display = ["title", "sender", "external_deadline", "input_deadline", "sent_on", "in_portal"]
    list_filter = ["sent_on", "focus_areas"]
    search_fields = ["title", "sender"]


@admin.register(Collection)
class CollectionAdmin(_FoundHere):
    """Built in the portal (/eksempelsamlinger/); found and filtered here."""

    list_display = ["title", "audience", "published_at", "in_portal"]
    list_filter = ["audience"]
    search_fields = ["title"]


@admin.register(Rule)
class RuleAdmin(_FoundHere):
    """Kept in the portal (/regler/: add, confirm); found and filtered here."""

    list_display = ["__str__", "description", "confirmed", "created_at"]
    list_filter = ["confirmed", "law"]
    search_fields = ["law", "paragraph", "description"]


@admin.register(Citation)
class CitationAdmin(_FoundHere):
    list_display = ["__str__", "position", "member", "consent", "asked_at", "answered_at"]
    list_select_related = ["position", "member", "case", "comment"]
    list_filter = ["consent"]
    search_fields = ["quote", "position__title", "member__first_name", "member__last_name"]
