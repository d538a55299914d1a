from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from .jobs import job_status_data, job_visible_to
from .models import Job


def job_status(request, job_id: int):
    """The one status endpoint for every kind of job, polled by socialaftale/job-progress.js.

    Each job kind declares who may follow it (`jobs.handler(..., may_view=...)`); anyone
    else gets 404, so the endpoint does not reveal that a job exists.
    """
    job = get_object_or_404(Job, pk=job_id)
    if not job_visible_to(job=job, user=request.user):
        raise Http404("Ikke fundet.")
    response = JsonResponse(job_status_data(job))
    response["Cache-Control"] = "no-store"
    return response
