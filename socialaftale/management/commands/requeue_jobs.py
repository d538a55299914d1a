from datetime import timedelta

from django.core.management.base import BaseCommand

from socialaftale.jobs import jobs_requeue_stale


class Command(BaseCommand):
    help = "Sender baggrundsjob, der hænger i kø eller under kørsel, til workeren igen."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=None,
            help="Alder i sekunder, før et job regnes som hængende "
            "(standard: JOB_STALE_AFTER_SECONDS).",
        )

    def handle(self, *args, older_than=None, **options):
        delta = timedelta(seconds=older_than) if older_than is not None else None
        ids = jobs_requeue_stale(older_than=delta)
        self.stdout.write(f"{len(ids)} job sendt igen.")
