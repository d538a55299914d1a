from django.utils import timezone

from socialaftale import jobs
from socialaftale.pdf import render_pdf

from . import selectors
from .models import StatusReport


@jobs.handler("bifrost.statusrapport")
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
