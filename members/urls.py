from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("medlemmer/mig/rediger/", views.profile_edit, name="profile_edit"),
]
