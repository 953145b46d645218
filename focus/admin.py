from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from focus import services
from focus.models import (
    Case,
    CaseRevision,
    Comment,
    CommentRevision,
    FocusArea,
    GuidingQuestion,
    Report,
    SitePage,
    StrategyPeriod,
)
from komdir.lib.admin_services import ServiceAdminMixin, refused


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
class StrategyPeriodAdmin(admin.ModelAdmin):
    list_display = ["title", "start_year", "end_year", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [FocusAreaInline]
    actions = ["make_current"]

    def save_model(self, request, obj, form, change):
        services.period_save(period=obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for area in instances:
            services.area_save(area=area)

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
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "period"]
    list_filter = ["period"]
    list_select_related = ["period"]
    search_fields = ["title", "lead", "body"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [GuidingQuestionInline]

    def save_model(self, request, obj, form, change):
        services.area_save(area=obj)


@admin.register(GuidingQuestion)
class GuidingQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "focus_area", "order"]
    list_filter = ["focus_area__period", "focus_area"]
    list_select_related = ["focus_area"]
    search_fields = ["text"]
    autocomplete_fields = ["focus_area"]


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "body"]
    readonly_fields = ["updated_at"]

    def save_model(self, request, obj, form, change):
        services.page_save(page=obj)


# --- Member contributions and moderation ------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Gemmes sammen med indholdet, så det altid kan ses, hvorfor det blev skjult eller genskabt."
        ),
    )


def _ask_reason(modeladmin, request, queryset, *, action: str, title: str, apply) -> TemplateResponse | None:
    """An admin action that first asks the secretariat for a reason (an intermediate page)."""
    form = ReasonForm(request.POST if "reason_given" in request.POST else None)
    if form.is_bound and form.is_valid():
        # The whole selection is one write: a failure on the last item leaves the first untouched.
        try:
            with transaction.atomic():
                done = 0
                for obj in queryset:
                    apply(obj, form.cleaned_data["reason"])
                    done += 1
        except ValidationError as exc:
            modeladmin.message_user(
                request, " ".join([*exc.messages, str(_("Intet er ændret."))]), messages.ERROR
            )
            return None
        except IntegrityError:
            modeladmin.message_user(
                request,
                _("Intet er ændret, fordi indholdet blev ændret samtidig et andet sted. Prøv igen."),
                messages.ERROR,
            )
            return None
        modeladmin.message_user(request, _("%(count)s elementer er behandlet.") % {"count": done})
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": action,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "focus/admin_moderation_reason.html", context)


class ModeratedAdminMixin:
    actions = ["hide", "restore"]

    @admin.action(description=_("Skjul for medlemmerne (med begrundelse)"))
    def hide(self, request, queryset):
        return _ask_reason(
            self,
            request,
            queryset,
            action="hide",
            title=_("Skjul indhold"),
            apply=lambda obj, reason: services.content_hide(obj=obj, actor=request.user, reason=reason),
        )

    @admin.action(description=_("Genskab for medlemmerne (med begrundelse)"))
    def restore(self, request, queryset):
        return _ask_reason(
            self,
            request,
            queryset,
            action="restore",
            title=_("Genskab indhold"),
            apply=lambda obj, reason: services.content_restore(obj=obj, actor=request.user, reason=reason),
        )

    @admin.display(boolean=True, description=_("skjult"))
    def hidden(self, obj) -> bool:
        return obj.hidden_at is not None


class CaseRevisionInline(admin.TabularInline):
    model = CaseRevision
    extra = 0
    can_delete = False
    fields = ["version", "title", "summary", "body", "tag_names", "edited_by", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CaseAdminForm(forms.ModelForm):
    # The version the secretary opened: a member saving since is a conflict, as in the portal.
    loaded_version = forms.IntegerField(
        label=_("udgave"), required=False, min_value=1, widget=forms.HiddenInput
    )

    class Meta:
        model = Case
        fields = ["title", "summary", "body", "focus_area", "questions", "tags", "is_public"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_version"].initial = self.instance.version


@admin.register(Case)
class CaseAdmin(ServiceAdminMixin, ModeratedAdminMixin, admin.ModelAdmin):
    form = CaseAdminForm
    version_field = "loaded_version"
    list_display = [
        "title",
        "author",
        "municipality",
        "focus_area",
        "status",
        "is_public",
        "hidden",
        "published_at",
    ]
    list_filter = ["status", "is_public", ("hidden_at", admin.EmptyFieldListFilter), "focus_area"]
    list_select_related = ["author", "municipality", "focus_area"]
    search_fields = ["title", "summary", "body", "author__first_name", "author__last_name"]
    readonly_fields = [
        "author",
        "municipality",
        "status",
        "published_at",
        "created_at",
        "updated_at",
        "version",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
    ]
    fields = [
        "title",
        "summary",
        "body",
        "focus_area",
        "questions",
        "tags",
        "is_public",
        "loaded_version",
        *readonly_fields,
    ]
    autocomplete_fields = ["questions"]
    inlines = [CaseRevisionInline]

    def has_add_permission(self, request):
        # Cases are written by members in the portal; the secretariat edits and moderates.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        with refused():
            saved = services.case_update(
                case=obj,
                editor=request.user,
                # No version (a page not loaded whole) is never the current one: refused.
                expected_version=data["loaded_version"] or 0,
                focus_area=data["focus_area"],
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                questions=list(data["questions"]),
                tags=data["tags"],
                is_public=data["is_public"],
            )
        obj.version, obj.slug = saved.version, saved.slug

    def save_related(self, request, form, formsets, change):
        # case_update set the questions and tags; the revisions inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class CommentRevisionInline(admin.TabularInline):
    model = CommentRevision
    extra = 0
    can_delete = False
    fields = ["version", "body", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(ModeratedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "author", "focus_area", "case", "created_at", "hidden", "deleted"]
    list_filter = [("hidden_at", admin.EmptyFieldListFilter), ("deleted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["author", "focus_area", "case"]
    search_fields = ["body", "author__first_name", "author__last_name"]
    fields = [
        "author",
        "focus_area",
        "question",
        "case",
        "parent",
        "body",
        "created_at",
        "edited_at",
        "deleted_at",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
    ]
    readonly_fields = fields
    inlines = [CommentRevisionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description=_("slettet"))
    def deleted(self, obj) -> bool:
        return obj.deleted_at is not None


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

        return _ask_reason(self, request, queryset, action=action, title=title, apply=apply)

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
        return _ask_reason(
            self,
            request,
            queryset,
            action="resolve",
            title=_("Afslut indberetninger"),
            apply=lambda report, reason: services.report_handle(
                report=report, actor=request.user, hide=None, reason=reason
            ),
        )
