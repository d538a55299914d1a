"""Sample workbooks: one laid out like the seed's test rows, one large one for benchmarks.

Figures are from DAS Social 23.02.2026, pkt. 4 ("Forslag til ny takstskabelon"):
Mariagerfjord Kommune's test rows and the fictive Botilbud A/B structure-change examples.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .params import COLUMNS, TAKST_COUNT

SEED_SHEET = "Takstskema"
_FIRST_COL = 3  # column C: the seed-like sheet is deliberately offset from our template


def _block_rows(budget_year: int) -> list[dict]:
    y1, y2 = budget_year - 1, budget_year
    kaervej = "Bo og Aktivitetstilbud\nKærvej"
    hobro = "Aktivitetshuset Hobro"
    beskyttet = "Beskyttet Beskæftigelse\nMariagerfjord"
    return [
        {
            "names": (kaervej, kaervej, "ABL § 105", "Døgn"),
            # Text numbers exactly as typed in the seed (Danish formatting).
            "year1": (
                y1,
                15,
                "98%",
                "15.999.963",
                "140.963",
                "6,8%",
                "731",
                "336,66",
                [
                    "1.369",
                    "1.663",
                    "1.958",
                    "2.252",
                    "2.547",
                    "2.841",
                    "3.136",
                    "3.430",
                    "3.725",
                    "4.019",
                ],
            ),
            "year2": (
                y2,
                15,
                "98%",
                "17.092.000",
                "0",
                "6,5%",
                "775",
                "348,89",
                [
                    "1.436",
                    "1.741",
                    "2.046",
                    "2.352",
                    "2.657",
                    "2.962",
                    "3.267",
                    "3.572",
                    "3.877",
                    "4.183",
                ],
            ),
            "remark": "",
            "special": "",
            "used": (y1, [1, 9, 1, 1, 2, 1]),
            "sold": (y1, [None, 5, 1]),
        },
        {
            "names": (hobro, hobro, "SEL § 104", "Dag"),
            "year1": (y1, 50, 0.98, 8912000, 0, 0.054, None, None, [332, 498]),
            "year2": (y2, 50, 0.98, 8716584, -571416, 0.057, None, None, [325, 487]),
            "remark": "Taksten er faldet markant som følge af indregning af overskud for "
            f"{y1 - 2} (regulering). Overskuddet er opstået som følge af høj belægning.",
            "special": "Takst 1 tæller kun som 2/3-dele af en plads i forhold til belægning.",
            "used": (y1, [7, 47]),
            "sold": (y1, [1, 10]),
        },
        {
            "names": (beskyttet, beskyttet, "SEL § 103", "Dag"),
            "year1": (y1, 57, "98%", "9.383.248", "725.248", "6,4%", None, None, ["307", "460"]),
            "year2": (y2, 57, "98%", "10.582.712", "1.492.712", "6,0%", None, None, ["346", "519"]),
            "remark": "Taksten er steget markant som følge af indregning af underskud for "
            f"{y1 - 2} (regulering). Underskuddet er opstået som følge af lav belægning.",
            "special": "Takst 1 tæller kun som 2/3-dele af en plads i forhold til belægning. "
            "Tilbuddet består af 2 afdelinger i henholdsvis Hobro og Hadsund.",
            "used": (y1, [27, 34]),
            "sold": (y1, [3, 4]),
        },
        # Skift i takststruktur: the old structure in year 1 in one block ...
        {
            "names": ("Botilbud A", "Afdeling A", "§ 105", "Døgn"),
            "year1": (y1, 20, "95%", "11.525.000", "0", "5,5%", None, None, ["1.000", "2.000"]),
            "year2": (y2, None, None, None, None, None, None, None, []),
            "remark": "",
            "special": f"Tilbuddet har skiftet takststruktur pr. 1/1-{y2} fra 2 til 4 "
            "takstniveauer.",
            "used": (y1, [10, 9]),
            "sold": (y1, [4, 4]),
        },
        # ... and the new one in year 2 in another.
        {
            "names": ("Botilbud A", "Afdeling A", "§ 105", "Døgn"),
            "year1": (y1, None, None, None, None, None, None, None, []),
            "year2": (
                y2,
                20,
                "95%",
                "12.100.000",
                "0",
                "5,5%",
                None,
                None,
                ["1.050", "1.575", "2.100", "3.150"],
            ),
            "remark": "Budgettet er baseret på den forventede fordeling af borgere på de nye "
            "takstniveauer. Den endelige fordeling afventer forhandling med køberkommunerne.",
            "special": f"Tilbuddet har skiftet takststruktur pr. 1/1-{y2} fra 2 til 4 "
            "takstniveauer.",
            "used": (y2, [10]),
            "sold": (y2, [4, 1, 2, 1]),
        },
        {
            "names": ("Botilbud B", "Afdeling B", "§ 108", "Døgn"),
            "year1": (y1, 30, "95%", "19.200.000", "0", "6,0%", None, None, ["700", "2.500"]),
            "year2": (y2, None, None, None, None, None, None, None, []),
            "remark": "",
            "special": f"Tilbuddet har skiftet takststruktur pr. 1/1-{y2} fra "
            "gennemsnitstakster til timebaserede takster med basisydelse.",
            "used": (y1, [28]),
            "sold": (y1, [10]),
        },
        {
            "names": ("Botilbud B", "Afdeling B", "§ 108", "Time"),
            "year1": (y1, None, None, None, None, None, None, None, []),
            "year2": (y2, 30, "95%", "20.000.000", "0", "6,0%", "735", "330,00", []),
            "remark": "Budgettet er baseret på den forventede fordeling af timer til de enkelte "
            "borgere. Den endelige fordeling afventer forhandling med køberkommunerne.",
            "special": f"Tilbuddet har skiftet takststruktur pr. 1/1-{y2} fra "
            "gennemsnitstakster til timebaserede takster med basisydelse.",
            "used": (y2, [28]),
            "sold": (y2, [10]),
        },
    ]


def build_seed_like_workbook(budget_year: int = 2027) -> bytes:
    """A workbook laid out like the seed's Mariagerfjord test sheet (not our template)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SEED_SHEET
    c = _FIRST_COL
    wrap = Alignment(wrap_text=True, vertical="top")
    # Header area, worded as in the seed.
    ws.cell(2, c, "Mariagerfjord Kommune - test").font = Font(bold=True, size=14)
    ws.cell(2, c + 3, "Overhead driftsherre\n(rammeaftaletilbud)").alignment = wrap
    ws.cell(3, c + 3, budget_year - 2)
    ws.cell(3, c + 4, "6,30%")
    ws.cell(4, c + 3, str(budget_year - 1))
    ws.cell(4, c + 4, "6,50%")
    ws.cell(2, c + 7, budget_year - 1)
    ws.cell(3, c + 6, "P/L - Kommuner")
    ws.cell(3, c + 7, "3,10%")
    ws.cell(4, c + 6, "P/L - Regioner")
    ws.cell(4, c + 7, "2,46%")
    ws.cell(2, c + 10, "2,0%")
    ws.cell(2, c + 11, "Grænseværdi for krav om bemærkning - Takststigning over P/L")
    ws.cell(3, c + 10, "95,0%")
    ws.cell(3, c + 11, "Grænseværdi for krav om bemærkning - Belægningsprocent")

    col = {key: c + i for i, (key, _) in enumerate(COLUMNS)}
    row = 7
    for block in _block_rows(budget_year):
        for key, title in COLUMNS:
            ws.cell(row, col[key], title).font = Font(bold=True)
        y1_row, y2_row = row + 1, row + 2
        _tilbud, _afdeling, _paragraph, _unit = block["names"]
        for key, value in zip(
            ("tilbud", "afdeling", "paragraph", "unit"), block["names"], strict=True
        ):
            ws.cell(y1_row, col[key], value).alignment = wrap
            ws.merge_cells(
                start_row=y1_row, start_column=col[key], end_row=y2_row, end_column=col[key]
            )
        for line_row, values in ((y1_row, block["year1"]), (y2_row, block["year2"])):
            year, pladser, belaegning, budget, regulering, oh, basis, time, takster = values
            for key, value in (
                ("year", year),
                ("pladser", pladser),
                ("belaegning", belaegning),
                ("budget", budget),
                ("regulering", regulering),
                ("oh_pct", oh),
                ("basis", basis),
                ("time", time),
            ):
                if value is not None:
                    cell = ws.cell(line_row, col[key], value)
                    if key in ("belaegning", "oh_pct") and isinstance(value, float):
                        cell.number_format = "0.0%"
            for i, value in enumerate(takster):
                if value is not None:
                    ws.cell(line_row, col[f"takst_{i + 1}"], value)
        if block["remark"]:
            ws.cell(y1_row, col["bemaerkning"], block["remark"]).alignment = wrap
        ws.merge_cells(
            start_row=y1_row,
            start_column=col["bemaerkning"],
            end_row=y2_row,
            end_column=col["bemaerkning"],
        )
        ws.cell(row + 3, col["tilbud"], "Ændring")
        ws.cell(row + 4, col["tilbud"], "Særlige forhold\nvedrørende tilbuddet").alignment = wrap
        if block["special"]:
            ws.cell(row + 4, col["afdeling"], block["special"]).alignment = wrap
            ws.merge_cells(
                start_row=row + 4,
                start_column=col["afdeling"],
                end_row=row + 4,
                end_column=col["bemaerkning"],
            )
        for offset, label, (year, values) in (
            (5, "Anvendte pladser", block["used"]),
            (6, "Heraf solgte pladser", block["sold"]),
        ):
            ws.cell(row + offset, col["tilbud"], f"{label} - {year}")
            for i, value in enumerate(values):
                if value is not None:
                    ws.cell(row + offset, col[f"takst_{i + 1}"], value)
        row += 9
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build_large_workbook(n_blocks: int, budget_year: int = 2027) -> bytes:
    """A template-shaped workbook with ``n_blocks`` filled blocks (write-only, fast)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Takster")
    pad = [None]
    ws.append([])
    ws.append(pad + ["Driftsherre", "Aalborg Kommune", None, None, "P/L - Kommuner", "3,10%"])
    ws.append(
        pad
        + ["Overhead driftsherre (rammeaftaletilbud)", None, None, None, "P/L - Regioner", "2,46%"]
    )
    ws.append(pad + [budget_year - 1, 0.065])
    ws.append(pad + [budget_year, 0.065])
    ws.append([])
    header = [title for _, title in COLUMNS]
    for n in range(n_blocks):
        name = f"Tilbud {n + 1:04d}"
        ws.append(pad + header)
        base = 1000 + n
        for year, factor, belaegning in ((budget_year - 1, 1.0, 0.97), (budget_year, 1.04, 0.93)):
            takster = [round(base * factor * (1 + i / 10), 2) for i in range(TAKST_COUNT)]
            remark = "Stigning skyldes ny normering." if n % 3 == 0 else None
            ws.append(
                pad
                + [
                    name,
                    f"Afdeling {n % 4 + 1}",
                    "SEL § 108",
                    year,
                    20,
                    belaegning,
                    12_000_000 * factor,
                    0,
                    0.062,
                    "Døgn",
                    None,
                    None,
                    *takster,
                    1 if n % 2 else None,
                    remark if year == budget_year else None,
                ]
            )
        ws.append(pad + ["Ændring"])
        ws.append(pad + ["Særlige forhold vedrørende tilbuddet", "—"])
        ws.append(
            pad
            + [
                f"Anvendte pladser - {budget_year}",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                10,
                8,
                3,
            ]
        )
        ws.append(
            pad
            + [
                f"Heraf solgte pladser - {budget_year}",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                4,
                2,
                1,
            ]
        )
        ws.append([])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
