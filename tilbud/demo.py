"""Demo free-places reports so the ledig-kapacitet overview is not empty (called by load_demo)."""

import datetime
import random

from django.utils import timezone

from .models import LedigKapacitet, Tilbud


def load(*, stdout) -> None:
    """Give about two thirds of the open offers one or two reports in the last month."""
    rng = random.Random(27)
    today = timezone.localdate()
    created = 0
    offers = Tilbud.objects.exclude(status=Tilbud.Status.ENDED).order_by("pk")
    for tilbud in offers:
        # Draw every number first so a second run makes the same choices (idempotent).
        chosen = rng.random() <= 0.66
        places = tilbud.places or 10
        days = sorted(rng.sample(range(1, 30), rng.randint(1, 2)), reverse=True)
        free = [rng.randint(0, max(1, places // 4)) for _ in days]
        if not chosen or tilbud.kapacitet.exists():
            continue
        for days_ago, free_places in zip(days, free, strict=True):
            LedigKapacitet.objects.create(
                tilbud=tilbud, free_places=free_places,
                as_of=today - datetime.timedelta(days=days_ago),
                note="Demodata." if tilbud.is_demo else "Demoindberetning.",
            )
            created += 1
    stdout.write(f"Ledig kapacitet: {created} demoindberetninger oprettet.")
