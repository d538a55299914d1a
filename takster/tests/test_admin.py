"""The admin: rounds, submissions with uploads, read-only uploads with findings, re-run."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from socialaftale.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, reference_data):
    user = User.objects.create_superuser("admin", password="kode-1234")
    client.force_login(user)
    return client


def test_every_takster_admin_page_opens(admin_client, stored_upload):
    upload = stored_upload()
    for model in ["rateround", "submission", "upload", "rateline", "acknowledgement"]:
        response = admin_client.get(reverse(f"admin:takster_{model}_changelist"))
        assert response.status_code == 200, model
    html = admin_client.get(
        reverse("admin:takster_upload_change", args=[upload.pk])
    ).content.decode()
    assert "RISE_NEEDS_REMARK" in html and upload.sha256 in html
    html = admin_client.get(
        reverse("admin:takster_submission_change", args=[upload.submission.pk])
    ).content.decode()
    assert upload.original_name in html


def test_rerun_validation_action_runs_the_job_again(admin_client, stored_upload,
                                                    django_capture_on_commit_callbacks):
    upload = stored_upload()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:takster_upload_changelist"), {
            "action": "rerun_validation", "_selected_action": [upload.pk],
        })
    job = Job.objects.get(pk=upload.job_id)
    assert job.attempts == 2 and job.status == Job.Status.DONE
    assert upload.findings.count() == 19


def test_the_secretariat_forces_a_new_render_of_a_takstbilag(
    admin_client, demo_2026_rendered, django_capture_on_commit_callbacks
):
    takstbilag = demo_2026_rendered[1]
    takstbilag.refresh_from_db()
    before = Job.objects.get(pk=takstbilag.pdf_job_id).attempts
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:takster_takstbilag_changelist"), {
            "action": "rerender", "_selected_action": [takstbilag.pk],
        })
    job = Job.objects.get(pk=takstbilag.pdf_job_id)
    assert job.status == Job.Status.DONE and job.attempts == before + 1
