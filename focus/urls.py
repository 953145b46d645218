from django.urls import path

from focus import views

app_name = "focus"

urlpatterns = [
    path("perioder/", views.period_list, name="period_list"),
    path("perioder/<slug:period_slug>/", views.period_detail, name="period_detail"),
    path("perioder/<slug:period_slug>/<slug:area_slug>/", views.area_detail, name="area_detail"),
    path("side/<slug:slug>/", views.page, name="page"),
]
