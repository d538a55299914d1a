from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from .models import Job
from .permissions import is_sekretariat


def job_status(request, job_id: int):
    """Progress of a job as JSON, polled by pages that wait for a result.

    Only the one who asked for the job, or the secretariat, may follow it — or anyone,
    when the job makes a public document.
    """
    job = get_object_or_404(Job, pk=job_id)
    if not (job.is_public or is_sekretariat(request.user) or (
        request.user.is_authenticated and job.requested_by_id == request.user.pk
    )):
        raise Http404("Ikke fundet.")
    return JsonResponse({
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": job.progress,
        "finished": job.is_finished,
        "error": job.error,
    })
