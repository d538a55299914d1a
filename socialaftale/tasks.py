from celery import shared_task

from . import jobs


@shared_task(name="socialaftale.tasks.run_job_task")
def run_job_task(job_id: int) -> None:
    jobs.job_run(job_id)


@shared_task(name="socialaftale.tasks.requeue_stale_jobs_task")
def requeue_stale_jobs_task() -> int:
    return len(jobs.jobs_requeue_stale())
