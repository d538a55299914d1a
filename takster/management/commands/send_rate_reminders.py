"""Remind late driftsherrer by e-mail: `python manage.py send_rate_reminders [--year 2027]`."""

from django.core.management.base import BaseCommand, CommandError

from takster.models import RateRound
from takster.services import rate_reminders_send


class Command(BaseCommand):
    help = "Send påmindelser til driftsherrer, der ikke har indsendt takster efter fristen."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Budgetår (standard: alle åbne runder).")

    def handle(self, *args, year=None, **options):
        rounds = RateRound.objects.select_related("parameters")
        if year is not None:
            rounds = rounds.filter(parameters__budget_year=year)
            if not rounds.exists():
                raise CommandError(f"Der er ingen takstrunde for {year}.")
        else:
            rounds = rounds.filter(status=RateRound.Status.OPEN)
        for rate_round in rounds:
            names = rate_reminders_send(rate_round=rate_round)
            self.stdout.write(
                f"{rate_round}: påmindelse sendt til {len(names)}"
                + (f" ({', '.join(names)})" if names else "")
            )
