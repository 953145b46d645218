from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("medlemmer/", views.directory, name="directory"),
    path("medlemmer/mig/rediger/", views.profile_edit, name="profile_edit"),
    path("medlemmer/mig/data/", views.my_data, name="my_data"),
    path("medlemmer/mig/data/eksport.json", views.my_data_export, name="my_data_export"),
    path("medlemmer/<int:pk>/", views.profile, name="profile"),
    path("overblik/", views.overview, name="overview"),
    path("overblik/seneste-7-dage/", views.overview_week, name="overview_week"),
    path("overblik/laest/", views.overview_mark_read, name="overview_mark_read"),
    path("medlemmer/mig/notifikationer/", views.notification_settings, name="notification_settings"),
    path("foelg/<str:kind>/<int:pk>/", views.follow, name="follow"),
    path("afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
