"""Reads for the rate-round pages: who may see which upload, the report, the overview."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from socialaftale.models import Driftsherre
from socialaftale.permissions import check_driftsherre_access

from .models import RateRound, Submission, Upload
from .validation import FINDING_CODES

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def open_rounds():
    return RateRound.objects.filter(status=RateRound.Status.OPEN).select_related("parameters")


def round_get(round_id: int) -> RateRound:
    return get_object_or_404(RateRound.objects.select_related("parameters"), pk=round_id)


def driftsherre_for(user, driftsherre_id: int) -> Driftsherre:
    """The driftsherre a user may act for; another driftsherre's id answers 404."""
    check_driftsherre_access(user, driftsherre_id)
    return get_object_or_404(Driftsherre, pk=driftsherre_id)


def upload_for(user, upload_id: int) -> Upload:
    """An upload the user may see: its own driftsherre's, or any for the secretariat."""
    upload = get_object_or_404(
        Upload.objects.select_related(
            "job", "uploaded_by", "submission__driftsherre", "submission__rate_round__parameters"
        ),
        pk=upload_id,
    )
    check_driftsherre_access(user, upload.submission.driftsherre_id)
    return upload


def submission_for(user, submission_id: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("driftsherre", "rate_round__parameters"),
        pk=submission_id,
    )
    check_driftsherre_access(user, submission.driftsherre_id)
    return submission


def latest_uploads(submissions) -> dict[int, Upload]:
    """Latest upload per submission id, in one query."""
    latest: dict[int, Upload] = {}
    uploads = Upload.objects.filter(submission__in=submissions).select_related("job").order_by(
        "submission_id", "-version"
    )
    for upload in uploads:
        latest.setdefault(upload.submission_id, upload)
    return latest


def round_overview(rate_round: RateRound) -> list[dict]:
    """Every driftsherre with its submission and latest upload (secretariat's table)."""
    submissions = {
        s.driftsherre_id: s
        for s in Submission.objects.filter(rate_round=rate_round).select_related("driftsherre")
    }
    latest = latest_uploads(list(submissions.values()))
    rows = []
    for driftsherre in Driftsherre.objects.all():
        submission = submissions.get(driftsherre.pk)
        rows.append({
            "driftsherre": driftsherre,
            "submission": submission,
            "upload": latest.get(submission.pk) if submission else None,
        })
    return rows


def report_groups(upload: Upload) -> list[dict]:
    """Findings grouped by code, errors first, with the code's explanation and source."""
    findings = upload.findings.select_related("acknowledgement").order_by("position")
    groups: dict[str, dict] = {}
    for finding in findings:
        severity, title, explanation, source = FINDING_CODES.get(
            finding.code, (finding.severity, finding.code, "", "")
        )
        group = groups.setdefault(finding.code, {
            "code": finding.code, "severity": finding.severity, "title": title,
            "explanation": explanation, "source": source, "findings": [],
        })
        group["findings"].append(finding)
    return sorted(groups.values(), key=lambda g: (SEVERITY_ORDER.get(g["severity"], 9), g["code"]))


def versions(submission: Submission):
    return submission.uploads.select_related("job", "uploaded_by").order_by("-version")
