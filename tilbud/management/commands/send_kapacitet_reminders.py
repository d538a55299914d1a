"""Remind driftsherrer whose free-places reports are stale.

`python manage.py send_kapacitet_reminders` — run it from cron (e.g. every Monday); it
mails each driftsherre's users once per run.
"""

from django.core.management.base import BaseCommand

from tilbud.services import kapacitet_reminders_send


class Command(BaseCommand):
    help = "Send påmindelser om ledig kapacitet, der ikke er bekræftet i over 31 dage."

    def handle(self, *args, **options):
        names = kapacitet_reminders_send()
        self.stdout.write(f"Påmindelse om ledig kapacitet sendt til {len(names)}"
                          + (f" ({', '.join(names)})" if names else "") + ".")
