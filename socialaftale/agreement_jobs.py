"""Background job: render an agreement period's PDF (registered from SocialaftaleConfig.ready).

The PDF is rendered when the period's content changes (any save of the period or its
content, after commit), so the public page's link serves the current file at once.
"""

from django.urls import reverse

from . import jobs
from .models import (
    AftalePeriode,
    Bilag,
    CentralUdmelding,
    Fokusomraade,
    ForstaerketSamarbejde,
    Initiativ,
    Job,
    Pladsfordeling,
    Regelaendring,
    Styringsprincip,
    Underskriver,
)
from .permissions import is_sekretariat
from .services import AGREEMENT_PDF_JOB, agreement_pdf_render, agreement_pdf_request


def _period_visible(user, job: Job) -> bool:
    """A published period's PDF is public; a draft's only the secretariat's."""
    return is_sekretariat(user) or AftalePeriode.objects.filter(
        pk=job.subject_id, is_published=True).exists()


def _period_pdf_url(job: Job) -> str | None:
    period = AftalePeriode.objects.filter(pk=job.subject_id).first()
    if period is None:
        return None
    return reverse("socialaftale:period_pdf", args=[period.start_year, period.end_year])


@jobs.handler(AGREEMENT_PDF_JOB, may_view=_period_visible, done_url=_period_pdf_url,
              queue_note="Køen er ikke tilgængelig lige nu; PDF'en dannes automatisk.")
def render_agreement_pdf(job: Job, progress: jobs.Progress) -> jobs.JobOutput:
    period = AftalePeriode.objects.filter(pk=job.subject_id).first()
    if period is None:
        raise jobs.JobError("Aftaleperioden findes ikke længere.")
    pdf = agreement_pdf_render(period=period, progress=progress)
    return jobs.JobOutput(content=pdf, filename=f"nordjysk-socialaftale-{period.label}.pdf")


def agreement_pdf_refresh(*, period_id: int) -> Job | None:
    period = AftalePeriode.objects.filter(pk=period_id).first()
    return agreement_pdf_request(period=period) if period is not None else None


@jobs.document_refresher("socialaftale.agreement")
def agreements_refresh() -> None:
    for period_id in AftalePeriode.objects.values_list("pk", flat=True):
        agreement_pdf_refresh(period_id=period_id)


def _period_of(instance):
    if isinstance(instance, AftalePeriode):
        return instance.pk
    if isinstance(instance, Initiativ):
        return Fokusomraade.objects.filter(pk=instance.fokusomraade_id).values_list(
            "period_id", flat=True).first()
    return instance.period_id


jobs.render_on_change(
    AftalePeriode, Fokusomraade, Initiativ, CentralUdmelding, ForstaerketSamarbejde,
    Styringsprincip, Regelaendring, Bilag, Underskriver, Pladsfordeling,
    subject_of=_period_of, name="socialaftale.agreement",
    refresh=lambda pk: agreement_pdf_refresh(period_id=pk),
)
