"""Public pages for the agreement: periods, one period with its PDF, and a comparison."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .downloads import send_stored_file
from .forms import CompareForm
from .models import Job
from .permissions import is_sekretariat
from .selectors import (
    period_get,
    period_with_content,
    periods_compare,
    periods_visible_to,
    places_table,
)
from .services import agreement_pdf_current_job, agreement_pdf_request


def period_list(request):
    periods = periods_visible_to(request.user).annotate(
        fokus_count=Count("fokusomraader", distinct=True)
    )
    return render(request, "socialaftale/period_list.html", {"periods": periods})


def period_detail(request, start_year: int, end_year: int):
    period = period_get(user=request.user, start_year=start_year, end_year=end_year)
    return render(request, "socialaftale/period_detail.html", {
        "period": period, "places": places_table(period),
        "job": agreement_pdf_current_job(period=period),
    })


@require_http_methods(["GET", "POST"])
def period_pdf(request, start_year: int, end_year: int):
    """One click: the PDF of the current content at once, or a page that waits for it.

    The PDF is rendered when the content changes, so a GET only reads; the secretariat may
    force a new render (POST).
    """
    period = period_get(user=request.user, start_year=start_year, end_year=end_year)
    if request.method == "POST":
        if not is_sekretariat(request.user):
            raise PermissionDenied("Kun sekretariatet kan danne PDF'en igen.")
        agreement_pdf_request(period=period, requested_by=request.user, force=True)
        messages.success(request, "PDF'en dannes igen.")
        return redirect("socialaftale:period_pdf_status", start_year=start_year,
                        end_year=end_year)
    job = agreement_pdf_current_job(period=period)
    if job is not None and job.status == Job.Status.DONE and job.output:
        return send_stored_file(job.output, content_type="application/pdf",
                            filename=f"nordjysk-socialaftale-{period.label}.pdf")
    return redirect("socialaftale:period_pdf_status", start_year=start_year, end_year=end_year)


def period_pdf_status(request, start_year: int, end_year: int):
    period = period_get(user=request.user, start_year=start_year, end_year=end_year)
    return render(request, "socialaftale/pdf_status.html", {
        "period": period, "job": agreement_pdf_current_job(period=period),
        "can_rerender": is_sekretariat(request.user),
    })


def periods_compare_view(request):
    periods = list(period_with_content(periods_visible_to(request.user)))
    initial = {}
    if len(periods) >= 2:
        initial = {"fra": periods[1].label, "til": periods[0].label}
    form = CompareForm(request.GET or initial, periods=periods)
    comparison = None
    if form.is_valid():
        comparison = periods_compare(before=form.periods[form.cleaned_data["fra"]],
                                     after=form.periods[form.cleaned_data["til"]])
    return render(request, "socialaftale/compare.html", {"form": form, "comparison": comparison})
