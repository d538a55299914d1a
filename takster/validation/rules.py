"""The rules of the 2027 rate sheet: pure functions from a parsed sheet to findings."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from .findings import Finding, make_finding
from .numbers import MONTHS_DA, date_as_typed, format_da, rise_pct
from .params import (
    COLUMN_TITLES,
    NUMBER_FIELDS,
    PARAGRAPHS,
    RATE_FIELDS,
    SIGNED_FIELDS,
    UNITS,
    RateSheetParams,
)
from .parser import ParsedBlock, ParsedLine, ParsedSheet, name_key

REQUIRED_LINE_FIELDS = ("pladser", "belaegning", "budget", "oh_pct")
_UNCALCULATED = (
    " Cellen indeholder en formel uden beregnet værdi — åbn filen i Excel, gem den og upload igen."
)


def _key(text: str) -> str:
    return re.sub(r"[\s/.]", "", text.casefold())


_PARAGRAPH_KEYS = {_key(p) for p in PARAGRAPHS}
_UNIT_KEYS = {_key(u) for u in UNITS}


@functools.lru_cache(maxsize=256)
def _known_unit(value: str) -> bool:
    return _key(value) in _UNIT_KEYS


_name_key = name_key
PL_LABEL = {"kommune": "P/L for kommuner", "region": "P/L for regioner"}


def _count(value: Decimal) -> str:
    return format_da(value, 0 if value == value.to_integral_value() else 1)


def _pct(value: Decimal) -> str:
    return format_da(value, 1) + " %"


# --- The rule book -------------------------------------------------------------------------
# Each threshold rule lives here once. The validator, the review page, the takstbilag's marks
# and the template's conditional formatting (via the *_formula functions, which state the
# same rule in Excel) all use these; thresholds come from Styringsparametre (RateSheetParams /
# TakstbilagData), never from literals elsewhere.
#
# Objective financing (Enhed "Objektiv") is not exempt from either rule. The seed's field
# guide (DAS Social 23.02.2026, pkt. 4, "Bemærkninger") asks for a remark whenever "taksterne
# i et tilbud" rise more than P/L + 2 pp and lists "objektiv" as an ordinary Enhed; and the one
# objectively financed offer in the seeds, Børnehus Nord, explains its rate rise in writing
# (7.734 → 8.020 kr.; DAS Social 17.11.2025, pkt. 6). A needless remark costs a sentence; a
# missing one lets an unexplained rise reach DAS.

RISE_DECIMALS = Decimal("0.01")  # a rise is judged as it is stated: in % with two decimals


def rise_limit_pct(*, pl_pct: Decimal, threshold_pp: Decimal) -> Decimal:
    """The highest allowed rise in %: P/L for the driftsherre's kind plus the threshold."""
    return pl_pct + threshold_pp


def rise_above_limit(
    *, rise: Decimal | None, pl_pct: Decimal, threshold_pp: Decimal, unit: str = ""
) -> bool:
    """True when a rate rises more than P/L + threshold (exactly at the limit is allowed).

    The rise (in %) is rounded to two decimals first, as messages and the template show it.
    `unit` is the block's Enhed; every unit, Objektiv included, follows the rule (see above).
    """
    if rise is None:
        return False
    shown = Decimal(rise).quantize(RISE_DECIMALS, rounding=ROUND_HALF_UP)
    return shown > rise_limit_pct(pl_pct=pl_pct, threshold_pp=threshold_pp)


def occupancy_below_threshold(*, belaegning: Decimal | None, threshold: Decimal) -> bool:
    """True when budgeted belægning (in %) is under the threshold (exactly at it is allowed)."""
    return belaegning is not None and belaegning < threshold


def rise_above_limit_formula(*, old: str, new: str, pl: str, threshold: str) -> str:
    """`rise_above_limit` as an Excel formula over cell references (the template's red mark).

    `pl` and `threshold` refer to cells holding fractions (3,10 % is 0.031), as the template's
    header does. Both sides are rounded like `rise_above_limit` does, so 5,10 % against a
    limit of 3,10 % + 2,0 pp is not marked and floating point noise cannot tip it."""
    return (
        f"AND(ISNUMBER({old}),{old}>0,ISNUMBER({new}),"
        f"ROUND(({new}/{old}-1)*100,2)>ROUND(({pl}+{threshold})*100,2))"
    )


