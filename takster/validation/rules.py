"""The rules of the 2027 rate sheet: pure functions from a parsed sheet to findings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from .findings import Finding, make_finding
from .numbers import format_da, rise_pct
from .params import (
    COLUMN_TITLES,
    NUMBER_FIELDS,
    PARAGRAPHS,
    RATE_FIELDS,
    SIGNED_FIELDS,
    UNITS,
    RateSheetParams,
)
from .parser import ParsedBlock, ParsedLine, ParsedSheet

REQUIRED_LINE_FIELDS = ("pladser", "belaegning", "budget", "oh_pct")
_UNCALCULATED = (
    " Cellen indeholder en formel uden beregnet værdi — åbn filen i Excel, gem den og upload igen."
)


def _key(text: str) -> str:
    return re.sub(r"[\s/.]", "", text.casefold())


_PARAGRAPH_KEYS = {_key(p) for p in PARAGRAPHS}
_UNIT_KEYS = {_key(u) for u in UNITS}


def _name_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


def _count(value: Decimal) -> str:
    return format_da(value, 0 if value == value.to_integral_value() else 1)


def _pct(value: Decimal) -> str:
    return format_da(value, 1) + " %"


# --- The rule book -------------------------------------------------------------------------
# Each threshold rule lives here once. The validator, the review page, the takstbilag's marks
# and the template's conditional formatting all call these; thresholds come from
# Styringsparametre (RateSheetParams / TakstbilagData), never from literals elsewhere.


def rise_limit_pct(*, pl_pct: Decimal, threshold_pp: Decimal) -> Decimal:
    """The highest allowed rise in %: P/L for the driftsherre's kind plus the threshold."""
    return pl_pct + threshold_pp


def rise_above_limit(
    *, rise: Decimal | None, pl_pct: Decimal, threshold_pp: Decimal, unit: str = ""
) -> bool:
    """True when a rate rises more than P/L + threshold (exactly at the limit is allowed)."""
    if rise is None:
        return False
    return rise > rise_limit_pct(pl_pct=pl_pct, threshold_pp=threshold_pp)


def occupancy_below_threshold(*, belaegning: Decimal | None, threshold: Decimal) -> bool:
    """True when budgeted belægning is under the threshold (exactly at it is allowed)."""
    return belaegning is not None and belaegning < threshold


def check_sheet(sheet: ParsedSheet, params: RateSheetParams) -> list[Finding]:
    if not sheet.blocks:
        return [
            make_finding(
                "NO_BLOCKS",
                sheet=sheet.name,
                cell="A1",
                message=(
                    "Der er ingen takstblokke i filen: ingen række med kolonneoverskrifterne "
                    "Tilbud, Afdeling, §§, År … Bemærkning. Brug takstskabelonen for "
                    f"{params.budget_year} og udfyld den."
                ),
            )
        ]
    findings = list(_check_header(sheet, params))
    kind = params.kind_for(sheet.driftsherre)
    seen_pairs: dict[tuple[str, str], list[ParsedBlock]] = {}
    for block in sheet.blocks:
        seen_pairs.setdefault((_name_key(block.tilbud), _name_key(block.afdeling)), []).append(
            block
        )
    for block in sheet.blocks:
        findings.extend(_check_block(block, sheet, params, kind, seen_pairs))
    return findings


# --------------------------------------------------------------------------- header


