"""Background job: render an agreement period's PDF (registered from SocialaftaleConfig.ready)."""

from . import jobs
from .models import AftalePeriode, Job
from .services import AGREEMENT_PDF_JOB, agreement_pdf_render


@jobs.handler(AGREEMENT_PDF_JOB)
def render_agreement_pdf(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
    period = AftalePeriode.objects.filter(pk=job.subject_id).first()
    if period is None:
        raise jobs.JobError("Aftaleperioden findes ikke længere.")
    pdf = agreement_pdf_render(period=period, progress=progress)
    return jobs.JobOutput(content=pdf, filename=f"nordjysk-socialaftale-{period.label}.pdf")
