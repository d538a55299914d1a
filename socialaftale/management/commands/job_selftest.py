import time
import uuid

from django.core.management.base import BaseCommand, CommandError

from socialaftale.jobs import job_request
from socialaftale.models import Job


class Command(BaseCommand):
    help = "Sender et testjob gennem køen og venter på, at en worker har kørt det."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout, **options):
        job = job_request(kind="socialaftale.selvtest", input_hash=uuid.uuid4().hex)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == Job.Status.DONE:
                self.stdout.write(f"Job {job.pk} kørt af worker: OK")
                return
            if job.status == Job.Status.FAILED:
                raise CommandError(f"Job {job.pk} fejlede: {job.error}")
            time.sleep(0.2)
        raise CommandError(f"Job {job.pk} blev ikke kørt inden for {timeout} sekunder "
                           "(kører der en worker?).")