def _check_header(sheet: ParsedSheet, params: RateSheetParams) -> Iterator[Finding]:
    expected = params.expected_driftsherre
    if expected:
        found = sheet.driftsherre
        a, b = _name_key(expected), _name_key(found)
        if not b or (a not in b and b not in a):
            yield make_finding(
                "DRIFTSHERRE_MISMATCH",
                sheet=sheet.name,
                cell=sheet.driftsherre_cell or "A1",
                value=found,
                message=(
                    f"Skemaet angiver driftsherre '{found}', men indberetningen er for "
                    f"'{expected}'. Brug jeres egen skabelon eller ret driftsherren."
                    if found
                    else f"Skemaet angiver ingen driftsherre. Skriv '{expected}' i toppen af "
                    "skemaet (feltet Driftsherre)."
                ),
            )
    for which, expected_pl in (("kommuner", params.pl_kommuner), ("regioner", params.pl_regioner)):
        found = getattr(sheet, f"pl_{which}")
        cell = getattr(sheet, f"pl_{which}_cell")
        if found is not None and not _possible_pct(found) and found != expected_pl:
            yield make_finding(
                "VALUE_INVALID",
                sheet=sheet.name,
                cell=cell,
                value=_pct(found),
                message=(
                    f"P/L - {which.capitalize()} er {_pct(found)}, hvilket ikke er en mulig "
                    "procentsats. P/L angives i procent (den udmeldte sats for "
                    f"{params.budget_year} er {_pct2(expected_pl)}), ikke som et beløb."
                ),
            )
        elif found is None:
            yield make_finding(
                "PL_MISMATCH",
                sheet=sheet.name,
                cell=cell or "A1",
                message=(
                    f"P/L - {which.capitalize()} mangler i skemaets top. Angiv den udmeldte "
                    f"sats for {params.budget_year}: {_pct2(expected_pl)}."
                ),
            )
        elif found.quantize(Decimal("0.01")) != expected_pl.quantize(Decimal("0.01")):
            yield make_finding(
                "PL_MISMATCH",
                sheet=sheet.name,
                cell=cell,
                value=_pct2(found),
                message=(
                    f"P/L - {which.capitalize()} er {_pct2(found)}, men den udmeldte sats for "
                    f"{params.budget_year} er {_pct2(expected_pl)}. Ret satsen, og kontrollér "
                    "taksterne, hvis de er fremskrevet med den forkerte sats."
                ),
            )
    for year, value in sorted(sheet.overhead.items()):
        if _possible_pct(value):
            continue
        yield make_finding(
            "VALUE_INVALID",
            sheet=sheet.name,
            cell=sheet.overhead_cells.get(year, ""),
            value=_pct(value),
            message=(
                f"Overhead driftsherre for {year} er {_pct(value)}, hvilket ikke er en mulig "
                "procentsats. Angiv driftsherrens gennemsnitlige overheadprocent i procent "
                "(mellem 0 og 100, f.eks. 6,5 %), ikke overhead i kroner."
            ),
        )
    for cell, text in sheet.header_invalid.items():
        yield make_finding(
            "VALUE_INVALID",
            sheet=sheet.name,
            cell=cell,
            value=text,
            message=f"'{text}' er ikke en gyldig procentsats. Skriv et tal, f.eks. 6,5 %.",
        )


def _pct2(value: Decimal) -> str:
    return format_da(value, 2) + " %"


def _possible_pct(value: Decimal) -> bool:
    """A percentage a header cell or OH % can hold: 0-100 (an amount typed in is not)."""
    return Decimal(0) <= value <= Decimal(100)


# --------------------------------------------------------------------------- blocks


def _check_block(
    block: ParsedBlock,
    sheet: ParsedSheet,
    params: RateSheetParams,
    kind: str,
    seen_pairs: dict[tuple[str, str], list[ParsedBlock]],
) -> Iterator[Finding]:
    def finding(code: str, cell: str, message: str, value: object = "") -> Finding:
        return make_finding(
            code,
            sheet=block.sheet,
            cell=cell,
            message=message,
            tilbud=block.tilbud,
            afdeling=block.afdeling,
            value=value,
        )

    if block.missing_columns:
        yield finding(
            "COLUMN_MISSING",
            block.header_cell,
            f"Kolonneoverskriftsrækken (række {block.header_row}) mangler: "
            f"{', '.join(block.missing_columns)}. Indsæt kolonnerne som i takstskabelonen "
            "(eller brug skabelonen direkte).",
        )
    by = params.budget_year
    for index, line in enumerate(block.lines):
        if line.year not in (by - 1, by) or (index > 0 and line.year == block.lines[0].year):
            yield finding(
                "YEAR_MISMATCH",
                line.cells["year"],
                f"Året {line.year} passer ikke til takstrunden: en blok skal have en række for "
                f"{by - 1} (indeværende år) og en for {by} (budgetår). Ret året.",
                line.year,
            )
    if not block.lines:
        yield finding(
            "YEAR_MISMATCH",
            block.header_cell,
            f"Blokken under række {block.header_row} har ingen rækker med år. Indsæt en række "
            f"for {by - 1} og en for {by} i kolonnen År.",
        )
    status = _block_status(block, seen_pairs)
    active = [ln for ln in (block.year1, block.year2) if ln is not None]
    if status == "year2_empty":
        # The budget-year row is there but holds no figures: it still has to be filled in
        # (an untouched template must not pass), unless the offer is marked as ended.
        active.append(block.year2_line)
    for line in active:
        yield from _check_values(
            line,
            finding,
            is_budget_year=line is block.year2 or line is block.year2_line,
            empty_row=line is block.year2_line and block.year2 is None,
        )
    yield from _check_vocabulary(block, active, finding)
    if status in ("no_figures", "ended_without_figures"):
        yield from _check_no_figures(block, status, params, finding)
    if block.year1 and block.year2:
        yield from _check_rises(block, params, kind, finding)
    if block.year2:
        yield from _check_occupancy(block.year2, params, finding)
    yield from _check_places(block, finding)
    yield from _check_overhead(block, sheet, params, finding)
    yield from _check_register(block, params, finding)
    yield from _check_prefill(block, params, finding)
    yield from _check_new_or_ended(block, seen_pairs, finding)


