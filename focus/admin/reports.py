"""The secretariat's work list of members' reports."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from focus import services
from focus.admin.moderation import ask_reason
from focus.models import (
    Report,
)


class OpenFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", _("Åbne")), ("resolved", _("Afsluttede"))]

    def queryset(self, request, queryset):
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        if self.value() == "open":
            return queryset.open()
        return queryset


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reporter", "content_in_context", "reason", "target_hidden", "resolved_at"]
    list_filter = [OpenFilter]
    list_select_related = ["reporter", "case", "comment__author", "comment__case", "comment__focus_area"]
    fields = [
        "reporter",
        "created_at",
        "content_in_context",
        "reason",
        "resolved_at",
        "resolved_by",
        "resolution",
    ]
    readonly_fields = fields
    actions = ["hide_content", "restore_content", "resolve"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # Open reports first: the secretariat's work list.
        if "status" not in request.GET and not request.GET.get("q") and request.method == "GET":
            query = request.GET.copy()
            query["status"] = "open"
            request.GET = query
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("indhold"))
    def content_in_context(self, obj) -> str:
        target = obj.case or obj.comment
        if obj.case_id:
            admin_url = reverse("admin:focus_case_change", args=[obj.case_id])
            label, text = _("Case"), obj.case.title
        else:
            admin_url = reverse("admin:focus_comment_change", args=[obj.comment_id])
            where = obj.comment.case.title if obj.comment.case_id else obj.comment.focus_area.title
            label, text = (
                _("Kommentar af %(name)s om %(where)s")
                % {
                    "name": obj.comment.author,
                    "where": where,
                },
                obj.comment.body,
            )
        return format_html(
            '<strong>{}</strong>: <a href="{}">{}</a><br>{}',
            label,
            admin_url,
            Truncator(text).chars(300),
            _("(skjult)") if target.hidden_at else "",
        )

    @admin.display(boolean=True, description=_("skjult"))
    def target_hidden(self, obj) -> bool:
        return (obj.case or obj.comment).hidden_at is not None

    def _apply_to_targets(self, request, queryset, *, action, title, hide):
        def apply(report, reason):
            services.report_handle(report=report, actor=request.user, hide=hide, reason=reason)

        return ask_reason(self, request, queryset, action=action, title=title, apply=apply)

    @admin.action(description=_("Skjul det indberettede indhold og afslut"))
    def hide_content(self, request, queryset):
        return self._apply_to_targets(
            request, queryset, action="hide_content", title=_("Skjul indhold"), hide=True
        )

    @admin.action(description=_("Genskab det indberettede indhold og afslut"))
    def restore_content(self, request, queryset):
        return self._apply_to_targets(
            request, queryset, action="restore_content", title=_("Genskab indhold"), hide=False
        )

    @admin.action(description=_("Afslut uden at skjule"))
    def resolve(self, request, queryset):
        return ask_reason(
            self,
            request,
            queryset,
            action="resolve",
            title=_("Afslut indberetninger"),
            apply=lambda report, reason: services.report_handle(
                report=report, actor=request.user, hide=None, reason=reason
            ),
        )