def occupancy_below_threshold_formula(*, belaegning: str, threshold: str) -> str:
    """`occupancy_below_threshold` as an Excel formula (cells hold fractions: 95 % is 0.95)."""
    return f"AND(ISNUMBER({belaegning}),ROUND({belaegning}*100,6)<ROUND({threshold}*100,6))"


def check_sheet(sheet: ParsedSheet, params: RateSheetParams) -> list[Finding]:
    if not sheet.blocks:
        blank = (
            f"Skemaets {sheet.blank_blocks} blokke er tomme: udfyld mindst ét tilbud"
            if sheet.blank_blocks
            else "Der er ingen takstblokke i filen: ingen række med kolonneoverskrifterne "
            "Tilbud, Afdeling, §§, År … Bemærkning"
        )
        no_blocks = make_finding(
            "NO_BLOCKS",
            sheet=sheet.name,
            cell="A1",
            message=f"{blank}. Brug takstskabelonen for {params.budget_year} og udfyld den.",
        )
        header = list(_check_header(sheet, params)) if sheet.blank_blocks else []
        return [no_blocks, *header]
    findings = list(_check_header(sheet, params))
    kind = params.kind_for(sheet.driftsherre)
    seen_pairs: dict[tuple[str, str], list[ParsedBlock]] = {}
    for block in sheet.blocks:
        seen_pairs.setdefault((_name_key(block.tilbud), _name_key(block.afdeling)), []).append(
            block
        )
    for index, block in enumerate(sheet.blocks):
        findings.extend(_check_block(block, index, sheet, params, kind, seen_pairs))
    findings.extend(_check_duplicates(sheet))
    return findings


def _date_message(label: str, value) -> str:
    typed = date_as_typed(value)
    hint = f", f.eks. {typed}" if typed else ""
    return (
        f"{label} er blevet til en dato i Excel ({format_date_da(value)}) — sandsynligvis er "
        f"tallet skrevet med punktum. Skriv tallet med komma{hint}, eller formatér cellen som "
        "tal, og skriv det igen."
    )


