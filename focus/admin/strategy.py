"""The secretariat's screens for the strategy: periods, areas, guiding questions, site pages."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from focus import services
from focus.models import (
    FocusArea,
    GuidingQuestion,
    SitePage,
    StrategyPeriod,
)
from komdir.lib.admin_services import ServiceAdminMixin, refused

# Every admin write of strategy content is a service call, as in the portal.
_SAVE = {
    StrategyPeriod: lambda obj: services.period_save(period=obj),
    FocusArea: lambda obj: services.area_save(area=obj),
    GuidingQuestion: lambda obj: services.question_save(question=obj),
    SitePage: lambda obj: services.page_save(page=obj),
}
_DELETE = {
    StrategyPeriod: lambda obj: services.period_delete(period=obj),
    FocusArea: lambda obj: services.area_delete(area=obj),
    GuidingQuestion: lambda obj: services.question_delete(question=obj),
    SitePage: lambda obj: services.page_delete(page=obj),
}


class StrategyAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Saves, deletes and inline rows through focus.services; a refusal comes back on the form."""

    def save_model(self, request, obj, form, change):
        with refused():
            _SAVE[type(obj)](obj)

    def delete_model(self, request, obj):
        _DELETE[type(obj)](obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                _DELETE[type(obj)](obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        with refused():
            for obj in formset.deleted_objects:
                _DELETE[type(obj)](obj)
            for obj in instances:
                _SAVE[type(obj)](obj)


class FocusAreaInline(admin.StackedInline):
    model = FocusArea
    extra = 0
    fields = ["number", "title", "slug", "lead", "body"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True


class GuidingQuestionInline(admin.TabularInline):
    model = GuidingQuestion
    extra = 1
    fields = ["order", "text"]


@admin.register(StrategyPeriod)
class StrategyPeriodAdmin(StrategyAdmin):
    list_display = ["title", "start_year", "end_year", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [FocusAreaInline]
    actions = ["make_current"]

    @admin.action(description=_("Gør perioden gældende (den nuværende arkiveres)"))
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Vælg præcis én periode."), messages.ERROR)
            return
        try:
            period = services.period_make_current(period=queryset.get())
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, _("%(period)s er nu den gældende periode.") % {"period": period})


@admin.register(FocusArea)
class FocusAreaAdmin(StrategyAdmin):
    list_display = ["title", "number", "period"]
    list_filter = ["period"]
    list_select_related = ["period"]
    search_fields = ["title", "lead", "body"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [GuidingQuestionInline]


@admin.register(GuidingQuestion)
class GuidingQuestionAdmin(StrategyAdmin):
    list_display = ["text", "focus_area", "order"]
    list_filter = ["focus_area__period", "focus_area"]
    list_select_related = ["focus_area"]
    search_fields = ["text"]
    autocomplete_fields = ["focus_area"]


@admin.register(SitePage)
class SitePageAdmin(StrategyAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "body"]
    readonly_fields = ["updated_at"]