def _check_values(
    line: ParsedLine, finding, *, is_budget_year: bool, empty_row: bool = False
) -> Iterator[Finding]:
    year = line.year
    for name, text in line.invalid.items():
        title = COLUMN_TITLES[name]
        yield finding(
            "VALUE_INVALID",
            line.cells[name],
            f"{title} ({year}) indeholder '{text}', som ikke er et tal. Skriv kun tallet, "
            "f.eks. 1.234,50.",
            text,
        )
    for name in NUMBER_FIELDS:
        value = line.get(name)
        if value is None:
            continue
        title = COLUMN_TITLES[name]
        if value < 0 and name not in SIGNED_FIELDS:
            yield finding(
                "VALUE_INVALID",
                line.cells[name],
                f"{title} ({year}) er negativ ({format_da(value, 2)}). Kun Regulering må være "
                "negativ (indregnet overskud); ret værdien.",
                value,
            )
        elif name == "oh_pct" and value > 100:
            yield finding(
                "VALUE_INVALID",
                line.cells[name],
                f"OH % ({year}) er {_pct(value)}, hvilket ikke er en mulig procentsats. Angiv "
                "overheadprocenten med 1 decimal (f.eks. 6,5 %), ikke overhead i kroner.",
                value,
            )
        elif name == "belaegning" and value > 100:
            yield finding(
                "VALUE_INVALID",
                line.cells[name],
                f"Belægning ({year}) er {_pct(value)}, men kan højst være 100 %. Angiv den "
                "budgetterede belægningsprocent.",
                value,
            )
    if not is_budget_year:
        return
    hint = (
        f" Rækken for {year} er tom. Hvis tilbuddet udgår, skriv 'Udgår' og en begrundelse "
        f"i Bemærkning for {year}."
        if empty_row
        else ""
    )
    for name in REQUIRED_LINE_FIELDS:
        if name in line.invalid or line.get(name) is not None or name not in line.cells:
            continue
        extra = _UNCALCULATED if name in line.uncalculated else ""
        yield finding(
            "VALUE_INVALID",
            line.cells[name],
            f"Udfyld {COLUMN_TITLES[name]} for {year} (budgetåret): feltet er tomt.{extra}{hint}",
        )
    if all(line.get(name) is None for name in RATE_FIELDS) and not any(
        name in line.invalid for name in RATE_FIELDS
    ):
        cell = line.cells.get("takst_1") or line.cells.get("basis", "")
        missing = [n for n in RATE_FIELDS if n in line.uncalculated]
        yield finding(
            "VALUE_INVALID",
            cell,
            f"Udfyld mindst én takst for {year}: der er ingen takst (Takst 1 eller Basis/Time)."
            + (_UNCALCULATED if missing else "")
            + hint,
        )


