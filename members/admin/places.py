"""Regions and municipalities."""

from __future__ import annotations

from django.contrib import admin

from komdir.lib.admin_services import ServiceAdminMixin, refused
from members import services
from members.admin.mixins import AuditedAdminMixin
from members.models import Municipality, Region


@admin.register(Region)
class RegionAdmin(ServiceAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        with refused():
            services.region_save(actor=request.user, region=obj)

    def delete_model(self, request, obj):
        services.region_delete(actor=request.user, region=obj)

    def delete_queryset(self, request, queryset):
        for region in queryset:
            services.region_delete(actor=request.user, region=region)


@admin.register(Municipality)
class MunicipalityAdmin(ServiceAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        with refused():
            services.municipality_save(actor=request.user, municipality=obj)

    def delete_model(self, request, obj):
        services.municipality_delete(actor=request.user, municipality=obj)

    def delete_queryset(self, request, queryset):
        for municipality in queryset:
            services.municipality_delete(actor=request.user, municipality=municipality)
