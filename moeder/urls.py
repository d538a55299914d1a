from django.urls import path

from . import views

app_name = "moeder"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.meeting_agenda, name="meeting"),
    path("<int:pk>/referat/", views.meeting_minutes, name="minutes"),
    path("<int:pk>/dokument/<slug:kind>/", views.document, name="document"),
    path("dokument/<int:job_id>/hent/", views.document_download, name="document_download"),
    path("bilag/<int:pk>/", views.attachment_download, name="attachment"),
    path("beslutninger/", views.decisions, name="decisions"),
    path("kalender.ics", views.calendar, name="calendar"),
]
