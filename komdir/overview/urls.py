from django.urls import path

from komdir.overview import views

app_name = "overview"

urlpatterns = [
    path("overblik/", views.overview, name="overview"),
    path("overblik/seneste-7-dage/", views.overview_week, name="week"),
    path("overblik/laest/", views.overview_mark_read, name="mark_read"),
]
