"""Rate-round pages: start page, template, upload, progress, report, downloads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialaftale.downloads import send_stored_file
from socialaftale.permissions import Role, driftsherre_of, is_sekretariat, role_of, role_required
from socialaftale.wording import plural

from . import exports, selectors, services
from .forms import (
    AcknowledgementForm,
    AgendaItemForm,
    AnswerForm,
    CommentForm,
    DasApprovalForm,
    DaysForm,
    PublishForm,
    ReviseForm,
    TextForm,
    UploadForm,
)
from .models import Finding, RateRound, Submission, Takstbilag
from .validation import UnsafeWorkbook
from .validation.rules import rise_limit_pct

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
    context = {"rounds": rounds, "role": role, "published_years": selectors.published_years()}
    if is_sekretariat(request.user):
        review_rounds = list(selectors.review_rounds())
        context["overviews"] = selectors.round_overviews(review_rounds)
        return render(request, "takster/index_sekretariat.html", context)
    driftsherre = driftsherre_of(request.user)
    if driftsherre is not None:
        submissions = {
            s.rate_round_id: s
            for s in Submission.objects.filter(
                driftsherre=driftsherre, rate_round__in=rounds
            ).order_by("revision")
        }
        latest = selectors.latest_uploads(list(submissions.values()))
        context["driftsherre"] = driftsherre
        context["earlier"] = Submission.objects.filter(driftsherre=driftsherre).exclude(
            rate_round__in=rounds
        ).select_related("rate_round__parameters").order_by(
            "-rate_round__parameters__budget_year", "-revision")
        context["entries"] = [
            {"round": r, "submission": submissions.get(r.pk),
             "upload": latest.get(submissions[r.pk].pk) if r.pk in submissions else None,
             # After a return the remarks are on the start page, to be answered there.
             "comments": list(selectors.submission_comments(submissions[r.pk]))
             if r.pk in submissions and submissions[r.pk].status in (
                 Submission.Status.RETURNED, Submission.Status.DRAFT) else [],
             "comments_id": f"bemaerkninger-{r.budget_year}",
             # Recommended/approved/published: no new version (the service refuses it).
             "locked": r.pk in submissions
             and submissions[r.pk].status in services.LOCKED_STATUSES}
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
    revision = (
        Submission.objects.filter(rate_round=rate_round, driftsherre=driftsherre, revision__gt=0)
        .order_by("-revision").first()
    )
    return render(request, "takster/upload_form.html", {
        "form": form, "rate_round": rate_round, "driftsherre": driftsherre, "revision": revision,
    })


@role_required(*UPLOADERS)
def submission_detail(request, submission_id: int):
    submission = selectors.submission_for(request.user, submission_id)
    return render(request, "takster/submission_detail.html", {
        "submission": submission, "versions": selectors.versions(submission),
        "comments": selectors.submission_comments(submission),
        "rejected_lines": selectors.rejected_lines(submission),
        "events": selectors.submission_events(submission),
        "revise_form": ReviseForm(),
        "can_revise": services.submission_is_official(submission)
        and not submission.revisions.exists(),
        "revisions": submission.revisions.all(),
        "is_reviewer": is_sekretariat(request.user),
        "can_answer": not is_sekretariat(request.user)
        and submission.status in services.ANSWERABLE,
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
    submission = upload.submission
    return render(request, "takster/report.html", {
        "is_submitted": services.upload_is_submitted(upload=upload),
        "upload": upload, "submission": submission, "groups": groups,
        "readable": not any(g["code"] == "FILE_UNREADABLE" for g in groups),
        "ack_form": AcknowledgementForm(warnings=warning_findings),
        "can_submit": can_submit, "submit_reason": reason,
        "previous": services.upload_previous(upload=upload),
        "comments": selectors.comments_for_upload(upload),
        "rejected_lines": selectors.rejected_lines(submission),
        "can_answer": not is_sekretariat(request.user)
        and submission.status in services.ANSWERABLE,
    })


@require_POST
@role_required(*UPLOADERS)
def upload_acknowledge(request, upload_id: int):
    upload = selectors.upload_for(request.user, upload_id)
    warnings = list(upload.findings.filter(severity=Finding.Severity.WARNING))
    form = AcknowledgementForm(request.POST, warnings=warnings)
    if form.is_valid():
        try:
            saved = services.acknowledgements_save(
                upload=upload, comments=form.comments(), by=request.user
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"{plural(saved, 'kommentar', 'kommentarer')} gemt.")
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
    return send_stored_file(upload.file, filename=upload.original_name, content_type=XLSX,
                            as_attachment=True)


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


# --------------------------------------------------------------------------- review (issue 6)


def _act(request, action, success: str) -> bool:
    """Run one service call; its Danish ValidationError becomes an error message."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


