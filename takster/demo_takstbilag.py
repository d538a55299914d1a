"""A demo takstbilag 2026 (plain data, no database) with the seed's real figures.

Used by the tests and to preview the document; the published takstbilag comes from the
approved rate lines (`takster/publication.py`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .takstbilag import (
    OBJECTIVE_UNIT,
    DriftsherreSection,
    Offer,
    OfferYear,
    TakstbilagData,
    TakstbilagVersion,
)

D = Decimal
SEED = "DAS Social 17.11.2025, pkt. 5"
SEED_REVISION = "DAS Social 23.02.2026, pkt. 10"
DEMO = "Demotal"


def _takster(*values) -> tuple[Decimal | None, ...]:
    return tuple(None if v is None else D(str(v)) for v in values)


def _simple_offer(tilbud, paragraphs, unit, places, old, new, *, afdeling="", belaegning=97,
                  oh=("6.0", "6.2"), regulering=(0, 0), tomgang=None, **extra) -> Offer:
    """A demo offer whose budgets are consistent with its first rate (365 days)."""
    days = 365
    olds, news = _takster(*old), _takster(*new)
    cap = D(places) * D(belaegning) / 100 * days

    def budget(rate):
        return (D(rate) * cap).quantize(D(1)) if rate is not None else None

    return Offer(
        tilbud=tilbud, afdeling=afdeling, paragraphs=paragraphs, unit=unit,
        previous=OfferYear(year=2025, pladser=D(places), belaegning=D(belaegning),
                           budget=budget(olds[0]),
                           regulering=D(regulering[0]), oh_pct=D(oh[0]), takster=olds),
        current=OfferYear(year=2026, pladser=D(places), belaegning=D(belaegning),
                          budget=budget(news[0]),
                          regulering=D(regulering[1]), oh_pct=D(oh[1]), takster=news,
                          tomgang=D(tomgang) if tomgang is not None else None),
        source=extra.pop("source", DEMO), is_demo=extra.pop("is_demo", True), **extra,
    )


def demo_takstbilag_data() -> TakstbilagData:
    """Takstbilag 2026, version 2 (Aalborg's § 104 revision), with the seed's real figures.

    Real: the P/L, the approval remarks of 17.11.2025 (Nordstjernen, Frederikshavn
    Krisecenter, Vesthimmerland, Adelgade, Aalborg), Børnehus Nord (470 cases, 7.734 →
    8.020 kr.), Aalborg's revised § 104 day rates, Mariagerfjord's overhead. Every offer
    with invented figures says "Demotal" in its source and is flagged `is_demo`.
    """
    pl_k, pl_r = D("3.10"), D("2.46")
    aalborg_day = []
    for name, r25, r26_250, r26 in (
        ("Syrenhuset", 224, 362, 248), ("Hviddalen", 198, 256, 175),
        ("Væksthuset", 225, 328, 225),
    ):
        # Illustrative budgets: 20 places at 100 % give the published rates.
        aalborg_day.append(Offer(
            tilbud=name, afdeling="Dagtilbud", paragraphs="SEL § 104", unit="Dag",
            previous=OfferYear(year=2025, pladser=D(20), belaegning=D(100),
                               budget=D(r25 * 7300), regulering=D(0), takster=_takster(r25)),
            current=OfferYear(year=2026, pladser=D(20), belaegning=D(100),
                              budget=D(r26 * 7300), regulering=D(0), takster=_takster(r26)),
            revision_note=(
                f"Revideret: takst 2026 var {r26_250} kr./dag beregnet på 250 betalingsdage "
                f"(godkendt 17.11.2025); nu {r26} kr./dag på 365 betalingsdage. Teknisk "
                f"ændring, samme samlede årlige betaling ({SEED_REVISION})."
            ),
            bemaerkning=(
                "Stigningen skyldes ombygning fra SEL § 107 til § 108 med midlertidigt færre "
                "pladser og lavere belægning i botilbuddet." if name == "Syrenhuset" else ""
            ),
            source=f"Takster: {SEED_REVISION}; budget og pladser er demotal",
            is_demo=True,
        ))
    boernehus = Offer(
        tilbud="Børnehus Nord", paragraphs="SEL § 10-12", unit=OBJECTIVE_UNIT,
        previous=OfferYear(year=2025, pladser=D(470), takster=_takster(7734), days=1),
        current=OfferYear(year=2026, pladser=D(470), takster=_takster(8020), days=1),
        saerlige_forhold=(
            "Dels objektivt finansieret, dels takstfinansieret. Samlet budget falder 672.000 kr.; "
            "den objektive finansiering falder 566.400 kr. Uændret sagsantal (470)."
        ),
        bemaerkning=(
            "Takststigningen skyldes P/L, delvis finansiering af Tværgående Understøttende "
            "Enhed (TUE) og en pulje til arbejdsskadeerstatninger."
        ),
        approval_note="Budget 2026 godkendt af DAS Social 17.11.2025, pkt. 6.",
        source="DAS Social 17.11.2025, pkt. 6",
    )
    syrenhuset_bo = _simple_offer(
        "Syrenhuset", "SEL § 107/108", "Døgn", 24, (2350,), (2990,), afdeling="Botilbud",
        belaegning=80, oh=("5.8", "6.1"),
        bemaerkning=(
            "Ombygning af boliger fra SEL § 107 til § 108: midlertidigt 24 i stedet for 48 "
            "pladser og belægning sænket fra 98 % til 80 % i ombygningsperioden."
        ),
        source="Forhold: DAS Social 23.02.2026, pkt. 10; takster er demotal",
    )
    sections = (
        DriftsherreSection(
            name="Brønderslev Kommune", overhead_pct=D("6.1"), overhead_pct_previous=D("6.0"),
            offers=(
                Offer(
                    tilbud="Nordstjernen", afdeling="Botilbud", paragraphs="SEL § 108",
                    unit="Døgn",
                    previous=OfferYear(year=2025, pladser=D(16), belaegning=D(96),
                                       basis=D(1890), time=D("306.50"),
                                       takster=_takster(1890, 2420, 2980)),
                    current=OfferYear(year=2026, pladser=D(16), belaegning=D(96),
                                      basis=D(1950), time=D(316),
                                      takster=_takster(1950, 2495, 3070)),
                    approval_note=(
                        "Basistaksten er den laveste takst og dækker basisydelserne og to "
                        "ATA-timer; flere ATA-timer afregnes med 316 kr. pr. time. Betegnelsen "
                        "\"merpris\" i det integrerede dagtilbud var en fejl og er slettet. "
                        "Godkendt."
                    ),
                    source="Timepris 316 kr.: DAS Social 17.11.2025, pkt. 5; øvrige tal er demotal",
                    is_demo=True,
                ),
                _simple_offer("Kastanjebo", "SEL § 107", "Døgn", 12, (2105,), (2170,)),
            ),
        ),
        DriftsherreSection(
            name="Frederikshavn Kommune", overhead_pct=D("5.9"), overhead_pct_previous=D("5.7"),
            offers=(
                _simple_offer(
                    "Frederikshavn Krisecenter", "SEL § 109", "Døgn", 10, (1480,), (1560,),
                    belaegning=85, tomgang=2,
                    bemaerkning="Belægningen er budgetteret lavere end 95 % pga. svingende "
                    "efterspørgsel; tomgang ved indmelding 2 pladser.",
                    approval_note=(
                        "Oprindeligt indmeldt med 75 % belægning uden forklaring og en stigning "
                        "på 15 %; nye oplysninger eftersendt uden bemærkninger fra "
                        "Styringsaftalegruppen. Godkendt."
                    ),
                    source="Forhold: DAS Social 17.11.2025, pkt. 5; takster er demotal",
                ),
                _simple_offer("Bostedet Skovbakken", "SEL § 108", "Døgn", 18, (2210,), (2281,)),
            ),
        ),
        DriftsherreSection(
            name="Hjørring Kommune", overhead_pct=D("6.8"), overhead_pct_previous=D("6.6"),
            offers=(
                _simple_offer("Bo- og aktivitetstilbud Nord", "SEL § 107", "Døgn", 20,
                              (1980, 2460), (2041, 2536)),
                _simple_offer("Værkstedet Vest", "SEL § 103", "Dag", 40, (540,), (556,)),
            ),
        ),
        DriftsherreSection(
            name="Jammerbugt Kommune", overhead_pct=D("5.2"), overhead_pct_previous=D("5.3"),
            offers=(_simple_offer("Bostedet ved Fjorden", "SEL § 108", "Døgn", 14,
                                  (2050,), (2115,)),),
        ),
        DriftsherreSection(
            name="Mariagerfjord Kommune", overhead_pct=D("6.5"), overhead_pct_previous=D("6.3"),
            offers=(
                Offer(
                    tilbud="Aktivitetshuset Hobro", afdeling="Aktivitetshuset Hobro",
                    paragraphs="SEL § 104", unit="Dag",
                    previous=OfferYear(year=2025, pladser=D(50), belaegning=D(98),
                                       budget=D(9_101_650), regulering=D(-250_000),
                                       oh_pct=D("5.3"), takster=_takster(339, 509)),
                    current=OfferYear(year=2026, pladser=D(50), belaegning=D(98),
                                      budget=D(8_912_000), regulering=D(0), oh_pct=D("5.4"),
                                      takster=_takster(332, 498)),
                    saerlige_forhold=(
                        "Takst 1 tæller kun som 2/3 af en plads i forhold til belægning."
                    ),
                    source="2026: testrækker i DAS Social 23.02.2026, pkt. 4; 2025 er demotal",
                    is_demo=True,
                ),
                Offer(
                    tilbud="Beskyttet Beskæftigelse Mariagerfjord", paragraphs="SEL § 103",
                    unit="Dag",
                    previous=OfferYear(year=2025, pladser=D(57), belaegning=D(98),
                                       budget=D(8_432_000), regulering=D(0), oh_pct=D("6.3"),
                                       takster=_takster(276, 414)),
                    current=OfferYear(year=2026, pladser=D(57), belaegning=D(98),
                                      budget=D(9_383_248), regulering=D(725_248),
                                      oh_pct=D("6.4"), takster=_takster(307, 460)),
                    bemaerkning=(
                        "Taksten er steget markant pga. indregning af underskud (regulering), "
                        "opstået som følge af lav belægning."
                    ),
                    saerlige_forhold="Tilbuddet består af 2 afdelinger i Hobro og Hadsund.",
                    source="2026: testrækker i DAS Social 23.02.2026, pkt. 4; 2025 er demotal",
                    is_demo=True,
                ),
            ),
        ),
        DriftsherreSection(
            name="Morsø Kommune", overhead_pct=D("5.5"), overhead_pct_previous=D("5.5"),
            offers=(_simple_offer("Botilbuddet Limfjorden", "SEL § 108", "Døgn", 10,
                                  (1890,), (1948,)),),
        ),
        DriftsherreSection(
            name="Rebild Kommune", overhead_pct=D("6.0"), overhead_pct_previous=D("5.8"),
            offers=(_simple_offer("Dagtilbuddet Rold", "SEL § 104", "Dag", 30, (610,), (629,)),),
        ),
        DriftsherreSection(
            name="Thisted Kommune", overhead_pct=D("5.6"), overhead_pct_previous=D("5.6"),
            offers=(
                _simple_offer(
                    "Adelgade", "SEL § 107", "Døgn", 12, (1720, 2240, 2880),
                    (1775, 2310, 2970),
                    approval_note=(
                        "Takstniveauerne var ved en fejl indberettet forkert; rettet, så "
                        "ydelsespakker og takster svarer til de nuværende indplaceringer. "
                        "Godkendt."
                    ),
                    source="Forhold: DAS Social 17.11.2025, pkt. 5; takster er demotal",
                ),
            ),
        ),
        DriftsherreSection(
            name="Vesthimmerland Kommune", overhead_pct=D("6.4"), overhead_pct_previous=D("6.2"),
            remark=(
                "Takststruktur med basistakst og timepris siden 1.1.2025. De første indmeldte "
                "takster var fiktive gennemsnitstakster og blev ikke anbefalet; de nye takster "
                "viser udviklingen 2025-2026. Basistaksterne er forskellige inden for samme "
                "tilbud, fordi husene er delt efter borgerkategorier. Godkendt af DAS "
                "17.11.2025."
            ),
            offers=tuple(
                Offer(
                    tilbud=tilbud, afdeling=afdeling, paragraphs="SEL § 108", unit="Døgn",
                    previous=OfferYear(year=2025, pladser=D(p), belaegning=D(97),
                                       basis=D(b0), time=D("412")),
                    current=OfferYear(year=2026, pladser=D(p), belaegning=D(97),
                                      basis=D(b1), time=D("425")),
                    source="Tilbudsnavne: DAS Social 17.11.2025, pkt. 5; takster er demotal",
                    is_demo=True,
                )
                for tilbud, afdeling, p, b0, b1 in (
                    ("Tilbuddene i Løgstør", "Bøgevej A-B-C", 18, 1210, 1248),
                    ("Tilbuddene i Løgstør", "Møllersgaard", 12, 1460, 1505),
                    ("Østerboulevard", "Østerboulevard", 10, 1320, 1362),
                    ("Borgergade 23", "Borgergade 23", 8, 1395, 1438),
                    ("Tilbuddene i Aalestrup", "Vinkelvej", 9, 1180, 1217),
                    ("Tilbuddene i Aalestrup", "Rosengaarden", 11, 1510, 1557),
                )
            ),
        ),
        DriftsherreSection(
            name="Aalborg Kommune", slug="aalborg", overhead_pct=D("7.4"),
            overhead_pct_previous=D("8.2"),
            remark=(
                "Store udsving mellem tilbuddene (fra fald på 57 % til markante stigninger) "
                "skyldes bl.a. harmonisering af overhead efter sammenlægning af to forvaltninger "
                "med forskellige overheadniveauer."
            ),
            offers=(
                *aalborg_day, syrenhuset_bo, boernehus,
                _simple_offer(
                    "Bostedet Østerå", "SEL § 107", "Døgn", 16, (3120,), (1342,),
                    oh=("11.8", "6.9"),
                    bemaerkning="Faldet skyldes harmonisering af overhead og ændret målgruppe "
                    "(demoeksempel på et fald på 57 %).",
                ),
            ),
        ),
        DriftsherreSection(
            name="Region Nordjylland", kind="region", slug="region-nordjylland",
            overhead_pct=D("5.0"), overhead_pct_previous=D("4.9"),
            offers=(
                _simple_offer("Specialområde Hjerneskade", "SEL § 108", "Døgn", 22,
                              (3410,), (3494,)),
                _simple_offer("Specialområde Socialpsykiatri", "SEL § 107", "Døgn", 30,
                              (2890, 3650), (2961, 3740)),
            ),
        ),
    )
    return TakstbilagData(
        budget_year=2026, pl_kommuner=pl_k, pl_regioner=pl_r, driftsherrer=sections,
        version_number=2, version_label="Version 2 – revideret 23. februar 2026",
        published_on=date(2026, 2, 23),
        versions=(
            TakstbilagVersion(
                number=1, label="Takstbilag 2026", approved_on=date(2025, 11, 17),
                approved_by=SEED, published_on=date(2025, 11, 17),
                note="Godkendt med bemærkninger til Nordstjernen, Frederikshavn Krisecenter, "
                "Vesthimmerland Kommune, Adelgade og Aalborg Kommune.",
            ),
            TakstbilagVersion(
                number=2, label="Revision: Aalborg SEL § 104 dagtilbud",
                approved_on=date(2026, 2, 23), approved_by=SEED_REVISION,
                published_on=date(2026, 2, 23),
                note="Syrenhuset, Hviddalen og Væksthuset afregnes på 365 i stedet for 250 "
                "betalingsdage.",
            ),
        ),
        is_demo=True,
    )
