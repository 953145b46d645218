from django.urls import path

from focus.voice import feeds
from focus.voice.views import collections, consultations, positions, rules

app_name = "voice"

urlpatterns = [
    path("holdninger/", positions.position_list, name="position_list"),
    path("holdninger/ny/", positions.position_create, name="position_create"),
    path("holdninger/feed/", feeds.PositionsFeed(), name="position_feed"),
    path("holdninger/kilder/<int:pk>/fjern/", positions.citation_remove, name="citation_remove"),
    path("holdninger/<slug:slug>/", positions.position_detail, name="position_detail"),
    path("holdninger/<slug:slug>/rediger/", positions.position_edit, name="position_edit"),
    path("holdninger/<slug:slug>/kilder/", positions.position_sources, name="position_sources"),
    path("holdninger/<slug:slug>/hoering/", positions.position_open, name="position_open"),
    path("holdninger/<slug:slug>/kommentarer/", positions.position_comment, name="position_comment"),
    path("holdninger/<slug:slug>/godkend/", positions.position_publish, name="position_publish"),
    path("holdninger/<slug:slug>/slet/", positions.position_delete, name="position_delete"),
    path("holdninger/<slug:slug>/versioner/", positions.position_versions, name="position_versions"),
    path("holdninger/<slug:slug>/pdf/", positions.position_download, name="position_pdf"),
    path("hoeringer/", consultations.consultation_list, name="consultation_list"),
    path("hoeringer/ny/", consultations.consultation_create, name="consultation_create"),
    path("hoeringer/<int:pk>-<slug:slug>/", consultations.consultation_detail, name="consultation_detail"),
    path("hoeringer/<int:pk>/rediger/", consultations.consultation_edit, name="consultation_edit"),
    path("hoeringer/<int:pk>/svar/", consultations.consultation_respond, name="consultation_respond"),
    path("hoeringer/<int:pk>/sendt/", consultations.consultation_sent, name="consultation_sent"),
    path("eksempelsamlinger/", collections.collection_list, name="collection_list"),
    path("eksempelsamlinger/ny/", collections.collection_create, name="collection_create"),
    path("eksempelsamlinger/<slug:slug>/", collections.collection_detail, name="collection_detail"),
    path("eksempelsamlinger/<slug:slug>/rediger/", collections.collection_edit, name="collection_edit"),
    path("eksempelsamlinger/<slug:slug>/cases/", collections.collection_cases, name="collection_cases"),
    path(
        "eksempelsamlinger/<slug:slug>/offentliggoer/",
        collections.collection_publish,
        name="collection_publish",
    ),
    path("eksempelsamlinger/<slug:slug>/sendt/", collections.collection_dispatch, name="collection_dispatch"),
    path("eksempelsamlinger/<slug:slug>/pdf/", collections.collection_pdf_download, name="collection_pdf"),
    path("eksempelsamlinger/<slug:slug>/docx/", collections.collection_docx_download, name="collection_docx"),
    path("regler/", rules.rule_list, name="rule_list"),
    path("regler/<int:pk>/", rules.rule_detail, name="rule_detail"),
    path("regler/<int:pk>/bekraeft/", rules.rule_confirm, name="rule_confirm"),
    path("regler/cases/<int:pk>/", rules.case_rules, name="case_rules"),
    path("samtykke/", positions.consent_list, name="consent_list"),
    path("samtykke/<int:pk>/", positions.consent, name="consent"),
]