def _review_url(submission) -> str:
    return reverse("takster:submission_review", args=[submission.pk])


ATTENTION = "opmaerksomhed"


@role_required(Role.SEKRETARIAT)
def submission_review(request, submission_id: int):
    """The secretariat's review: every offer with both years, the change, the rule book's
    marks, remarks, warnings and comments; the decisions, DAS approval and events."""
    submission = selectors.submission_for(request.user, submission_id)
    offers = selectors.review_offers(submission)
    attention_only = request.GET.get("vis") == ATTENTION
    shown = [o for o in offers if o.needs_attention] if attention_only else offers
    lines = [x for o in offers for x in o.lines]
    parameters = submission.rate_round.parameters
    return render(request, "takster/review.html", {
        "submission": submission, "offers": shown, "offer_count": len(offers),
        "attention_count": sum(o.needs_attention for o in offers),
        "attention_only": attention_only, "attention": ATTENTION,
        "summary": selectors.review_summary(submission, offers) if offers else None,
        "general_findings": selectors.review_general_findings(submission, offers),
        "limit_pct": rise_limit_pct(pl_pct=parameters.pl_for(submission.driftsherre),
                                    threshold_pp=parameters.rise_threshold_pp),
        "pl_pct": parameters.pl_for(submission.driftsherre),
        "occupancy_threshold": parameters.occupancy_threshold,
        "comments": selectors.submission_comments(submission),
        "events": selectors.submission_events(submission),
        "comment_form": CommentForm(lines=lines), "text_form": TextForm(),
        "das_form": DasApprovalForm(rate_round=submission.rate_round),
        "item_form": AgendaItemForm(rate_round=submission.rate_round),
        "revise_form": ReviseForm(),
        "approvals": submission.das_approvals.select_related("item__meeting"),
        "official": services.submission_is_official(submission),
        "reviewable": submission.status in services.REVIEWABLE,
    })


@require_POST
@role_required(Role.SEKRETARIAT)
def submission_comment_create(request, submission_id: int):
    submission = selectors.submission_for(request.user, submission_id)
    lines = selectors.review_lines(submission)
    form = CommentForm(request.POST, lines=lines)
    back = request.POST.get("tilbage", "")
    if form.is_valid():
        line = next((x for x in lines if x.pk == form.cleaned_data["line"]), None)
        _act(request, lambda: services.submission_comment(
            submission=submission, by=request.user, text=form.cleaned_data["text"], line=line,
            source=form.cleaned_data["source"],
        ), "Bemærkningen er gemt.")
    else:
        messages.error(request, "Skriv en bemærkning (højst 4.000 tegn).")
    return redirect(_review_url(submission) + (f"#{back}" if back.startswith("tilbud-") else ""))


@require_POST
@role_required(Role.SEKRETARIAT)
def submission_transition(request, submission_id: int, action: str):
    """Return, recommend or approve (also by delegation) a submission."""
    submission = selectors.submission_for(request.user, submission_id)
    text = TextForm(request.POST).data.get("text", "")
    calls = {
        "returner": (lambda: services.submission_return(
            submission=submission, by=request.user, text=text),
            "Indberetningen er returneret til driftsherren med bemærkningerne."),
        "indstil": (lambda: services.submission_recommend(
            submission=submission, by=request.user, text=text),
            "Indberetningen er indstillet til godkendelse."),
        "godkend": (lambda: services.submission_approve(
            submission=submission, by=request.user, note=text),
            "Indberetningen er godkendt."),
        "delegeret": (lambda: services.submission_approve(
            submission=submission, by=request.user, delegated=True, note=text),
            "Indberetningen er godkendt ved delegation."),
    }
    if action not in calls:
        raise Http404("Ukendt handling.")
    _act(request, *calls[action])
    return redirect(_review_url(submission))


