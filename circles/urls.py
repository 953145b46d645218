from django.urls import path

from circles import views

app_name = "circles"

urlpatterns = [
    path("kredse/", views.circle_list, name="circle_list"),
    path("kredse/<slug:slug>/", views.circle_detail, name="circle_detail"),
    path("kredse/<slug:slug>/moeder/nyt/", views.meeting_create, name="meeting_create"),
    path("moeder/nyt/", views.meeting_create, name="event_create"),
    path("moeder/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moeder/<int:pk>/rediger/", views.meeting_edit, name="meeting_edit"),
    path("moeder/<int:pk>/aflys/bekraeft/", views.meeting_cancel_confirm, name="meeting_cancel_confirm"),
    path("moeder/<int:pk>/aflys/", views.meeting_cancel, name="meeting_cancel"),
    path("moeder/<int:pk>/tilmelding/", views.attendance_set, name="attendance_set"),
    path("moeder/<int:pk>/kalender.ics", views.meeting_ics, name="meeting_ics"),
    path("moeder/<int:pk>/deltagere.csv", views.attendance_export, name="attendance_export"),
    path("moeder/<int:pk>/fremmoede/", views.presence_record, name="presence_record"),
    path("svar/<str:token>/", views.answer_from_mail, name="answer_from_mail"),
    path("moeder/<int:pk>/referat/", views.note_edit, name="note_edit"),
    path(
        "moeder/<int:pk>/bilag/nyt/",
        views.attachment_add,
        {"target": "meeting"},
        name="meeting_attachment_add",
    ),
    path("referater/<int:pk>/", views.note_detail, name="note_detail"),
    path("referater/<int:pk>/rediger/", views.note_edit_by_note, name="note_edit_by_note"),
    path(
        "referater/<int:pk>/bilag/nyt/", views.attachment_add, {"target": "note"}, name="note_attachment_add"
    ),
    path("bilag/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("bilag/<int:pk>/slet/", views.attachment_delete, name="attachment_delete"),
    path("kalender/", views.calendar_settings, name="calendar_settings"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
