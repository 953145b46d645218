from django.urls import path

from komdir.directory import views

app_name = "directory"

urlpatterns = [
    path("medlemmer/", views.directory, name="directory"),
    path("medlemmer/<int:pk>/", views.profile, name="profile"),
]