@require_POST
@role_required(Role.SEKRETARIAT)
def rateline_decide(request, submission_id: int, line_id: int):
    submission = selectors.submission_for(request.user, submission_id)
    line = next((x for x in selectors.review_lines(submission) if x.pk == line_id), None)
    if line is None:
        raise Http404("Linjen findes ikke i den indsendte version.")
    approve = request.POST.get("decision") != "afvis"
    note = request.POST.get("note", "")[:2000]
    _act(request, lambda: services.rateline_approve(
        line=line, by=request.user, approve=approve, note=note),
         f"{line.tilbud_name} {line.year or ''} er {'godkendt' if approve else 'afvist'}.")
    return redirect(_review_url(submission) + f"#tilbud-{line.block_index}")


@require_POST
@role_required(Role.SEKRETARIAT)
def rateline_days(request, submission_id: int, line_id: int):
    submission = selectors.submission_for(request.user, submission_id)
    line = next((x for x in selectors.review_lines(submission) if x.pk == line_id), None)
    if line is None:
        raise Http404("Linjen findes ikke i den indsendte version.")
    form = DaysForm(request.POST)
    if form.is_valid():
        _act(request, lambda: services.rateline_days_set(
            line=line, by=request.user, days=form.cleaned_data["days"]),
             f"Betalingsdage for {line.tilbud_name} {line.year or ''} er gemt.")
    else:
        messages.error(request, "Betalingsdage skal være et helt tal mellem 1 og 366.")
    return redirect(_review_url(submission) + f"#tilbud-{line.block_index}")


