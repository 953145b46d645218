from django.urls import path

from focus.voice import feeds, views

app_name = "voice"

urlpatterns = [
    path("holdninger/", views.position_list, name="position_list"),
    path("holdninger/ny/", views.position_create, name="position_create"),
    path("holdninger/feed/", feeds.PositionsFeed(), name="position_feed"),
    path("holdninger/kilder/<int:pk>/fjern/", views.citation_remove, name="citation_remove"),
    path("holdninger/<slug:slug>/", views.position_detail, name="position_detail"),
    path("holdninger/<slug:slug>/rediger/", views.position_edit, name="position_edit"),
    path("holdninger/<slug:slug>/kilder/", views.position_sources, name="position_sources"),
    path("holdninger/<slug:slug>/hoering/", views.position_open, name="position_open"),
    path("holdninger/<slug:slug>/kommentarer/", views.position_comment, name="position_comment"),
    path("holdninger/<slug:slug>/godkend/", views.position_publish, name="position_publish"),
    path("holdninger/<slug:slug>/slet/", views.position_delete, name="position_delete"),
    path("holdninger/<slug:slug>/versioner/", views.position_versions, name="position_versions"),
    path("holdninger/<slug:slug>/pdf/", views.position_download, name="position_pdf"),
    path("samtykke/", views.consent_list, name="consent_list"),
    path("samtykke/<int:pk>/", views.consent, name="consent"),
]
