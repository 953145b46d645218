from django.contrib import admin

from circles.models import Circle, CircleMembership


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
