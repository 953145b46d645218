"""The secretariat's screens for members' cases and comments."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from focus import services
from focus.admin.moderation import ModeratedAdminMixin
from focus.models import (
    Case,
    CaseRevision,
    Comment,
    CommentRevision,
)
from komdir.lib.admin_services import ServiceAdminMixin, refused


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
