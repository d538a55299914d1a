from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from socialaftale.models import Driftsherre, Profile
from socialaftale.services import profile_assign

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

# Local-only demo accounts: (username, password, full name, role, driftsherre slug).
DEMO_USERS = [
    ("sekretariat", "sekretariat-demo", "Sara Sekretariat", Profile.Role.SEKRETARIAT, None),
    ("das", "das-demo", "Dorte DAS-medlem", Profile.Role.DAS, None),
    ("mariagerfjord", "mariagerfjord-demo", "Mads Mariagerfjord", Profile.Role.DRIFTSHERRE,
     "mariagerfjord"),
    ("aalborg", "aalborg-demo", "Anne Aalborg", Profile.Role.DRIFTSHERRE, "aalborg"),
    ("region", "region-demo", "Rasmus Region", Profile.Role.DRIFTSHERRE, "region-nordjylland"),
]
# Each demo user has an address, so the secretariat's own messages (a driftsherre submitted,
# a job failed) are recorded and shown in the admin like the driftsherrer's.
DEMO_EMAIL_DOMAIN = "demo.socialaftale.example.dk"


class Command(BaseCommand):
    help = "Indlæser referencedata og demodata fra fixtures/ og opretter demobrugere (kun lokalt)."

    def add_arguments(self, parser):
        parser.add_argument("--no-users", action="store_true", help="Opret ikke demobrugere.")

    def handle(self, *args, no_users=False, **options):
        fixtures = sorted(str(p) for p in FIXTURES_DIR.glob("*.json"))
        # One call, so fixtures may refer to each other regardless of file order.
        call_command("loaddata", *fixtures, verbosity=options["verbosity"])
        if not no_users:
            self.create_demo_users()
        # After the users, so demo uploads and reports can name who made them.
        for hook in demo_hooks():
            hook(stdout=self.stdout)
        # Fixtures load without signals: render every document once, as an edit would.
        from socialaftale.jobs import documents_refresh

        self.stdout.write("Dokumenter bestilt: " + ", ".join(documents_refresh()))

    def create_demo_users(self):
        if not settings.DEBUG:
            raise CommandError("Demobrugere har kendte adgangskoder og oprettes kun med DEBUG=1.")
        for username, password, full_name, role, slug in DEMO_USERS:
            first, last = full_name.split(" ", 1)
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = user.email or f"{username}@{DEMO_EMAIL_DOMAIN}"
            user.set_password(password)
            user.save()
            driftsherre = Driftsherre.objects.get(slug=slug) if slug else None
            profile_assign(user=user, role=role, driftsherre=driftsherre)
            self.stdout.write(f"Demobruger {username} / {password} ({role})")


def demo_hooks():
    """Apps that build demo data in code (e.g. a demo workbook) expose `demo.load(stdout=)`."""
    from importlib import import_module

    from django.apps import apps

    hooks = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        hooks.append(module.load)
    return hooks
