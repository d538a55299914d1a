"""The template's "Vejledning" sheet: the field guide of DAS Social 23.02.2026, pkt. 4, in our
own words, with the thresholds of the round and the seed's worked overhead example."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from .numbers import format_da, overhead_pct
from .params import UNITS

# The seed's example (DAS Social 23.02.2026, pkt. 4, "Eksempel på overheadberegning").
EXAMPLE_BUDGET = Decimal(10_000_000)
EXAMPLE_REGULERING = Decimal(200_000)
EXAMPLE_OVERHEAD = Decimal(500_000)
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
TEXT_WIDTH = 95


def _pct(value: Decimal, decimals: int = 1) -> str:
    return f"{format_da(value, decimals)} %"


def _columns(*, rise: str, occupancy: str) -> list[tuple[str, str]]:
    return [
        ("Tilbud", "Tilbuddets navn, stavet som på Tilbudsportalen (den sociale tilbudsnøgle)."),
        ("Afdeling", "Afdelingens navn, stavet som på Tilbudsportalen."),
        ("§§", "Lovgrundlaget, som tilbuddet eller afdelingen leverer ydelser efter. Vælg i "
               "rullemenuen."),
        ("År", "Fast: øverste række er år 1 (indeværende år), næste række er år 2 "
               "(budgetåret)."),
        ("Pladser", "Tilbuddets antal pladser. Rækken Ændring viser forskellen til år 1."),
        ("Belægning", "Den budgetterede belægning i procent, f.eks. 98 %."),
        ("Budget i alt", "Hele takstgrundlaget i kroner, inklusive regulering."),
        ("Regulering", "Årets regulering for tidligere års over- eller underskud efter "
                       "takstbekendtgørelsen. Et indregnet overskud skrives med minus, et "
                       "indregnet underskud med plus."),
        ("OH %", "Tilbuddets overheadprocent med én decimal, regnet af budgettet uden "
                 "regulering (se regneeksemplet nedenfor)."),
        ("Enhed", f"Hvad taksten gælder for: {', '.join(UNITS)}. Vælg 'Time', når taksten er "
                  "en basisydelse med timepris."),
        ("Basis / Time", "Basistakst og timepris for tilbud med basisydelse og timebaseret "
                         "takst (BUM). Andre tilbud kan bruge felterne, hvis de har én fælles "
                         "basistakst og en gennemsnitlig timepris; basistaksten er da kun en "
                         "del af den samlede takst i Takst 1-10."),
        ("Takst 1-10", "Tilbuddets takstniveauer. Navnene er ligegyldige: Takst 1 kan hos jer "
                       "hedde 'lav' eller 'høj'."),
        ("Tomgang", "Antallet af tomme pladser, da taksten blev fastsat eller meldt ind — et "
                    f"helt antal pladser, ikke kroner. Skal udfyldes, når belægningen er under "
                    f"{occupancy}."),
        ("Bemærkning", f"Skal bruges, når en takst stiger mere end P/L + {rise} procentpoint "
                       "(P/L for kommuner eller regioner øverst i skemaet), og når belægningen "
                       f"er under {occupancy}. Skriv bemærkningen i rækken for år 1 eller år 2 "
                       "— én bemærkning i blokken forklarer hele blokken. Generelle oplysninger "
                       "skrives under Særlige forhold."),
        ("Særlige forhold vedrørende tilbuddet", "Særlige opmærksomhedspunkter, f.eks. at en "
                                                 "afdeling har flere underafdelinger (flere "
                                                 "UUID-numre) med samme takst (skriv deres "
                                                 "navne), eller forhold om takststrukturen."),
        ("Anvendte pladser", "Det forventede antal anvendte pladser pr. takstniveau i "
                             "budgetåret, typisk som i budgetskemaet til Tilbudsportalen eller "
                             "den aktuelle belægning."),
        ("Heraf solgte pladser", "Hvor mange af de anvendte pladser der er solgt til andre "
                                 "kommuner. Kan ikke være flere end de anvendte."),
    ]


def _header_fields() -> list[tuple[str, str]]:
    return [
        ("Overhead driftsherre", "Driftsherrens gennemsnitlige overheadprocent for hele "
                                 "tilbudsviften af rammeaftaletilbud i kommunen eller regionen."),
        ("P/L - Kommuner / P/L - Regioner", "Fremskrivningsprocenterne fra KL og Danske "
                                            "Regioner, som de blev udmeldt i juni før "
                                            "budgetåret. Sekretariatet udfylder dem."),
    ]


def _offer_changes(*, budget_year: int, spare_blocks: int) -> list[tuple[str, str]]:
    y1, y2 = budget_year - 1, budget_year
    spare = (
        f" Brug en af de {spare_blocks} ledige blokke nederst i skemaet; de er åbne for "
        "indtastning, så arket ikke skal låses op."
        if spare_blocks
        else ""
    )
    return [
        ("Nyt tilbud", f"Har kun tal i år 2 ({y2}). Lad år 1 ({y1}) stå tomt.{spare}"),
        ("Tilbud udgået", f"Har kun tal i år 1 ({y1}). Lad år 2 ({y2}) stå tomt, og skriv "
                          f"f.eks. 'Udgår pr. 31.12.{y1}' i Bemærkning eller Særlige forhold."),
        ("Skift i takststruktur", "Tilbuddet står i to blokke: den gamle struktur i år 1 i den "
                                  "ene blok og den nye struktur i år 2 i den anden. Så kan "
                                  f"strukturerne stadig sammenlignes år for år.{spare}"),
        ("Sammenlægning eller opsplitning", "Samme princip: den tidligere struktur i år 1 og "
                                            "den nye i år 2, om nødvendigt i flere blokke."),
    ]


def write_guide(
    ws,
    *,
    budget_year: int,
    rise_threshold_pp: Decimal,
    occupancy_threshold: Decimal,
    legend: tuple[tuple[str, str], ...],
    spare_blocks: int,
) -> None:
    """Fill ``ws`` with the guide; the thresholds are the round's (Styringsparametre)."""
    rise = format_da(rise_threshold_pp, 1)
    occupancy_decimals = 0 if occupancy_threshold == occupancy_threshold.to_integral() else 1
    occupancy = _pct(occupancy_threshold, occupancy_decimals)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = TEXT_WIDTH
    row = 1

    def heading(text: str, size: int = 12) -> None:
        nonlocal row
        row += 1
        ws.cell(row, 1, text).font = Font(bold=True, size=size)
        row += 1

    def line(label: str, text: str, fill: str | None = None) -> None:
        nonlocal row
        a = ws.cell(row, 1, label)
        a.alignment = _WRAP
        a.font = Font(bold=True)
        b = ws.cell(row, 2, text)
        b.alignment = _WRAP
        if fill:
            a.fill = PatternFill("solid", start_color=fill, end_color=fill)
            a.border = _BORDER
            a.font = Font(bold=True, color="FFFFFF" if fill == "808080" else "000000")
        ws.row_dimensions[row].height = 15.0 * max(1, -(-len(text) // (TEXT_WIDTH - 5)))
        row += 1

    ws.cell(row, 1, f"Vejledning til takstskema {budget_year}").font = Font(bold=True, size=14)
    row += 1
    ws.cell(row, 1, (
        f"Taksterne for {budget_year} meldes ind i fanebladet 'Takster'. Hvert tilbud eller "
        f"hver afdeling har sin egen blok med en række for år 1 ({budget_year - 1}, "
        f"indeværende år) og en række for år 2 ({budget_year}, budgetåret). Skemaet "
        "kontrolleres automatisk, når det uploades, og I får en liste over det, der skal rettes."
    )).alignment = _WRAP
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    ws.row_dimensions[row].height = 45
    row += 1

    heading("Farver i skemaet")
    for color, text in legend:
        line("", text, fill=color)
    line("Første år", (
        "Sekretariatet forudfylder år 1 med sidste års godkendte tal — dog ikke det første år "
        "med den nye skabelon (indberetningen for 2027, hvor år 1 er 2026). Det år udfylder "
        "kommunerne og regionen selv alle blå felter, også i år 1."
    ))
    line("Rød tekst", (
        f"En takst (Basis, Time, Takst 1-10), der stiger mere end P/L + {rise} procentpoint i "
        f"forhold til år 1, bliver rød, og det samme gør en budgetteret belægning under "
        f"{occupancy}. Så skal der skrives en bemærkning (og ved lav belægning også Tomgang)."
    ))

    heading("Felterne øverst i skemaet")
    for label, text in _header_fields():
        line(label, text)

    heading("Kolonnerne i en blok")
    for label, text in _columns(rise=rise, occupancy=occupancy):
        line(label, text)

    heading("Overhead: regneeksempel")
    basis = EXAMPLE_BUDGET - EXAMPLE_REGULERING - EXAMPLE_OVERHEAD
    example_pct = overhead_pct(
        budget=EXAMPLE_BUDGET, regulering=EXAMPLE_REGULERING, overhead=EXAMPLE_OVERHEAD
    )
    for label, text in (
        ("A) Takstgrundlag i alt", f"{format_da(EXAMPLE_BUDGET)} kr."),
        ("B) Heraf regulering", f"{format_da(EXAMPLE_REGULERING)} kr."),
        ("C) Heraf overhead", f"{format_da(EXAMPLE_OVERHEAD)} kr."),
        ("D) Takstgrundlag (A − B − C)", f"{format_da(basis)} kr."),
        ("OH % (C / D × 100)", f"{_pct(example_pct)} — skrives i OH % med én decimal."),
    ):
        line(label, text)

    heading("Nye, udgåede og ændrede tilbud")
    for label, text in _offer_changes(budget_year=budget_year, spare_blocks=spare_blocks):
        line(label, text)

    heading("Sådan skrives tallene")
    line("Tal", (
        "Skriv tal som tal, f.eks. 1.234,50 eller 98 %. Skriv decimaler med komma: 3,10 — "
        "ikke 3.10, som Excel kan gøre til en dato. '1.030,-', 'kr. 2.060' og '97 pct.' "
        "læses også, og et negativt beløb kan skrives som -125.000 eller (125.000)."
    ))
    line("Formler", (
        "Formler er tilladt, men filen skal være gemt i Excel, så formlerne har en beregnet "
        "værdi. Er den skrevet af et program og aldrig beregnet, melder kontrollen fejl i de "
        "felter, med besked om at åbne og gemme filen i Excel."
    ))

    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
