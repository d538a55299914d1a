"""Public pages for the agreement: periods, one period with its PDF, and a comparison."""

from django.db.models import Count
from django.shortcuts import redirect, render

from .downloads import send_stored_file
from .forms import CompareForm
from .models import Job
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


def period_pdf(request, start_year: int, end_year: int):
    """The PDF for the current content: served when rendered, otherwise started and followed."""
    period = period_get(user=request.user, start_year=start_year, end_year=end_year)
    job = agreement_pdf_request(period=period, requested_by=request.user)
    job.refresh_from_db()  # with eager Celery the job has already run
    if job.status == Job.Status.DONE and job.output:
        return send_stored_file(job.output, content_type="application/pdf", as_attachment=False,
                                filename=f"nordjysk-socialaftale-{period.label}.pdf")
    return redirect("socialaftale:period_pdf_status", start_year=start_year, end_year=end_year)


def period_pdf_status(request, start_year: int, end_year: int):
    period = period_get(user=request.user, start_year=start_year, end_year=end_year)
    return render(request, "socialaftale/pdf_status.html", {
        "period": period, "job": agreement_pdf_current_job(period=period),
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
