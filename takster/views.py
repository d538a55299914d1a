"""Rate-round pages: start page, template, upload, progress, report, downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialaftale.permissions import Role, driftsherre_of, is_sekretariat, role_of, role_required

from . import exports, selectors, services
from .forms import AcknowledgementForm, UploadForm
from .models import Finding, Submission
from .validation import UnsafeWorkbook

UPLOADERS = (Role.SEKRETARIAT, Role.DRIFTSHERRE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def index(request):
    """Start page: own submissions (driftsherre), all submissions (secretariat), or public."""
    rounds = list(selectors.open_rounds())
    role = role_of(request.user)
    context = {"rounds": rounds, "role": role}
    if is_sekretariat(request.user):
        context["overviews"] = [(r, selectors.round_overview(r)) for r in rounds]
        return render(request, "takster/index_sekretariat.html", context)
    driftsherre = driftsherre_of(request.user)
    if driftsherre is not None:
        submissions = {
            s.rate_round_id: s
            for s in Submission.objects.filter(driftsherre=driftsherre, rate_round__in=rounds)
        }
        latest = selectors.latest_uploads(list(submissions.values()))
        context["driftsherre"] = driftsherre
        context["entries"] = [
            {"round": r, "submission": submissions.get(r.pk),
             "upload": latest.get(submissions[r.pk].pk) if r.pk in submissions else None}
            for r in rounds
        ]
        return render(request, "takster/index_driftsherre.html", context)
    return render(request, "takster/index.html", context)


@role_required(*UPLOADERS)
def template_download(request, round_id: int, driftsherre_id: int):
    rate_round = selectors.round_get(round_id)
    driftsherre = selectors.driftsherre_for(request.user, driftsherre_id)
    content = services.template_build_for(driftsherre=driftsherre, rate_round=rate_round)
    name = f"takstskema-{rate_round.budget_year}-{driftsherre.slug}.xlsx"
    return _attachment(content, name, XLSX)


@role_required(*UPLOADERS)
def upload_create(request, round_id: int, driftsherre_id: int):
    rate_round = selectors.round_get(round_id)
    driftsherre = selectors.driftsherre_for(request.user, driftsherre_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            upload = services.upload_store(
                rate_round=rate_round, driftsherre=driftsherre, content=file.read(),
                original_name=file.name, by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            return redirect("takster:upload_detail", upload_id=upload.pk)
    return render(request, "takster/upload_form.html", {
        "form": form, "rate_round": rate_round, "driftsherre": driftsherre,
    })


@role_required(*UPLOADERS)
def submission_detail(request, submission_id: int):
    submission = selectors.submission_for(request.user, submission_id)
    return render(request, "takster/submission_detail.html", {
        "submission": submission, "versions": selectors.versions(submission),
    })


@role_required(*UPLOADERS)
def upload_detail(request, upload_id: int):
    """Progress while the validation runs; the report when it is done."""
    upload = selectors.upload_for(request.user, upload_id)
    if not upload.is_validated:
        return render(request, "takster/upload_status.html", {"upload": upload})
    groups = selectors.report_groups(upload)
    warning_findings = [
        f for g in groups if g["severity"] == Finding.Severity.WARNING for f in g["findings"]
    ]
    can_submit, reason = services.submission_can_submit(upload=upload)
    return render(request, "takster/report.html", {
        "upload": upload, "submission": upload.submission, "groups": groups,
        "readable": not any(g["code"] == "FILE_UNREADABLE" for g in groups),
        "ack_form": AcknowledgementForm(warnings=warning_findings),
        "can_submit": can_submit, "submit_reason": reason,
        "previous": services.upload_previous(upload=upload),
    })


@role_required(*UPLOADERS)
def upload_status(request, upload_id: int):
    upload = selectors.upload_for(request.user, upload_id)
    return JsonResponse({
        "status": upload.status, "status_label": upload.get_status_display(),
        "progress": upload.progress, "finished": upload.is_finished,
        "validated": upload.is_validated, "error": upload.error,
        "report_url": reverse("takster:upload_detail", args=[upload.pk]),
    })


@require_POST
@role_required(*UPLOADERS)
def upload_acknowledge(request, upload_id: int):
    upload = selectors.upload_for(request.user, upload_id)
    warnings = list(upload.findings.filter(severity=Finding.Severity.WARNING))
    form = AcknowledgementForm(request.POST, warnings=warnings)
    if form.is_valid():
        saved = services.acknowledgements_save(
            upload=upload, comments=form.comments(), by=request.user
        )
        messages.success(request, f"{saved} kommentar(er) gemt.")
    else:
        messages.error(request, "Kommentarerne kunne ikke gemmes (højst 2.000 tegn hver).")
    return redirect(reverse("takster:upload_detail", args=[upload.pk]) + "#advarsler")


@require_POST
@role_required(*UPLOADERS)
def upload_submit(request, upload_id: int):
    upload = selectors.upload_for(request.user, upload_id)
    try:
        services.submission_submit(upload=upload, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Version {upload.version} er indsendt til sekretariatet.")
    return redirect("takster:upload_detail", upload_id=upload.pk)


@role_required(*UPLOADERS)
def upload_file(request, upload_id: int):
    upload = selectors.upload_for(request.user, upload_id)
    return FileResponse(
        upload.file.open("rb"), as_attachment=True, filename=upload.original_name,
        content_type=XLSX,
    )


@role_required(*UPLOADERS)
def upload_annotated(request, upload_id: int):
    upload = selectors.upload_for(request.user, upload_id)
    if not upload.is_validated:
        raise Http404("Skemaet er ikke valideret endnu.")
    try:
        content = exports.annotated_workbook(upload)
    except UnsafeWorkbook:
        raise Http404("Filen kan ikke åbnes, så der er ingen markeret kopi.") from None
    return _attachment(content, f"kommenteret-v{upload.version}.xlsx", XLSX)


@role_required(*UPLOADERS)
def upload_findings(request, upload_id: int, fmt: str):
    upload = selectors.upload_for(request.user, upload_id)
    if fmt == "csv":
        return _attachment(
            exports.findings_csv(upload), f"fund-v{upload.version}.csv", "text/csv; charset=utf-8"
        )
    return _attachment(exports.findings_xlsx(upload), f"fund-v{upload.version}.xlsx", XLSX)


@role_required(*UPLOADERS)
def upload_compare(request, upload_id: int):
    upload = selectors.upload_for(request.user, upload_id)
    comparison = services.upload_compare(upload=upload)
    return render(request, "takster/compare.html", {"upload": upload, **comparison})
