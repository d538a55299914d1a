from django import template

from socialaftale.jobs import job_status_data

register = template.Library()


@register.inclusion_tag("socialaftale/_job_progress.html")
def job_progress(job, *, label: str = "Fremdrift", done_url: str = "", refresh_url: str = ""):
    """The progress box every waiting page shows; job-progress.js keeps it current.

    `done_url` is where the page goes when the job is done (the report, the file);
    without it the page reloads.
    """
    status = job_status_data(job)
    return {"job": job, "status": status, "label": label,
            "done_url": done_url or status["done_url"] or "", "refresh_url": refresh_url}