def format_date_da(value) -> str:
    if value.year <= 1:
        return "et klokkeslæt"
    return f"{value.day}. {MONTHS_DA[value.month - 1]} {value.year}"


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
        if cell in sheet.header_dates:
            label, value = sheet.header_dates[cell]
            yield make_finding(
                "VALUE_INVALID",
                sheet=sheet.name,
                cell=cell,
                value=format_date_da(value),
                message=_date_message(label, value)
                + f" Den udmeldte sats for {params.budget_year} er {_pct2(expected_pl)}.",
            )
        elif found is not None and not _possible_pct(found) and found != expected_pl:
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
    for cell, (label, value) in sheet.header_dates.items():
        if cell in (sheet.pl_kommuner_cell, sheet.pl_regioner_cell):
            continue
        yield make_finding(
            "VALUE_INVALID",
            sheet=sheet.name,
            cell=cell,
            value=format_date_da(value),
            message=_date_message(label, value),
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


def _years_fit(block: ParsedBlock, budget_year: int) -> bool:
    years = [line.year for line in block.lines]
    return bool(years) and all(y in (budget_year - 1, budget_year) for y in years) and len(
        set(years)
    ) == len(years)


def _check_block(
    block: ParsedBlock,
    block_index: int,
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
            block=block_index,
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
    if not _years_fit(block, by):
        # A file for another round (or a mistyped year): which row is year 1 and which is
        # year 2 is unknown, so only what does not depend on it is checked.
        for line in block.lines:
            yield from _check_values(line, finding, is_budget_year=False)
        yield from _check_vocabulary(block, block.lines, finding)
        yield from _check_register(block, params, finding)
        return
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
        yield from _check_occupancy(block, block.year2, params, finding)
    # The guards only skip checks that would find nothing (cheaper on a 300-block sheet).
    if block.used_rows or block.sold_rows:
        yield from _check_places(block, finding)
    if sheet.overhead:
        yield from _check_overhead(block, sheet, params, finding)
    if params.known_offers is not None:
        yield from _check_register(block, params, finding)
    if params.prefill is not None:
        yield from _check_prefill(block, params, finding)
    if status == "ended" or block.year1 is None:
        yield from _check_new_or_ended(block, seen_pairs, finding, status)


_RATE_SET = frozenset(RATE_FIELDS)
_ZERO = Decimal(0)
_CHECKED_HIGH = ("belaegning", "oh_pct", "tomgang")  # in column order
_UNCALCULATED_MESSAGE = (
    "{title} er en formel uden beregnet værdi (filen er skrevet af et program og "
    "ikke gemt i Excel), så tallet kan ikke læses. Åbn filen i Excel, gem den, og upload "
    "igen — eller skriv tallet direkte i cellen."
)


def _check_values(
    line: ParsedLine, finding, *, is_budget_year: bool, empty_row: bool = False
) -> Iterator[Finding]:
    year = line.year
    for name in NUMBER_FIELDS if line.uncalculated else ():
        if name in line.uncalculated:
            yield finding(
                "VALUE_INVALID",
                line.cells[name],
                _UNCALCULATED_MESSAGE.format(title=f"{COLUMN_TITLES[name]} ({year})"),
            )
    for name, text in line.invalid.items():
        title = COLUMN_TITLES[name]
        if name in line.dates:
            yield finding(
                "VALUE_INVALID",
                line.cells[name],
                _date_message(f"{title} ({year})", line.dates[name]),
                text,
            )
            continue
        yield finding(
            "VALUE_INVALID",
            line.cells[name],
            f"{title} ({year}) indeholder '{text}', som ikke er et tal. Skriv kun tallet, "
            "f.eks. 1.234,50.",
            text,
        )
    numbers = line.numbers
    if numbers and min(numbers.values()) < 0:
        to_check = numbers.items()
    else:  # nothing negative: only the fields with an upper bound
        to_check = [(name, numbers[name]) for name in _CHECKED_HIGH if name in numbers]
    for name, value in to_check:
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
        elif name == "tomgang":
            yield from _check_idle(line, value, finding)
    if not is_budget_year:
        return
    hint = (
        f" Rækken for {year} er tom. Hvis tilbuddet udgår, skriv 'Udgår' og en begrundelse "
        f"i Bemærkning for {year}."
        if empty_row
        else ""
    )
    for name in REQUIRED_LINE_FIELDS:
        if (
            name in line.invalid
            or name in line.uncalculated
            or line.get(name) is not None
            or name not in line.cells
        ):
            continue
        yield finding(
            "VALUE_INVALID",
            line.cells[name],
            f"Udfyld {COLUMN_TITLES[name]} for {year} (budgetåret): feltet er tomt.{hint}",
        )
    if (
        _RATE_SET.isdisjoint(line.numbers)
        and _RATE_SET.isdisjoint(line.invalid)
        and _RATE_SET.isdisjoint(line.uncalculated)
    ):
        cell = line.cells.get("takst_1") or line.cells.get("basis", "")
        yield finding(
            "VALUE_INVALID",
            cell,
            f"Udfyld mindst én takst for {year}: der er ingen takst (Takst 1 eller Basis/Time)."
            + hint,
        )


def _check_idle(line: ParsedLine, value: Decimal, finding) -> Iterator[Finding]:
    """Tomgang is a number of places (the seed: "antallet af tomme pladser")."""
    if value < 0:
        return  # reported as negative
    cell = line.cells["tomgang"]
    if "tomgang" in line.currency or (line.pladser is not None and value > line.pladser):
        places = f" af tilbuddets {_count(line.pladser)} pladser" if line.pladser else ""
        yield finding(
            "VALUE_INVALID",
            cell,
            f"Tomgang ({line.year}) er {_count(value)}, men skal være antallet af tomme "
            f"pladser{places} — ikke et beløb i kroner. Skriv antallet af tomme pladser.",
            value,
        )
    elif value != value.to_integral_value():
        yield finding(
            "VALUE_INVALID",
            cell,
            f"Tomgang ({line.year}) er {format_da(value, 2)}, men skal være et helt antal "
            "tomme pladser (f.eks. 2). Skriv antallet af tomme pladser.",
            value,
        )


@functools.lru_cache(maxsize=1024)
def _unknown_parts(value: str) -> tuple[str, ...]:
    parts = [p.strip() for p in re.split(r"[,;\n]| og ", value) if p.strip()]
    return tuple(p for p in parts if _key(p) not in _PARAGRAPH_KEYS)


def _fillable_cell(block: ParsedBlock, lines: list[ParsedLine], name: str) -> str:
    """The cell the user is meant to fill: the budget-year row's (the template locks year 1)."""
    for line in (block.year2_line, *lines, *block.lines):
        if line is not None and name in line.cells:
            return line.cells[name]
    return ""


def _check_vocabulary(block: ParsedBlock, active: list[ParsedLine], finding):
    """§§ and Enhed once per block, on the cell the user can fill."""
    lines = [ln for ln in active if ln is not None]
    if not lines:
        return
    paragraph_cell = _fillable_cell(block, lines, "paragraph")
    if paragraph_cell:
        values = list(dict.fromkeys(v for v in (ln.paragraph for ln in lines) if v)) or (
            [block.paragraph] if block.paragraph else []
        )
        unknown = list(dict.fromkeys(p for v in values for p in _unknown_parts(v)))
        if not values or unknown:
            yield finding(
                "PARAGRAPH_UNKNOWN",
                paragraph_cell,
                (
                    f"§§ '{', '.join(unknown)}' findes ikke i rullemenuen. Vælg lovgrundlaget "
                    "fra listen, f.eks. 'ABL § 105' eller 'SEL § 108'."
                )
                if unknown
                else "§§ er ikke udfyldt. Vælg lovgrundlaget fra rullemenuen.",
                ", ".join(values),
            )
    unit_cell = _fillable_cell(block, lines, "unit")
    if unit_cell:
        values = list(dict.fromkeys(v for v in (ln.unit for ln in lines) if v)) or (
            [block.unit] if block.unit else []
        )
        unknown = [v for v in values if not _known_unit(v)]
        if not values or unknown:
            yield finding(
                "UNIT_UNKNOWN",
                unit_cell,
                (f"Enhed '{', '.join(unknown)}' findes ikke i rullemenuen. Vælg en af: "
                 f"{', '.join(UNITS)}.")
                if unknown
                else f"Enhed er ikke udfyldt. Vælg en af: {', '.join(UNITS)}.",
                ", ".join(values),
            )


def _remark_cell(block: ParsedBlock) -> str:
    line = block.year2_line or block.year2 or block.year1
    return line.cells.get("bemaerkning", "") if line else ""


# Rounding a rise half up to RISE_DECIMALS adds at most half a step to it.
_ROUNDING_MARGIN = RISE_DECIMALS / 2


def _check_rises(block: ParsedBlock, params: RateSheetParams, kind: str, finding):
    """RISE_NEEDS_REMARK: any Bemærkning in the block (year 1, year 2, merged) explains it."""
    if block.bemaerkning:
        return
    y1, y2 = block.year1, block.year2
    pl = params.pl_for(kind)
    threshold = params.rise_threshold_pp
    limit = rise_limit_pct(pl_pct=pl, threshold_pp=threshold)
    remark_cell = _remark_cell(block)
    old_rates, new_rates = y1.numbers, y2.numbers
    # A rise under limit - _ROUNDING_MARGIN is never above the limit once rounded as
    # rise_above_limit rounds it: settled without a division (most rates).
    clearly_below = limit - _ROUNDING_MARGIN
    for name in RATE_FIELDS:
        old, new = old_rates.get(name), new_rates.get(name)
        if old is None or new is None:
            continue
        if old > 0 and (new - old) * 100 < old * clearly_below:
            continue
        rise = rise_pct(old, new)
        if not rise_above_limit(rise=rise, pl_pct=pl, threshold_pp=threshold, unit=block.unit):
            continue
        yield finding(
            "RISE_NEEDS_REMARK",
            y2.cells[name],
            f"{COLUMN_TITLES[name]} stiger {_pct2(rise)} fra {y1.year} til {y2.year} "
            f"({format_da(old, 2)} → {format_da(new, 2)}); grænsen er "
            f"{_pct2(limit)} = {PL_LABEL[kind]} {_pct2(pl)} + {format_da(threshold, 1)} pp. "
            f"Forklar stigningen i Bemærkning{f' ({remark_cell})' if remark_cell else ''}.",
            new,
        )


def _check_occupancy(block: ParsedBlock, line: ParsedLine, params: RateSheetParams, finding):
    threshold = params.occupancy_threshold
    if not occupancy_below_threshold(belaegning=line.belaegning, threshold=threshold):
        return
    shown = format_da(threshold, 0 if threshold == threshold.to_integral_value() else 1)
    if not block.bemaerkning and "bemaerkning" in line.cells:
        yield finding(
            "LOW_OCCUPANCY_NEEDS_REMARK",
            line.cells["bemaerkning"],
            f"Den budgetterede belægning for {line.year} er {_pct(line.belaegning)}, under "
            f"{shown} %. Forklar den lave belægning i Bemærkning.",
        )
    if (
        line.tomgang is None
        and "tomgang" not in line.invalid
        and "tomgang" not in line.uncalculated
        and "tomgang" in line.cells
    ):
        yield finding(
            "LOW_OCCUPANCY_NEEDS_IDLE",
            line.cells["tomgang"],
            f"Den budgetterede belægning for {line.year} er {_pct(line.belaegning)}, under "
            f"{shown} %. Angiv antallet af tomme pladser i Tomgang.",
        )


def _places_label(label: str, year: int | None) -> str:
    return f"{label} ({year})" if year else label


def _check_places(block: ParsedBlock, finding):
    labelled = [("Anvendte pladser", p) for p in block.used_rows]
    labelled += [("Heraf solgte pladser", p) for p in block.sold_rows]
    for label, places in labelled:
        for i in sorted(places.uncalculated):
            yield finding(
                "VALUE_INVALID",
                places.cells[i],
                _UNCALCULATED_MESSAGE.format(
                    title=f"{_places_label(label, places.year)} for Takst {i + 1}"
                ),
            )
        for i, text in places.invalid.items():
            yield finding(
                "VALUE_INVALID",
                places.cells[i],
                f"Pladsantallet for Takst {i + 1} ('{text}') er ikke et tal. Skriv kun tallet.",
                text,
            )
        if min((v for v in places.values if v is not None), default=_ZERO) >= 0:
            continue
        for i, value in enumerate(places.values):
            if value is not None and value < 0:
                yield finding(
                    "VALUE_INVALID",
                    places.cells[i],
                    f"Pladsantallet for Takst {i + 1} er negativt ({format_da(value, 1)}).",
                    value,
                )
    for sold in block.sold_rows:
        used = _used_row_for(block, sold)
        if used is None:
            continue
        for i, value in enumerate(sold.values):
            used_value = used.values[i] or _ZERO
            if value is not None and value > used_value:
                yield finding(
                    "SOLD_EXCEEDS_USED",
                    sold.cells[i],
                    f"{_places_label('Heraf solgte pladser', sold.year or used.year)} for "
                    f"Takst {i + 1} er {_count(value)}, men anvendte pladser er "
                    f"{_count(used_value)} ({used.cells[i]}). Solgte pladser er en del af de "
                    "anvendte; ret tallene.",
                    value,
                )
    lines_by_year = {ln.year: ln for ln in block.lines}
    for used in block.used_rows:
        line = lines_by_year.get(used.year) or block.year2 or block.year1
        total = sum((v for v in used.values if v is not None), _ZERO)
        if line is not None and line.pladser is not None and total > line.pladser:
            yield finding(
                "USED_EXCEEDS_PLACES",
                used.label_cell,
                f"{_places_label('Anvendte pladser', used.year)} er i alt {_count(total)}, men "
                f"tilbuddet har {_count(line.pladser)} pladser ({line.cells['pladser']}). "
                "Kontrollér fordelingen eller pladsantallet, og kommentér afvigelsen.",
                total,
            )


def _used_row_for(block: ParsedBlock, sold):
    """The "Anvendte pladser" row a "Heraf solgte pladser" row belongs to: the one of the
    same year, or — when either row has no year — the nearest one above it in the block."""
    if sold.year is not None:
        for used in block.used_rows:
            if used.year == sold.year:
                return used
    candidates = [
        u for u in block.used_rows if (u.year is None or sold.year is None) and u.row < sold.row
    ]
    if candidates:
        return max(candidates, key=lambda u: u.row)
    return None


def _check_overhead(block: ParsedBlock, sheet: ParsedSheet, params: RateSheetParams, finding):
    # An impossible average (an amount typed as a percentage) is reported at its header
    # cell as VALUE_INVALID; comparing against it would only produce nonsense.
    averages = {y: v for y, v in sheet.overhead.items() if _possible_pct(v)}
    if not averages:
        return
    for line in (block.year1, block.year2):
        if line is None or line.oh_pct is None or not _possible_pct(line.oh_pct):
            continue
        year = line.year
        if year not in averages:
            year = max((y for y in averages if y <= (line.year or 0)), default=None)
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


_REGISTER_CACHE: dict[int, tuple[object, dict[str, set[str]]]] = {}


def _register_keys(known_offers: dict[str, set[str]]) -> dict[str, set[str]]:
    """The offer register by name key, built once per register (not once per block)."""
    cached = _REGISTER_CACHE.get(id(known_offers))
    if cached is None or cached[0] is not known_offers:
        keys = {_name_key(k): {_name_key(a) for a in v} for k, v in known_offers.items()}
        _REGISTER_CACHE.clear()
        _REGISTER_CACHE[id(known_offers)] = cached = (known_offers, keys)
    return cached[1]


def _check_register(block: ParsedBlock, params: RateSheetParams, finding):
    if params.known_offers is None or not block.tilbud:
        return
    register = _register_keys(params.known_offers)
    line = block.year2 or block.year1 or (block.lines[0] if block.lines else None)
    departments = register.get(_name_key(block.tilbud))
    if departments is not None and (
        not block.afdeling or _name_key(block.afdeling) in departments
    ):
        return
    first = block.first_cell
    tilbud_cell = line.cells.get("tilbud", first) if line else first
    afdeling_cell = line.cells.get("afdeling", first) if line else first
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


# An offer that ends, as people write it: "udgår", "udgået", "nedlagt", "lukker", "lukket",
# "ophører" ... (DAS Social 23.02.2026, pkt. 4: an ended offer has only year-1 figures).
_ENDED_WORDS = (
    r"\budg(år|ået|åede|ik)\b|\bophør|\bnedlæg|\bnedlagt|\bluk(ker|ket|kes|ning)\b|\bafvikl"
)
_ENDED_SPECIAL = re.compile(_ENDED_WORDS, re.IGNORECASE)
# In Bemærkning a changed structure also ends the block (its new structure is elsewhere).
_ENDED_REMARK = re.compile(
    _ENDED_WORDS + r"|takststruktur|sammenlæg|opspli|opdel", re.IGNORECASE
)


def ended_marker(text: str) -> bool:
    """The text says the offer ends (plain Danish, in Bemærkning or Særlige forhold)."""
    return bool(_ENDED_SPECIAL.search(text or ""))


def _ended_marker(block: ParsedBlock) -> bool:
    """The user says the offer (or its old rate structure) ends, in Bemærkning (anywhere in
    the block) or in Særlige forhold."""
    return bool(
        _ENDED_REMARK.search(block.bemaerkning) or _ENDED_SPECIAL.search(block.saerlige_forhold)
    )


def _has_successor(block: ParsedBlock, seen_pairs) -> bool:
    """Skift i takststruktur: another block for the same tilbud/afdeling has year-2 figures."""
    pair = seen_pairs.get((_name_key(block.tilbud), _name_key(block.afdeling)), [])
    return any(other.year2 is not None for other in pair if other is not block)


def _block_status(block: ParsedBlock, seen_pairs) -> str:
    """How the block's two year rows are to be read.

    - "complete": figures for both years (or a year-2 row with figures and no year 1: new).
    - "ended": year 1 has figures and year 2 is absent, or present but empty and marked
      (ended in plain Danish) or continued in another block (skift i takststruktur).
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


def _check_new_or_ended(block: ParsedBlock, seen_pairs, finding, status: str):
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
    elif status == "ended":
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


def _place(block: ParsedBlock) -> str:
    return f"'{block.sheet}'!{block.first_cell}"


def _check_duplicates(sheet: ParsedSheet) -> Iterator[Finding]:
    for copy, original in sheet.duplicates:
        name = f"{copy.tilbud} / {copy.afdeling}".strip(" /")
        where = (
            f"fanebladet '{copy.sheet}'" if copy.sheet != original.sheet
            else f"blokken i række {copy.header_row}"
        )
        yield make_finding(
            "DUPLICATE_BLOCK",
            sheet=copy.sheet,
            cell=copy.first_cell,
            tilbud=copy.tilbud,
            afdeling=copy.afdeling,
            message=(
                f"'{name}' står to gange med tal for samme år: {_place(original)} og "
                f"{_place(copy)}. Kun {_place(original)} er læst, så tilbuddet ikke tælles "
                f"dobbelt. Slet kopien ({where}), eller ret den, hvis det er en anden afdeling."
            ),
        )
