from django.urls import path

from komdir.privacy import views

app_name = "privacy"

urlpatterns = [
    path("medlemmer/mig/data/", views.my_data, name="my_data"),
    path("medlemmer/mig/data/eksport.json", views.my_data_export, name="my_data_export"),
]
