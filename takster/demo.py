"""Demo data built in code: the 2027 round and Mariagerfjord's seed-like sheet, validated."""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from socialaftale.jobs import job_run
from socialaftale.models import Driftsherre, Styringsparametre
from tilbud.models import Tilbud

from .models import RateRound, Upload
from .services import round_open, upload_store
from .validation.samples import build_seed_like_workbook

DEMO_YEAR = 2027
DEMO_FILENAME = "mariagerfjord-takstskema-2027-test.xlsx"
# The offers in the seed's Mariagerfjord test rows (names as on Tilbudsportalen).
MARIAGERFJORD_OFFERS = [
    "Bo og Aktivitetstilbud Kærvej",
    "Aktivitetshuset Hobro",
    "Beskyttet Beskæftigelse Mariagerfjord",
]


def load(*, stdout) -> None:
    parameters = Styringsparametre.objects.filter(budget_year=DEMO_YEAR).first()
    mariagerfjord = Driftsherre.objects.filter(slug="mariagerfjord").first()
    if parameters is None or mariagerfjord is None:
        stdout.write("takster: ingen styringsparametre 2027 eller Mariagerfjord; springer over.")
        return
    rate_round = RateRound.objects.filter(parameters=parameters).first()
    if rate_round is None:
        deadline = max(
            datetime.date(DEMO_YEAR - 1, 8, 15),
            timezone.localdate() + datetime.timedelta(days=60),
        )
        rate_round = round_open(parameters=parameters, deadline=deadline)
    for name in MARIAGERFJORD_OFFERS:
        Tilbud.objects.get_or_create(
            driftsherre=mariagerfjord, name=name, defaults={"is_demo": True}
        )
    if Upload.objects.filter(
        submission__rate_round=rate_round, submission__driftsherre=mariagerfjord,
        original_name=DEMO_FILENAME,
    ).exists():
        stdout.write("takster: demo-takstrunde 2027 findes allerede.")
        return
    user = User.objects.filter(username="mariagerfjord").first()
    upload = upload_store(
        rate_round=rate_round, driftsherre=mariagerfjord, content=build_seed_like_workbook(),
        original_name=DEMO_FILENAME, by=user,
    )
    # Eager Celery has validated it already; with a real broker run the job here (the
    # claim makes sure a worker and this call never both run it), so the report is there.
    job_run(upload.job_id)
    upload.refresh_from_db()
    stdout.write(
        f"takster: demo-takstrunde {DEMO_YEAR} med Mariagerfjords testskema "
        f"({upload.errors_count} fejl, {upload.warnings_count} advarsler)."
    )
