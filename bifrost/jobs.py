from django.urls import reverse
from django.utils import timezone

from socialaftale import jobs
from socialaftale.pdf import render_pdf
from socialaftale.permissions import Role, role_of

from . import selectors, services
from .models import (
    IntakePlan,
    Milestone,
    PlannedIntake,
    Referral,
    ScreeningAnswer,
    ScreeningRound,
    StatusReport,
)


def _any_role(user, job) -> bool:
    """The report holds aggregates only: every logged-in role may read it."""
    return role_of(user) in {Role.SEKRETARIAT, Role.DAS, Role.DRIFTSHERRE}


def _report_pdf_url(job) -> str | None:
    report = StatusReport.objects.filter(pk=job.subject_id).first()
    return reverse("bifrost:report_pdf", args=[report.year, report.quarter]) if report else None


@jobs.handler("bifrost.statusrapport", may_view=_any_role, done_url=_report_pdf_url,
              queue_note="Køen er ikke tilgængelig lige nu; rapporten dannes automatisk.")
def render_status_report(job, progress) -> jobs.JobOutput:
    """The quarterly status report for DAS as PDF."""
    report = StatusReport.objects.filter(pk=job.subject_id).first()
    if report is None:
        raise jobs.JobError("Statusrapporten findes ikke længere.")
    # The numbers are as of the date the report was requested for, not the worker's clock.
    context = selectors.report_context(report=report, today=report.as_of or timezone.localdate())
    progress(30)
    pdf = render_pdf("bifrost/pdf/status_report.html", context)
    return jobs.JobOutput(content=pdf, filename=f"bifrost-statusrapport-{report.slug}.pdf")


@jobs.document_refresher("bifrost")
def reports_refresh() -> None:
    """Hourly too: a running quarter's report is as of today, so it changes with the date."""
    services.status_reports_refresh(today=timezone.localdate())


# Every registration can change a report; the report rows themselves are left out.
jobs.render_on_change(
    IntakePlan, PlannedIntake, Milestone, ScreeningRound, ScreeningAnswer, Referral,
    subject_of=lambda instance: "all", name="bifrost.reports",
    refresh=lambda _all: reports_refresh(),
)
