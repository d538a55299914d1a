from django.urls import path

from . import job_views

app_name = "jobs"
urlpatterns = [
    path("<int:job_id>/status/", job_views.job_status, name="status"),
]