def _check_vocabulary(block: ParsedBlock, active: list[ParsedLine], finding):
    cells_done: set[str] = set()
    for line in active:
        paragraph_cell = line.cells.get("paragraph")
        if paragraph_cell and paragraph_cell not in cells_done:
            cells_done.add(paragraph_cell)
            value = line.paragraph or block.paragraph
            parts = [p for p in re.split(r"[,;\n]| og ", value) if p.strip()]
            unknown = [p.strip() for p in parts if _key(p) not in _PARAGRAPH_KEYS]
            if not parts or unknown:
                yield finding(
                    "PARAGRAPH_UNKNOWN",
                    paragraph_cell,
                    (
                        f"§§ '{', '.join(unknown)}' findes ikke i rullemenuen. Vælg lovgrundlaget "
                        "fra listen, f.eks. 'ABL § 105' eller 'SEL § 108'."
                    )
                    if unknown
                    else "§§ er ikke udfyldt. Vælg lovgrundlaget fra rullemenuen.",
                    value,
                )
        unit_cell = line.cells.get("unit")
        if unit_cell and unit_cell not in cells_done:
            cells_done.add(unit_cell)
            value = line.unit or block.unit
            if _key(value) not in _UNIT_KEYS:
                yield finding(
                    "UNIT_UNKNOWN",
                    unit_cell,
                    (f"Enhed '{value}' findes ikke i rullemenuen. Vælg en af: {', '.join(UNITS)}.")
                    if value
                    else f"Enhed er ikke udfyldt. Vælg en af: {', '.join(UNITS)}.",
                    value,
                )


def _remark(block: ParsedBlock) -> str:
    return block.year2.bemaerkning if block.year2 else ""


def _check_rises(block: ParsedBlock, params: RateSheetParams, kind: str, finding):
    y1, y2 = block.year1, block.year2
    pl = params.pl_for(kind)
    limit = pl + params.rise_threshold_pp
    if _remark(block):
        return
    remark_cell = y2.cells.get("bemaerkning", "")
    for name in RATE_FIELDS:
        rise = rise_pct(y1.get(name), y2.get(name))
        if rise is None or rise <= limit:
            continue
        yield finding(
            "RISE_NEEDS_REMARK",
            y2.cells[name],
            f"{COLUMN_TITLES[name]} stiger {_pct(rise)} fra {y1.year} til {y2.year} "
            f"({format_da(y1.get(name), 2)} → {format_da(y2.get(name), 2)}), mere end P/L for "
            f"{kind}r ({_pct2(pl)}) + {format_da(params.rise_threshold_pp, 1)} procentpoint. "
            f"Forklar stigningen i Bemærkning ({remark_cell}).",
            y2.get(name),
        )


def _check_occupancy(line: ParsedLine, params: RateSheetParams, finding):
    if line.belaegning is None or line.belaegning >= params.occupancy_threshold:
        return
    threshold = format_da(params.occupancy_threshold, 0)
    if not line.bemaerkning and "bemaerkning" in line.cells:
        yield finding(
            "LOW_OCCUPANCY_NEEDS_REMARK",
            line.cells["bemaerkning"],
            f"Den budgetterede belægning for {line.year} er {_pct(line.belaegning)}, under "
            f"{threshold} %. Forklar den lave belægning i Bemærkning.",
        )
    if line.tomgang is None and "tomgang" not in line.invalid and "tomgang" in line.cells:
        yield finding(
            "LOW_OCCUPANCY_NEEDS_IDLE",
            line.cells["tomgang"],
            f"Den budgetterede belægning for {line.year} er {_pct(line.belaegning)}, under "
            f"{threshold} %. Angiv antallet af tomme pladser i Tomgang.",
        )


def _check_places(block: ParsedBlock, finding):
    for places in (*block.used_rows, *block.sold_rows):
        for i, text in places.invalid.items():
            yield finding(
                "VALUE_INVALID",
                places.cells[i],
                f"Pladsantallet for Takst {i + 1} ('{text}') er ikke et tal. Skriv kun tallet.",
                text,
            )
        for i, value in enumerate(places.values):
            if value is not None and value < 0:
                yield finding(
                    "VALUE_INVALID",
                    places.cells[i],
                    f"Pladsantallet for Takst {i + 1} er negativt ({format_da(value, 1)}).",
                    value,
                )
    used_by_year = {r.year: r for r in block.used_rows}
    for sold in block.sold_rows:
        used = used_by_year.get(sold.year)
        for i, value in enumerate(sold.values):
            used_value = (used.values[i] if used else None) or Decimal(0)
            if value is not None and value > used_value:
                yield finding(
                    "SOLD_EXCEEDS_USED",
                    sold.cells[i],
                    f"Heraf solgte pladser ({sold.year or ''}) for Takst {i + 1} er "
                    f"{_count(value)}, men anvendte pladser er {_count(used_value)}. "
                    "Solgte pladser er en del af de anvendte; ret tallene.",
                    value,
                )
    lines_by_year = {ln.year: ln for ln in block.lines}
    for used in block.used_rows:
        line = lines_by_year.get(used.year) or block.year2 or block.year1
        total = sum((v for v in used.values if v is not None), Decimal(0))
        if line is not None and line.pladser is not None and total > line.pladser:
            yield finding(
                "USED_EXCEEDS_PLACES",
                used.label_cell,
                f"Anvendte pladser ({used.year or ''}) er i alt {_count(total)}, men "
                f"tilbuddet har {_count(line.pladser)} pladser ({line.cells['pladser']}). "
                "Kontrollér fordelingen eller pladsantallet, og kommentér afvigelsen.",
                total,
            )


