from celery import shared_task

from . import jobs


@shared_task(name="socialaftale.tasks.run_job_task")
def run_job_task(job_id: int) -> None:
    jobs.job_run(job_id)


@shared_task(name="socialaftale.tasks.requeue_stale_jobs_task")
def requeue_stale_jobs_task() -> int:
    return len(jobs.jobs_requeue_stale())


@shared_task(name="socialaftale.tasks.send_notification_task")
def send_notification_task(notification_id: int) -> None:
    from .notifications import notification_send

    notification_send(notification_id=notification_id)


@shared_task(name="socialaftale.tasks.send_pending_notifications_task")
def send_pending_notifications_task() -> int:
    from .notifications import notifications_send_pending

    return notifications_send_pending()
