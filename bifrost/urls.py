from django.urls import path

from . import views

app_name = "bifrost"
urlpatterns = [
    path("", views.index, name="index"),
    path("planer/<int:pk>/gaeldende/", views.plan_set_in_force, name="plan_in_force"),
    path("henvendelser/", views.referral_list, name="referral_list"),
    path("henvendelser/ny/", views.referral_create, name="referral_create"),
    path("henvendelser/<int:pk>/", views.referral_edit, name="referral_edit"),
    path("afdaekning/<int:pk>/", views.screening_detail, name="screening_detail"),
    path("afdaekning/<int:pk>/svar/<int:municipality_id>/", views.screening_answer,
         name="screening_answer"),
    path("rapport/<int:year>-k<int:quarter>/", views.report, name="report"),
    path("rapport/<int:year>-k<int:quarter>/pdf/", views.report_pdf, name="report_pdf"),
    path("rapport/udgave/<int:job_id>/", views.report_download, name="report_download"),
]