def _check_overhead(block: ParsedBlock, sheet: ParsedSheet, params: RateSheetParams, finding):
    # An impossible average (an amount typed as a percentage) is reported at its header
    # cell as VALUE_INVALID; comparing against it would only produce nonsense.
    averages = {y: v for y, v in sheet.overhead.items() if _possible_pct(v)}
    if not averages:
        return
    for line in (block.year1, block.year2):
        if line is None or line.oh_pct is None or not _possible_pct(line.oh_pct):
            continue
        earlier = [y for y in averages if y <= (line.year or 0)]
        year = line.year if line.year in averages else max(earlier, default=None)
        if year is None:
            continue
        average = averages[year]
        if abs(line.oh_pct - average) > params.overhead_tolerance_pp:
            yield finding(
                "OVERHEAD_DEVIATES",
                line.cells["oh_pct"],
                f"OH % for {line.year} er {_pct(line.oh_pct)}, mens driftsherrens gennemsnit "
                f"({year}) er {_pct(average)} — mere end "
                f"{format_da(params.overhead_tolerance_pp, 1)} procentpoint fra. Kontrollér "
                "beregningen (overhead / (budget − regulering − overhead)) eller forklar "
                "afvigelsen.",
                line.oh_pct,
            )


def _check_register(block: ParsedBlock, params: RateSheetParams, finding):
    if params.known_offers is None or not block.tilbud:
        return
    register = {_name_key(k): {_name_key(a) for a in v} for k, v in params.known_offers.items()}
    line = block.year2 or block.year1 or (block.lines[0] if block.lines else None)
    tilbud_cell = line.cells.get("tilbud", block.first_cell) if line else block.first_cell
    afdeling_cell = line.cells.get("afdeling", block.first_cell) if line else block.first_cell
    departments = register.get(_name_key(block.tilbud))
    if departments is None:
        yield finding(
            "TILBUD_UNKNOWN",
            tilbud_cell,
            f"Tilbuddet '{block.tilbud}' findes ikke i tilbudsregistret for driftsherren. "
            "Brug navnet som på Tilbudsportalen, eller kontakt sekretariatet om et nyt tilbud.",
            block.tilbud,
        )
    elif block.afdeling and _name_key(block.afdeling) not in departments:
        yield finding(
            "AFDELING_UNKNOWN",
            afdeling_cell,
            f"Afdelingen '{block.afdeling}' findes ikke under '{block.tilbud}' i "
            "tilbudsregistret. Brug afdelingsnavnet som på Tilbudsportalen.",
            block.afdeling,
        )


def _check_prefill(block: ParsedBlock, params: RateSheetParams, finding):
    if params.prefill is None or block.year1 is None:
        return
    line = block.year1
    for (tilbud, afdeling, name), approved in sorted(params.prefill.items()):
        if _name_key(tilbud) != _name_key(block.tilbud):
            continue
        if _name_key(afdeling) != _name_key(block.afdeling) or name not in line.cells:
            continue
        value = line.get(name)
        if value is None or approved is None or value == approved:
            continue
        yield finding(
            "PREFILL_CHANGED",
            line.cells[name],
            f"{COLUMN_TITLES[name]} for {line.year} er {format_da(value, 2)}, men sidste års "
            f"godkendte tal er {format_da(approved, 2)}. Brug det godkendte tal, eller "
            "forklar ændringen i en kommentar.",
            value,
        )


_ENDED_REMARK = re.compile(
    r"\budg(år|ået|åede|ik)\b|ophør|nedlæg|lukk|luk\b|takststruktur|sammenlæg|opspli|opdel",
    re.IGNORECASE,
)
_ENDED_SPECIAL = re.compile(r"\budg(år|ået|åede|ik)\b", re.IGNORECASE)


