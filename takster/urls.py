from django.urls import path, re_path

from . import history_views, views

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
    # Review and approval (issue 6)
    path("indberetninger/<int:submission_id>/gennemgang/", views.submission_review,
         name="submission_review"),
    path("indberetninger/<int:submission_id>/bemaerk/", views.submission_comment_create,
         name="submission_comment"),
    re_path(r"^indberetninger/(?P<submission_id>[0-9]+)/(?P<action>returner|indstil|godkend|"
            r"delegeret)/$", views.submission_transition, name="submission_transition"),
    path("indberetninger/<int:submission_id>/linjer/<int:line_id>/", views.rateline_decide,
         name="rateline_decide"),
    path("indberetninger/<int:submission_id>/das/", views.das_approval_create,
         name="das_approval"),
    path("indberetninger/<int:submission_id>/das/nyt-punkt/", views.das_item_create,
         name="das_item_create"),
    path("indberetninger/<int:submission_id>/linjer/<int:line_id>/dage/", views.rateline_days,
         name="rateline_days"),
    path("bemaerkninger/<int:comment_id>/svar/", views.comment_answer, name="comment_answer"),
    path("indberetninger/<int:submission_id>/revider/", views.submission_revise,
         name="submission_revise"),
    path("runder/<int:round_id>/paamindelser/", views.reminders_send, name="reminders_send"),
    path("runder/<int:round_id>/takstbilag/", views.takstbilag_create, name="takstbilag_create"),
    path("takstbilag/<int:year>/", views.takstbilag_year, name="takstbilag_year"),
    path("driftsherrer/", history_views.driftsherre_compare, name="driftsherre_compare"),
    path("driftsherrer/<slug:slug>/", history_views.driftsherre_history,
         name="driftsherre_history"),
    path("takstbilag/<int:year>/v<int:version>/offentliggoer/", views.takstbilag_publish,
         name="takstbilag_publish"),
    re_path(r"^takstbilag/(?P<year>[0-9]{4})/v(?P<version>[0-9]+)\.(?P<fmt>pdf|xlsx)$",
            views.takstbilag_download, name="takstbilag_download"),
]
