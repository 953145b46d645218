from django.urls import path

from circles.decisions import views

app_name = "decisions"

urlpatterns = [
    path("referater/<int:pk>/beslutninger/", views.decision_add, name="decision_add"),
    path("beslutninger/<int:pk>/slet/", views.decision_delete, name="decision_delete"),
    path("referater/<int:pk>/handlinger/", views.action_add, name="action_add"),
    path("handlinger/<int:pk>/udfoert/", views.action_done, name="action_done"),
    path("handlinger/<int:pk>/slet/", views.action_delete, name="action_delete"),
    path("referater/<int:pk>/del/", views.note_share, name="note_share"),
    path("referater/<int:pk>/kommentarer/", views.note_comment, name="note_comment"),
]
