from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from socialaftale.downloads import send_stored_file
from socialaftale.jobs import job_latest_done
from socialaftale.models import Driftsherre
from socialaftale.permissions import Role, is_sekretariat, role_required

from . import selectors, services
from .forms import ReferralForm, ScreeningAnswerForm
from .models import IntakePlan, Referral, ScreeningAnswer, ScreeningRound, StatusReport

ALL_ROLES = (Role.SEKRETARIAT, Role.DAS, Role.DRIFTSHERRE)
REGISTERING_ROLES = (Role.SEKRETARIAT, Role.DRIFTSHERRE)


def _as_of(request) -> date:
    """The dashboard shows today's status, or another day's with ?dato=ÅÅÅÅ-MM-DD."""
    try:
        return date.fromisoformat(request.GET.get("dato", ""))
    except ValueError:
        return timezone.localdate()


@role_required(*ALL_ROLES)
def index(request):
    numbers = selectors.status_numbers(on=_as_of(request))
    year, quarter = max(services.quarter_of(numbers["on"]), (2026, 3))  # Bifrost opens Q3 2026
    return render(request, "bifrost/index.html", {
        "numbers": numbers, "chart": selectors.chart_for(numbers),
        "comparison": selectors.plan_comparison(numbers), "milestones": selectors.milestones(),
        "screening": _screening_for(request.user, selectors.latest_screening(on=numbers["on"])),
        "can_edit": selectors.can_edit_all(request.user),
        "can_register": selectors.can_edit_all(request.user)
        or selectors.own_municipality(request.user) is not None,
        "is_sekretariat": is_sekretariat(request.user),
        "report_year": year, "report_quarter": quarter,
    })


@require_POST
@role_required(Role.SEKRETARIAT)
def plan_set_in_force(request, pk: int):
    plan = services.plan_set_in_force(plan=get_object_or_404(IntakePlan, pk=pk))
    messages.success(request, f"»{plan.name}« er nu den gældende indskrivningsplan.")
    return redirect("bifrost:index")


@role_required(*REGISTERING_ROLES)
def referral_list(request):
    return render(request, "bifrost/referral_list.html", {
        "referrals": selectors.referrals_for(request.user),
        "can_edit": selectors.can_edit_all(request.user),
        "municipality": selectors.own_municipality(request.user),
    })


def _referral_form_page(request, referral: Referral):
    municipality = None if selectors.can_edit_all(request.user) else (
        selectors.own_municipality(request.user))
    if municipality is None and not selectors.can_edit_all(request.user):
        raise Http404("Ikke fundet.")
    form = ReferralForm(request.POST or None, instance=referral, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_save(referral=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Henvendelse {form.instance.code} er gemt.")
            return redirect("bifrost:referral_list")
    return render(request, "bifrost/referral_form.html", {"form": form, "referral": referral})


@role_required(*REGISTERING_ROLES)
def referral_create(request):
    today = timezone.localdate()
    referral = Referral(code=services.referral_next_code(year=today.year), received_on=today)
    return _referral_form_page(request, referral)


@role_required(*REGISTERING_ROLES)
def referral_edit(request, pk: int):
    return _referral_form_page(request, get_object_or_404(selectors.referrals_for(request.user),
                                                          pk=pk))


def _screening_for(user, overview: dict | None) -> dict | None:
    """A municipality sees its own row and the totals; others' counts stay hidden."""
    own = selectors.own_municipality(user)
    if overview is not None and own is not None:
        overview = {**overview, "rows": [r for r in overview["rows"]
                                         if r["municipality"].pk == own.pk]}
    return overview


@role_required(*ALL_ROLES)
def screening_detail(request, pk: int):
    overview = selectors.screening_overview(
        get_object_or_404(ScreeningRound.objects.prefetch_related("answers"), pk=pk))
    return render(request, "bifrost/screening_detail.html", {
        "screening": _screening_for(request.user, overview),
        "can_edit": selectors.can_edit_all(request.user),
        "own": selectors.own_municipality(request.user),
    })


@role_required(*REGISTERING_ROLES)
def screening_answer(request, pk: int, municipality_id: int):
    round_ = get_object_or_404(ScreeningRound, pk=pk)
    own = selectors.own_municipality(request.user)
    if not selectors.can_edit_all(request.user) and (own is None or own.pk != municipality_id):
        raise Http404("Ikke fundet.")
    municipality = get_object_or_404(Driftsherre, pk=municipality_id,
                                     kind=Driftsherre.Kind.KOMMUNE)
    answer = ScreeningAnswer.objects.filter(round=round_, municipality=municipality).first()
    answer = answer or ScreeningAnswer(round=round_, municipality=municipality,
                                       answered_on=timezone.localdate())
    form = ScreeningAnswerForm(request.POST or None, instance=answer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Afdækningen for {answer.municipality} er gemt.")
        return redirect("bifrost:screening_detail", pk=round_.pk)
    return render(request, "bifrost/screening_form.html", {"form": form, "answer": answer})


def _check_quarter(year: int, quarter: int) -> None:
    if not (2026 <= year <= 2100 and 1 <= quarter <= 4):
        raise Http404("Ikke fundet.")


@role_required(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def report(request, year: int, quarter: int):
    """The report's stable page. A GET only reads: reports are rendered when data changes
    (and hourly); the secretariat may force a new render (POST)."""
    _check_quarter(year, quarter)
    if request.method == "POST":
        if not is_sekretariat(request.user):
            raise PermissionDenied("Kun sekretariatet kan danne rapporten igen.")
        services.status_report_request(
            report=services.status_report_for(year=year, quarter=quarter),
            today=timezone.localdate(), requested_by=request.user, force=True)
        messages.success(request, "Statusrapporten dannes igen.")
        return redirect("bifrost:report", year=year, quarter=quarter)
    report, job = services.status_report_current_job(year=year, quarter=quarter,
                                                     today=timezone.localdate())
    return render(request, "bifrost/report.html", {
        "year": year, "quarter": quarter, "report": report, "job": job,
        "latest": report and job_latest_done(kind="bifrost.statusrapport", subject=report),
        "can_rerender": is_sekretariat(request.user),
    })


@role_required(*ALL_ROLES)
def report_pdf(request, year: int, quarter: int):
    """One click: the current PDF at once; otherwise the report page, which waits for it."""
    _check_quarter(year, quarter)
    report, job = services.status_report_current_job(year=year, quarter=quarter,
                                                     today=timezone.localdate())
    if job is None or job.status != job.Status.DONE or not job.output:
        return redirect("bifrost:report", year=year, quarter=quarter)
    return send_stored_file(job.output, content_type="application/pdf",
                        filename=f"bifrost-statusrapport-{report.slug}.pdf")


@role_required(*ALL_ROLES)
def report_download(request, job_id: int):
    """An earlier rendering of a report (shown while the current one is not ready)."""
    from socialaftale.models import Job

    job = get_object_or_404(Job, pk=job_id, kind="bifrost.statusrapport", status=Job.Status.DONE)
    report = get_object_or_404(StatusReport, pk=job.subject_id)
    return send_stored_file(job.output, content_type="application/pdf",
                        filename=f"bifrost-statusrapport-{report.slug}.pdf")