def _ended_marker(block: ParsedBlock) -> bool:
    """The user says the offer (or its old rate structure) ends: 'Udgår' in Bemærkning.

    The seed (DAS 23.02.2026, pkt. 4 and the 2026 guidance) asks for "Udgår" and a reason
    in the remark field; Særlige forhold counts too when it says the offer udgår.
    """
    remark = block.year2_line.bemaerkning if block.year2_line is not None else ""
    return bool(_ENDED_REMARK.search(remark) or _ENDED_SPECIAL.search(block.saerlige_forhold))


def _has_successor(block: ParsedBlock, seen_pairs) -> bool:
    """Skift i takststruktur: another block for the same tilbud/afdeling has year-2 figures."""
    pair = seen_pairs.get((_name_key(block.tilbud), _name_key(block.afdeling)), [])
    return any(other.year2 is not None for other in pair if other is not block)


def _block_status(block: ParsedBlock, seen_pairs) -> str:
    """How the block's two year rows are to be read.

    - "complete": figures for both years (or a year-2 row with figures and no year 1: new).
    - "ended": year 1 has figures and year 2 is absent, or present but empty and marked
      (Udgår in Bemærkning) or continued in another block (skift i takststruktur).
    - "year2_empty": year 1 may have figures, the year-2 row is present but empty and
      nothing says the offer ends — the row must be filled in.
    - "ended_without_figures": marked as ended but year 1 is empty as well.
    - "no_figures": no year-2 row and no figures for year 1 either.
    """
    if block.year2 is not None or not block.lines:
        return "complete"
    marked = _ended_marker(block) or _has_successor(block, seen_pairs)
    if block.year1 is not None:
        if block.year2_line is None or marked:
            return "ended"
        return "year2_empty"
    if block.year2_line is None:
        return "no_figures"
    return "ended_without_figures" if marked else "year2_empty"


def _check_no_figures(block: ParsedBlock, status: str, params: RateSheetParams, finding):
    by = params.budget_year
    line = block.year1_line or block.year2_line or block.lines[0]
    cell = line.cells.get("pladser") or block.first_cell
    name = f"{block.tilbud} / {block.afdeling}".strip(" /") or f"Blokken i række {block.header_row}"
    if status == "ended_without_figures":
        message = (
            f"'{name}' er markeret som udgået, men har ingen tal for {by - 1} (indeværende år). "
            f"Udfyld tallene for {by - 1}, så det fremgår, hvad der udgår."
        )
    else:
        message = (
            f"'{name}' har ingen tal, hverken for {by - 1} eller {by}. Udfyld tallene for "
            f"{by} (budgetåret) i en række med årstallet {by}, eller slet blokken, hvis den "
            "ikke skal indberettes."
        )
    yield finding("VALUE_INVALID", cell, message)


def _check_new_or_ended(block: ParsedBlock, seen_pairs, finding):
    pair = seen_pairs.get((_name_key(block.tilbud), _name_key(block.afdeling)), [])
    others = [b for b in pair if b is not block]
    note = ""
    if others:
        rows = ", ".join(str(b.header_row) for b in others)
        note = f" Tilbuddet står også i blokken i række {rows} (skift i takststruktur)."
    name = f"{block.tilbud} / {block.afdeling}".strip(" /")
    if block.year2 and not block.year1:
        yield finding(
            "NEW_TILBUD",
            block.first_cell,
            f"'{name}' har kun tal for {block.year2.year} og behandles som nyt tilbud eller ny "
            f"takststruktur.{note}",
        )
    elif _block_status(block, seen_pairs) == "ended":
        year1 = block.year1.year
        year2 = year1 + 1 if year1 else ""
        if block.year2_line is None:
            text = (
                f"'{name}' har tal for {year1}, men ingen række for {year2}, og behandles som "
                f"udgået tilbud (eller gammel takststruktur). Fortsætter tilbuddet, så indsæt en "
                f"række for {year2} og udfyld den."
            )
        elif _ended_marker(block):
            text = (
                f"'{name}' har tal for {year1}, ingen tal for {year2} og er markeret som udgået "
                "i Bemærkning eller Særlige forhold; det behandles som udgået tilbud."
            )
        else:
            text = (
                f"'{name}' har tal for {year1}, men ingen for {year2}: tallene for {year2} står "
                "i en anden blok for samme tilbud, så blokken viser den gamle takststruktur."
            )
        yield finding("TILBUD_ENDED", block.first_cell, text + note)
