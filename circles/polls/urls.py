from django.urls import path

from circles.polls import views

app_name = "polls"

urlpatterns = [
    path("afstemninger/", views.poll_list, name="poll_list"),
    path("afstemninger/ny/", views.poll_create, name="poll_create"),
    path("afstemninger/<int:pk>/", views.poll_detail, name="poll_detail"),
    path("afstemninger/<int:pk>/rediger/", views.poll_edit, name="poll_edit"),
    path("afstemninger/<int:pk>/luk/", views.poll_close, name="poll_close"),
    path("afstemninger/<int:pk>/resultat.csv", views.poll_export, name="poll_export"),
]