@require_POST
@role_required(*UPLOADERS)
def comment_answer(request, comment_id: int):
    """The driftsherre answers a reviewer's comment (another driftsherre's: 404)."""
    comment = selectors.comment_for(request.user, comment_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        _act(request, lambda: services.comment_answer(
            comment=comment, by=request.user, text=form.cleaned_data["text"]),
             "Svaret er gemt og kan ses af sekretariatet.")
    else:
        messages.error(request, "Skriv et svar (højst 4.000 tegn).")
    return redirect(reverse("takster:submission_detail", args=[comment.submission_id])
                    + f"#bemaerkning-{comment.pk}")


@require_POST
@role_required(Role.SEKRETARIAT)
def das_approval_create(request, submission_id: int):
    submission = selectors.submission_for(request.user, submission_id)
    form = DasApprovalForm(request.POST, rate_round=submission.rate_round)
    if form.is_valid():
        _act(request, lambda: services.das_approval_record(
            submissions=[submission], by=request.user, item=form.cleaned_data["item"],
            date=form.cleaned_data["date"], reference=form.cleaned_data["reference"],
            note=form.cleaned_data["note"],
        ), "DAS Socials godkendelse er registreret.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_review_url(submission) + "#das")


@require_POST
@role_required(Role.SEKRETARIAT)
def das_item_create(request, submission_id: int):
    """A new agenda item on a DAS meeting, chosen at once in the approval form."""
    submission = selectors.submission_for(request.user, submission_id)
    form = AgendaItemForm(request.POST, rate_round=submission.rate_round)
    if form.is_valid():
        _act(request, lambda: services.das_agenda_item_create(
            meeting=form.cleaned_data["meeting"], title=form.cleaned_data["title"],
            by=request.user), "Dagsordenspunktet er oprettet; vælg det herunder.")
    else:
        messages.error(request, "Vælg et møde, og skriv en titel.")
    return redirect(_review_url(submission) + "#das")


@require_POST
@role_required(*UPLOADERS)
def submission_revise(request, submission_id: int):
    submission = selectors.submission_for(request.user, submission_id)
    form = ReviseForm(request.POST)
    result = {}
    if form.is_valid() and _act(request, lambda: result.setdefault("s", services.submission_revise(
            submission=submission, by=request.user, reason=form.cleaned_data["reason"])),
            "Revisionen er startet. Upload skemaet med de reviderede takster."):
        return redirect("takster:submission_detail", submission_id=result["s"].pk)
    if not form.is_valid():
        messages.error(request, "Skriv en begrundelse for revisionen.")
    return redirect("takster:submission_detail", submission_id=submission.pk)


@require_POST
@role_required(Role.SEKRETARIAT)
def reminders_send(request, round_id: int):
    rate_round = selectors.round_get(round_id)
    names = services.rate_reminders_send(rate_round=rate_round, by=request.user)
    if names:
        messages.success(request, f"Påmindelse sendt til {len(names)}: {', '.join(names)}.")
    else:
        messages.warning(request, "Ingen påmindelser sendt (fristen er ikke overskredet, eller "
                                  "ingen driftsherre mangler og har en e-mailadresse).")
    return redirect("takster:index")


# --------------------------------------------------------------------------- takstbilag


def takstbilag_year(request, year: int):
    """Public: the published versions of a year's takstbilag; the secretariat sees drafts."""
    versions = selectors.takstbilag_for_year(request.user, year)
    rate_round = RateRound.objects.filter(parameters__budget_year=year).first()
    if not versions and not (is_sekretariat(request.user) and rate_round):
        raise Http404("Der er intet offentliggjort takstbilag for dette år.")
    return render(request, "takster/takstbilag_year.html", {
        "year": year, "versions": versions, "rate_round": rate_round,
        "rendering": selectors.takstbilag_files_rendering(versions),
        "current": next((t for t in versions if t.is_published), None),
        "draft": next((t for t in versions if not t.is_published), None),
        "is_reviewer": is_sekretariat(request.user),
    })


def takstbilag_download(request, year: str, version: str, fmt: str):
    year, version = int(year), int(version)
    takstbilag = selectors.takstbilag_get(request.user, year, version)
    job = takstbilag.pdf_job if fmt == "pdf" else takstbilag.xlsx_job
    if job is None:
        raise Http404("Filen er ikke bestilt.")
    if job.status != job.Status.DONE or not job.output:
        # One click: the page waits for the file and hands it over by itself.
        return render(request, "takster/takstbilag_wait.html", {
            "takstbilag": takstbilag, "job": job, "fmt": fmt, "year": year,
        })
    return send_stored_file(
        job.output, as_attachment=fmt == "xlsx",
        filename=f"takstbilag-{year}-v{version}.{fmt}",
        content_type="application/pdf" if fmt == "pdf" else XLSX,
    )


@require_POST
@role_required(Role.SEKRETARIAT)
def takstbilag_create(request, round_id: int):
    rate_round = selectors.round_get(round_id)
    label = request.POST.get("label", "").strip()[:200]
    had_draft = rate_round.takstbilag.filter(status=Takstbilag.Status.DRAFT).exists()
    _act(request, lambda: services.takstbilag_draft(rate_round=rate_round, by=request.user,
                                                    label=label),
         "Udkastet er opdateret med de takster, der er gældende nu; PDF og regneark dannes nu."
         if had_draft else "Udkastet er oprettet; PDF og regneark dannes nu.")
    return redirect("takster:takstbilag_year", year=rate_round.budget_year)


@role_required(Role.SEKRETARIAT)
def takstbilag_publish(request, year: int, version: int):
    """Confirm, then publish: who is in it, who is missing, which lines were rejected."""
    takstbilag = selectors.takstbilag_get(request.user, year, version)
    if takstbilag.is_published:
        messages.warning(request, f"{takstbilag} er allerede offentliggjort.")
        return redirect("takster:takstbilag_year", year=year)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _act(
        request, lambda: services.takstbilag_publish(
            takstbilag=takstbilag, by=request.user, note=form.cleaned_data["note"]),
        f"{takstbilag} er offentliggjort.",
    ):
        return redirect("takster:takstbilag_year", year=year)
    return render(request, "takster/publish_confirm.html", {
        "takstbilag": takstbilag, "form": form, "year": year,
        **selectors.takstbilag_publication_check(takstbilag),
    })
