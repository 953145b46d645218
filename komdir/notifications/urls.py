from django.urls import path

from komdir.notifications import views

app_name = "notifications"

urlpatterns = [
    path("medlemmer/mig/notifikationer/", views.notification_settings, name="settings"),
    path("foelg/<str:kind>/<int:pk>/", views.follow, name="follow"),
    path("afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
