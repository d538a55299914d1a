from celery import shared_task

from . import jobs


@shared_task(name="socialaftale.tasks.run_job_task", bind=True)
def run_job_task(self, job_id: int) -> None:
    # Eager runs happen inside a web request: no heartbeat thread there.
    jobs.job_run(job_id, heartbeat=not self.request.is_eager)


@shared_task(name="socialaftale.tasks.requeue_stale_jobs_task", ignore_result=True)
def requeue_stale_jobs_task() -> int:
    """The sweep (beat, every JOB_SWEEP_SECONDS): re-send lost and never-sent jobs."""
    return len(jobs.jobs_heal())


@shared_task(name="socialaftale.tasks.documents_refresh_task", ignore_result=True)
def documents_refresh_task() -> int:
    """Hourly (beat): documents whose content changed with the date are rendered again."""
    return len(jobs.documents_refresh())


@shared_task(name="socialaftale.tasks.send_notification_task")
def send_notification_task(notification_id: int) -> None:
    from .notifications import notification_send

    notification_send(notification_id=notification_id)


@shared_task(name="socialaftale.tasks.send_pending_notifications_task")
def send_pending_notifications_task() -> int:
    from .notifications import notifications_send_pending

    return notifications_send_pending()
