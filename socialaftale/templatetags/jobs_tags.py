from django import template

from socialaftale.jobs import job_status_data

register = template.Library()


@register.inclusion_tag("socialaftale/_job_progress.html")
def job_progress(job, *, label: str = "Fremdrift", done_url: str = "", refresh_url: str = ""):
    """The progress box every waiting page shows; job-progress.js keeps it current.

    `done_url` is where the page goes when the job is done (the report, the file);
    without it the page reloads.
    """
    return {"job": job, "status": job_status_data(job), "label": label,
            "done_url": done_url or job_status_data(job)["done_url"] or "",
            "refresh_url": refresh_url}
