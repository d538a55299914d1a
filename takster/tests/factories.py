"""Test data for the takster app.

`synthetic_takstbilag_data` builds a deterministic, clearly invented takstbilag of any size
(plain data, no database) for page tests and `benchmarks/bench_takstbilag.py`.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils.text import slugify

from takster.takstbilag import DriftsherreSection, Offer, OfferYear, TakstbilagData

D = Decimal
DEMO = "Demotal"
PARAGRAPH_POOL = ("SEL § 103", "SEL § 104", "SEL § 107", "SEL § 108", "ABL § 105", "SEL § 110")
DRIFTSHERRE_NAMES = (
    "Brønderslev Kommune", "Frederikshavn Kommune", "Hjørring Kommune", "Jammerbugt Kommune",
    "Læsø Kommune", "Mariagerfjord Kommune", "Morsø Kommune", "Rebild Kommune",
    "Thisted Kommune", "Vesthimmerland Kommune", "Aalborg Kommune", "Region Nordjylland",
)


def synthetic_takstbilag_data(
    *, driftsherrer: int = 12, offers: int = 40, seed: int = 2026
) -> TakstbilagData:
    """A deterministic, clearly invented takstbilag of any size (benchmarks, page tests)."""
    rng = random.Random(seed)
    sections = []
    for d in range(driftsherrer):
        name = DRIFTSHERRE_NAMES[d % len(DRIFTSHERRE_NAMES)]
        if d >= len(DRIFTSHERRE_NAMES):
            name = f"{name} {d // len(DRIFTSHERRE_NAMES) + 1}"
        kind = "region" if name.startswith("Region") else "kommune"
        items = []
        for o in range(offers):
            # Like the seed: most offers have 1-3 takst levels, a few many (Kærvej has 10).
            levels = rng.choices((1, 2, 3, 4, 10), weights=(40, 30, 18, 8, 4))[0]
            base = D(rng.randint(400, 3500))
            growth = D(rng.randint(-60, 120)) / 1000
            places = D(rng.randint(6, 60))
            belaegning = D(rng.choice((85, 92, 95, 97, 98, 100)))
            cap = places * belaegning / 100 * 365
            reg0, reg1 = D(rng.randint(-300, 300) * 1000), D(rng.randint(-300, 300) * 1000)
            old = tuple((base * (1 + D(i) / 3)).quantize(D(1)) for i in range(levels))
            new = tuple((r * (1 + growth)).quantize(D(1)) for r in old)
            items.append(Offer(
                tilbud=f"Demotilbud {d + 1}.{o + 1}", afdeling=f"Afdeling {o % 3 + 1}",
                paragraphs=rng.choice(PARAGRAPH_POOL), unit=rng.choice(("Døgn", "Dag")),
                previous=OfferYear(year=2025, pladser=places, belaegning=belaegning,
                                   budget=(old[0] * cap).quantize(D(1)), regulering=reg0,
                                   oh_pct=D(rng.randint(40, 90)) / 10, takster=old),
                current=OfferYear(year=2026, pladser=places, belaegning=belaegning,
                                  budget=(new[0] * cap).quantize(D(1)), regulering=reg1,
                                  oh_pct=D(rng.randint(40, 90)) / 10, takster=new),
                bemaerkning="Stigningen skyldes flere medarbejdere pr. borger (demotekst)."
                if growth > D("0.051") else "",
                source=DEMO, is_demo=True,
            ))
        sections.append(DriftsherreSection(
            name=name, kind=kind, offers=tuple(items),
            overhead_pct=D(rng.randint(45, 85)) / 10,
            overhead_pct_previous=D(rng.randint(45, 85)) / 10,
            slug=f"{slugify(name)}-{d}",
        ))
    return TakstbilagData(
        budget_year=2026, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
        driftsherrer=tuple(sections), version_label="Syntetisk version", is_demo=True,
        title="Takstbilag 2026 (syntetiske demotal)",
    )
