from django.urls import path, re_path

from . import views

app_name = "takster"
urlpatterns = [
    path("", views.index, name="index"),
    path(
        "runder/<int:round_id>/driftsherre/<int:driftsherre_id>/skabelon.xlsx",
        views.template_download, name="template",
    ),
    path(
        "runder/<int:round_id>/driftsherre/<int:driftsherre_id>/upload/",
        views.upload_create, name="upload_create",
    ),
    path("indberetninger/<int:submission_id>/", views.submission_detail, name="submission_detail"),
    path("uploads/<int:upload_id>/", views.upload_detail, name="upload_detail"),
    path("uploads/<int:upload_id>/status.json", views.upload_status, name="upload_status"),
    path("uploads/<int:upload_id>/kvitter/", views.upload_acknowledge, name="upload_acknowledge"),
    path("uploads/<int:upload_id>/indsend/", views.upload_submit, name="upload_submit"),
    path("uploads/<int:upload_id>/fil.xlsx", views.upload_file, name="upload_file"),
    path(
        "uploads/<int:upload_id>/kommenteret.xlsx", views.upload_annotated,
        name="upload_annotated",
    ),
    re_path(
        r"^uploads/(?P<upload_id>[0-9]+)/fund\.(?P<fmt>csv|xlsx)$", views.upload_findings,
        name="upload_findings",
    ),
    path("uploads/<int:upload_id>/sammenligning/", views.upload_compare, name="upload_compare"),
]
