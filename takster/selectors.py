"""Reads for the rate-round pages: who may see which upload, the report, the overview."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from socialaftale.models import Driftsherre
from socialaftale.permissions import check_driftsherre_access

from .models import (
    RateLine,
    RateRound,
    ReviewComment,
    Submission,
    SubmissionEvent,
    Takstbilag,
    Upload,
)
from .validation import FINDING_CODES

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def open_rounds():
    return RateRound.objects.filter(status=RateRound.Status.OPEN).select_related("parameters")


def review_rounds():
    """Rounds the secretariat follows: open ones and closed ones not fully published."""
    return RateRound.objects.select_related("parameters").order_by(
        "-parameters__budget_year")[:3]


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
        Submission.objects.select_related(
            "driftsherre", "rate_round__parameters", "submitted_upload", "revision_of"
        ),
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


class State:
    """The overview's states of a driftsherre in a round (label, badge class)."""

    NOT_STARTED = ("Ikke startet", "")
    ERRORS = ("Uploadet med fejl", "error")
    UPLOADED = ("Uploadet, ikke indsendt", "warning")
    SUBMITTED = ("Indsendt", "info")
    RETURNED = ("Returneret med bemærkninger", "warning")
    RECOMMENDED = ("Indstillet", "info")
    APPROVED = ("Godkendt", "ok")
    PUBLISHED = ("Offentliggjort", "ok")


def submission_state(submission: Submission | None, upload: Upload | None) -> tuple[str, str]:
    if submission is None or upload is None:
        return State.NOT_STARTED
    if submission.status == Submission.Status.DRAFT:
        return State.ERRORS if upload.errors_count else State.UPLOADED
    return getattr(State, submission.status.upper())


def round_overview(rate_round: RateRound) -> list[dict]:
    """Every driftsherre with its newest submission (revision), latest upload, state and
    last event (secretariat's table); a fixed number of queries."""
    submissions: dict[int, Submission] = {}
    queryset = (
        Submission.objects.filter(rate_round=rate_round)
        .select_related("driftsherre", "rate_round")
        .prefetch_related(
            Prefetch("events", queryset=SubmissionEvent.objects.select_related("by").order_by(
                "at", "pk")),
            "das_approvals",
        )
        .order_by("driftsherre_id", "-revision")
    )
    for submission in queryset:
        submissions.setdefault(submission.driftsherre_id, submission)
    latest = latest_uploads(list(submissions.values()))
    today = timezone.localdate()
    rows = []
    for driftsherre in Driftsherre.objects.all():
        submission = submissions.get(driftsherre.pk)
        upload = latest.get(submission.pk) if submission else None
        state = submission_state(submission, upload)
        events = list(submission.events.all()) if submission else []
        rows.append({
            "driftsherre": driftsherre,
            "submission": submission,
            "upload": upload,
            "state": state[0], "badge": state[1],
            "last_event": events[-1] if events else None,
            "late": rate_round.is_open and today > rate_round.deadline and state in (
                State.NOT_STARTED, State.ERRORS, State.UPLOADED, State.RETURNED
            ) and (submission is None or submission.revision == 0),
            "official": bool(submission and (
                submission.delegated or list(submission.das_approvals.all())
            )),
        })
    return rows


def review_lines(submission: Submission) -> list[dict]:
    """The submitted version's lines grouped per offer, each with its comments."""
    upload = submission.submitted_upload
    if upload is None:
        return []
    lines = upload.lines.prefetch_related(
        Prefetch("comments", queryset=ReviewComment.objects.select_related("by"))
    ).order_by("block_index", "year", "row")
    return list(lines)


def submission_comments(submission: Submission):
    """All comments on the submission (whole and per line), oldest first."""
    return submission.comments.select_related("by", "line").order_by("at", "pk")


def submission_events(submission: Submission):
    return submission.events.select_related("by").order_by("at", "pk")


def rejected_lines(submission: Submission) -> list[RateLine]:
    """The submitted version's rejected lines with the reviewer's reason."""
    if submission.submitted_upload_id is None:
        return []
    return list(submission.submitted_upload.lines.filter(
        approval_status=RateLine.Approval.REJECTED
    ).order_by("block_index", "year", "row"))


def comments_for_upload(upload: Upload) -> list[ReviewComment]:
    """Comments the driftsherre sees on its report: those on this submission."""
    return list(submission_comments(upload.submission))


def takstbilag_for_year(user, budget_year: int) -> list[Takstbilag]:
    """Published versions for everyone; drafts too for the secretariat. Newest first."""
    from socialaftale.permissions import is_sekretariat

    queryset = Takstbilag.objects.filter(
        rate_round__parameters__budget_year=budget_year
    ).select_related("rate_round__parameters", "pdf_job", "xlsx_job").order_by("-version")
    if not is_sekretariat(user):
        queryset = queryset.filter(status=Takstbilag.Status.PUBLISHED)
    return list(queryset)


def takstbilag_get(user, budget_year: int, version: int) -> Takstbilag:
    for takstbilag in takstbilag_for_year(user, budget_year):
        if takstbilag.version == version:
            return takstbilag
    raise Http404("Takstbilaget findes ikke.")


def published_years() -> list[int]:
    return sorted(
        set(
            Takstbilag.objects.filter(status=Takstbilag.Status.PUBLISHED).values_list(
                "rate_round__parameters__budget_year", flat=True
            )
        ),
        reverse=True,
    )


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
