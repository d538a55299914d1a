"""The demo data: a 2027 round and Mariagerfjord's test sheet with a real report."""

import io

import pytest
from django.urls import reverse

from takster import demo
from takster.models import RateRound, Upload

pytestmark = pytest.mark.django_db


def test_demo_round_and_report_are_there_at_once_and_load_is_idempotent(
    client, reference_data, staff, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(stdout=out)
        demo.load(stdout=out)
    rate_round = RateRound.objects.get()
    assert rate_round.budget_year == 2027 and rate_round.is_open
    upload = Upload.objects.get()
    assert upload.is_validated and upload.errors_count == 8 and upload.uploaded_by is None
    assert "8 fejl, 7 advarsler" in out.getvalue() and "findes allerede" in out.getvalue()
    client.force_login(staff)
    html = client.get(reverse("takster:upload_detail", args=[upload.pk])).content.decode()
    assert "uploadet" in html and "ukendt" in html and "RISE_NEEDS_REMARK" in html
