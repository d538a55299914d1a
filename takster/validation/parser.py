"""Read a rate sheet workbook into blocks and lines — no rules, no judgement.

Blocks are found by their column header row, on any sheet and at any column offset,
never by fixed row numbers; so a sheet laid out like the seed's examples reads as well
as our generated template.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from math import isfinite

from openpyxl.utils import get_column_letter

from .numbers import Number, parse_number, percent_value, to_percent
from .params import (
    COLUMN_TITLES,
    COLUMNS,
    PERCENT_FIELDS,
    REQUIRED_COLUMNS,
    TAKST_FIELDS,
)
from .safety import UnsafeWorkbook

TEXT_FIELDS = frozenset({"tilbud", "afdeling", "paragraph", "unit", "bemaerkning"})
_TAKST_INDEX = {key: i for i, key in enumerate(TAKST_FIELDS)}
# En/em dashes, non-breaking hyphens and minus signs read like "-" in labels.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_HEADER_KEYS = {re.sub(r"\s+", "", title.casefold()): key for key, title in COLUMNS}
_HEADER_ALIASES = {
    "oh": "oh_pct",
    "oh-%": "oh_pct",
    "paragraf": "paragraph",
    "§": "paragraph",
    "bemærkninger": "bemaerkning",
    "budget": "budget",
    "takstenhed": "unit",
}
_HEADER_KEYS.update(_HEADER_ALIASES)
_USED = re.compile(r"^anvendte\s*pladser\s*[-–—]?\s*(\d{4})?")
_SOLD = re.compile(r"^heraf\s*solgte\s*pladser\s*[-–—]?\s*(\d{4})?")
MIN_HEADER_MATCHES = 8


@functools.lru_cache(maxsize=1024)
def _letter(col: int) -> str:
    return get_column_letter(col + 1)


def coord(row: int, col: int) -> str:
    """0-based row/col → 'B14'."""
    return f"{_letter(col)}{row + 1}"


def norm_text(value: object) -> str:
    """Cell text as compared and stored: NFC (macOS copy/paste gives NFD), one space
    (str.split() also splits on non-breaking spaces)."""
    if value is None or value == "":
        return ""
    if value.__class__ is not str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    return _norm_str(value)


@functools.lru_cache(maxsize=8192)
def _norm_str(value: str) -> str:
    # Sheets repeat the same texts (titles, §§, Enhed, names): cached.
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def norm_key(value: object) -> str:
    """A label's key: case, spaces, non-breaking spaces and dash variants do not matter."""
    return _key_str(norm_text(value))


@functools.lru_cache(maxsize=8192)
def _key_str(text: str) -> str:
    return "".join(text.casefold().translate(_DASHES).split())


def as_year(value: object) -> int | None:
    cls = value.__class__
    if cls is float or cls is int:
        if cls is float and not value.is_integer():
            return None
        year = int(value)
    elif cls is str:
        if not value or not _YEAR_TEXT.fullmatch(value):
            return None
        year = int(value)
    else:
        return None
    return year if 1900 <= year <= 2200 else None


_YEAR_TEXT = re.compile(r"\s*\d{4}\s*")


class PlaceCells(Sequence):
    """Takst index → cell reference of a places row, made on demand (like LineCells)."""

    __slots__ = ("_row", "_cols")

    def __init__(self, row: int, cols: tuple[int | None, ...]):
        self._row, self._cols = row, cols

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(len(self._cols))[index]]
        col = self._cols[index]
        return "" if col is None else f"{_letter(col)}{self._row}"

    def __len__(self) -> int:
        return len(self._cols)


class LineCells(Mapping):
    """field → cell reference ("B14") of one line, made on demand: a sheet has tens of
    thousands of fields and findings name only a few of them. Merged cells map to their
    top-left cell (where Excel keeps the value and the user types)."""

    __slots__ = ("_row", "_columns", "anchors")

    def __init__(self, row: int, columns: dict[str, int], anchors: dict[str, str] | None = None):
        self._row, self._columns, self.anchors = row, columns, anchors

    def __getitem__(self, key: str) -> str:
        ref = f"{_letter(self._columns[key])}{self._row}"
        return self.anchors.get(ref, ref) if self.anchors else ref

    def __contains__(self, key: object) -> bool:
        return key in self._columns

    def __iter__(self):
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


@dataclass
class ParsedLine:
    year: int | None
    row: int  # 1-based Excel row
    tilbud: str = ""
    afdeling: str = ""
    paragraph: str = ""
    unit: str = ""
    pladser: Decimal | None = None
    belaegning: Decimal | None = None  # percent
    budget: Decimal | None = None
    regulering: Decimal | None = None
    oh_pct: Decimal | None = None  # percent
    basis: Decimal | None = None
    time: Decimal | None = None
    takster: list[Decimal | None] = field(default_factory=lambda: [None] * 10)
    tomgang: Decimal | None = None
    bemaerkning: str = ""
    cells: Mapping[str, str] = field(default_factory=dict)  # field -> "B14" (LineCells)
    invalid: dict[str, str] = field(default_factory=dict)  # field -> text found
    uncalculated: set[str] = field(default_factory=set)  # formula cells without a value
    numbers: dict[str, Decimal] = field(default_factory=dict)  # number fields with a value
    dates: dict[str, datetime.date] = field(default_factory=dict)  # Excel made it a date
    currency: set[str] = field(default_factory=set)  # fields typed with "kr."

    def get(self, name: str) -> Decimal | None:
        index = _TAKST_INDEX.get(name)
        if index is not None:
            return self.takster[index]
        return getattr(self, name)

    @property
    def has_data(self) -> bool:
        return bool(self.numbers or self.invalid or self.uncalculated)


@dataclass
class PlacesRow:
    year: int | None
    row: int
    label_cell: str
    values: list[Decimal | None]
    cells: Sequence[str]  # takst index -> "N13" ("" without the column); PlaceCells
    invalid: dict[int, str] = field(default_factory=dict)  # takst index -> text
    uncalculated: set[int] = field(default_factory=set)  # takst index: formula, no value

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.values) or bool(self.invalid or self.uncalculated)


@dataclass
class ParsedBlock:
    sheet: str
    header_row: int  # 1-based
    header_cell: str
    columns: dict[str, int]  # field -> 0-based column
    missing_columns: list[str] = field(default_factory=list)
    tilbud: str = ""
    afdeling: str = ""
    paragraph: str = ""
    unit: str = ""
    lines: list[ParsedLine] = field(default_factory=list)
    year1: ParsedLine | None = None  # the year-1 row, only when it holds figures
    year2: ParsedLine | None = None  # the year-2 row, only when it holds figures
    year1_line: ParsedLine | None = None  # the year-1 row as found, empty or not
    year2_line: ParsedLine | None = None  # the year-2 row as found, empty or not
    saerlige_forhold: str = ""
    bemaerkning: str = ""  # every Bemærkning text in the block (year-1, year-2, merged)
    used_rows: list[PlacesRow] = field(default_factory=list)
    sold_rows: list[PlacesRow] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        """An unused block (the template's spare blocks at the end): nothing typed in it."""
        return not (
            self.tilbud
            or self.afdeling
            or self.saerlige_forhold
            or self.bemaerkning
            or any(line.has_data for line in self.lines)
            or any(p.has_data for p in (*self.used_rows, *self.sold_rows))
        )

    @property
    def years_with_data(self) -> set[int | None]:
        return {line.year for line in (self.year1, self.year2) if line is not None}

    @property
    def used_places(self) -> dict[int | None, list[Decimal | None]]:
        return {r.year: r.values for r in self.used_rows}

    @property
    def sold_places(self) -> dict[int | None, list[Decimal | None]]:
        return {r.year: r.values for r in self.sold_rows}

    @property
    def first_cell(self) -> str:
        """Where to point at the block as a whole: its Tilbud cell on the first line."""
        row = self.lines[0].row if self.lines else self.header_row + 1
        return f"{_letter(self.columns.get('tilbud', 0))}{row}"


@dataclass
class ParsedSheet:
    name: str  # sheet holding the header area (or the first block)
    driftsherre: str = ""
    driftsherre_cell: str = ""
    overhead: dict[int, Decimal] = field(default_factory=dict)
    overhead_cells: dict[int, str] = field(default_factory=dict)
    pl_kommuner: Decimal | None = None
    pl_kommuner_cell: str = ""
    pl_regioner: Decimal | None = None
    pl_regioner_cell: str = ""
    blocks: list[ParsedBlock] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)
    header_invalid: dict[str, str] = field(default_factory=dict)  # cell -> text
    header_dates: dict[str, tuple[str, datetime.date]] = field(default_factory=dict)
    # (copy, original): a block that repeats another (e.g. a backup sheet "Takster (2)");
    # the copy is left out of `blocks`, so its offer is not counted twice.
    duplicates: list[tuple[ParsedBlock, ParsedBlock]] = field(default_factory=list)
    blank_blocks: int = 0  # unused spare blocks, left out of `blocks`


@dataclass
class SheetGrid:
    name: str
    rows: list[list[object]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1,c1,r2,c2


# --------------------------------------------------------------------------- reading


def read_grids(data: bytes) -> list[SheetGrid]:
    """All worksheets as value grids (from A1); python-calamine, openpyxl as fallback."""
    try:
        return _read_calamine(data)
    except Exception:  # noqa: BLE001 - any calamine failure: let openpyxl decide
        grids = None
    try:
        grids = _read_openpyxl(data)
    except Exception as exc:
        raise UnsafeWorkbook(
            "Filen kan ikke læses som Excel-projektmappe. Åbn den i Excel, gem som .xlsx "
            f"og upload igen. (Teknisk: {type(exc).__name__})"
        ) from exc
    return grids


def _read_calamine(data: bytes) -> list[SheetGrid]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    grids = []
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            grids.append(SheetGrid(meta.name, rows, merged))
    finally:
        workbook.close()
    return grids


def _read_openpyxl(data: bytes) -> list[SheetGrid]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        grids = []
        for ws in workbook.worksheets:
            rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
            grids.append(SheetGrid(ws.title, rows, _openpyxl_merged(workbook, ws)))
        return grids
    finally:
        workbook.close()


_MERGE_REF = re.compile(
    rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})"'
)


def _openpyxl_merged(workbook, ws) -> list[tuple[int, int, int, int]]:
    """Merged ranges (0-based r1, c1, r2, c2) of a read-only sheet, which openpyxl does not
    expose: streamed from the sheet's XML (the mergeCells list at its end)."""
    from openpyxl.utils.cell import range_boundaries

    path = getattr(ws, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if not path or archive is None:
        return []
    merged, tail = [], b""
    with archive.open(path) as fh:
        while chunk := fh.read(1 << 20):
            text = tail + chunk
            last = 0
            for match in _MERGE_REF.finditer(text):
                c1, r1, c2, r2 = range_boundaries(
                    f"{match.group(1).decode()}:{match.group(2).decode()}"
                )
                merged.append((r1 - 1, c1 - 1, r2 - 1, c2 - 1))
                last = match.end()
            tail = text[max(last, len(text) - 200):]
    return merged


# --------------------------------------------------------------------------- parsing


def _fill_merged(grid: SheetGrid) -> list[list[object]]:
    rows = grid.rows
    for r1, c1, r2, c2 in grid.merged:
        if r1 >= len(rows) or (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
            continue
        top = rows[r1][c1] if c1 < len(rows[r1]) else ""
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c1, min(c2, len(row) - 1) + 1):
                if row[c] in ("", None):
                    row[c] = top
    return rows


# A header row has a cell reading "Tilbud": as typed, in any case, with stray spaces. The
# set test runs in C over a row, so finding the header rows does not touch every cell in
# Python; a sheet where none matches is searched again cell by cell (_is_tilbud).
_TILBUD_CELLS = frozenset(
    f"{pre}{word}{post}"
    for word in ("Tilbud", "tilbud", "TILBUD")
    for pre in ("", " ", "\u00a0", "  ")
    for post in ("", " ", "\u00a0", "  ", ":")
)


def _is_tilbud(value: object) -> bool:
    return value.__class__ is str and norm_key(value).rstrip(":") == "tilbud"


def _header_columns(row: list[object], *, thorough: bool = False) -> dict[str, int] | None:
    if thorough:
        if not any(map(_is_tilbud, row)):
            return None
    elif _TILBUD_CELLS.isdisjoint(row):
        return None
    return _columns_of(tuple(row))


@functools.lru_cache(maxsize=256)
def _columns_of(row: tuple) -> dict[str, int] | None:
    """A header row's columns; every block repeats the same header row, so it is cached
    (callers must not change the dict)."""
    columns: dict[str, int] = {}
    for col, value in enumerate(row):
        if not isinstance(value, str) or not value:
            continue
        key = _HEADER_KEYS.get(norm_key(value))
        if key and key not in columns:
            columns[key] = col
    if "tilbud" in columns and "year" in columns and len(columns) >= MIN_HEADER_MATCHES:
        return columns
    return None


def parse_grids(
    grids: list[SheetGrid],
    *,
    budget_year: int | None = None,
    formula_cells: dict[str, set[str]] | None = None,
) -> ParsedSheet:
    formula_cells = formula_cells or {}
    result = ParsedSheet(name=grids[0].name if grids else "", sheet_names=[g.name for g in grids])
    header_found = False
    seen: dict[tuple[str, str], list[ParsedBlock]] = {}
    floats = _FloatValues()
    for grid in grids:
        rows = _fill_merged(grid)
        headers = _find_headers(rows)
        if not headers:
            continue
        if not header_found:
            header_found = True
            result.name = grid.name
            _parse_header_area(rows[: headers[0][0]], result)
        uncalculated = formula_cells.get(grid.name, set())
        anchors = _merge_anchors(grid)
        for i, (r, columns) in enumerate(headers):
            end = headers[i + 1][0] if i + 1 < len(headers) else len(rows)
            block = _parse_block(
                grid.name, rows, r, end, columns, uncalculated, budget_year, floats
            )
            if anchors:
                _point_at_anchors(block, anchors)
            _add_block(result, block, seen)
    return result


def _find_headers(rows: list[list[object]]) -> list[tuple[int, dict[str, int]]]:
    headers = [(r, c) for r, row in enumerate(rows) if (c := _header_columns(row))]
    if not headers:
        headers = [
            (r, c) for r, row in enumerate(rows) if (c := _header_columns(row, thorough=True))
        ]
    return headers


def _add_block(
    sheet: ParsedSheet, block: ParsedBlock, seen: dict[tuple[str, str], list[ParsedBlock]]
) -> None:
    """Keep a block unless it is blank (a spare) or repeats one already read."""
    if block.is_blank:
        sheet.blank_blocks += 1
        return
    if block.tilbud:
        key = (name_key(block.tilbud), name_key(block.afdeling))
        years = block.years_with_data
        for other in seen.get(key, ()):
            # Same offer: a second block is a structure change when it holds other years
            # (old structure in year 1 here, new in year 2 there); the same years is a copy.
            if (years & other.years_with_data) or (not years and not other.years_with_data):
                sheet.duplicates.append((block, other))
                return
        seen.setdefault(key, []).append(block)
    sheet.blocks.append(block)


@functools.lru_cache(maxsize=8192)
def name_key(text: str) -> str:
    """Tilbud/afdeling/driftsherre names as compared with each other and the register
    (cached: every block's names are keyed several times, the register's once per check)."""
    return norm_text(text).casefold()


def _merge_anchors(grid: SheetGrid) -> dict[str, str]:
    """Follower cell of a merged range → its top-left cell (where Excel keeps the value and
    where the user types); findings must name that cell."""
    anchors: dict[str, str] = {}
    for r1, c1, r2, c2 in grid.merged:
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
            continue
        top_left = coord(r1, c1)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    anchors[coord(r, c)] = top_left
    return anchors


def _point_at_anchors(block: ParsedBlock, anchors: dict[str, str]) -> None:
    for line in block.lines:
        line.cells.anchors = anchors
    for places in (*block.used_rows, *block.sold_rows):
        places.cells = [anchors.get(ref, ref) for ref in places.cells]
        places.label_cell = anchors.get(places.label_cell, places.label_cell)


def _cell(rows: list[list[object]], r: int, c: int) -> object:
    if 0 <= r < len(rows) and 0 <= c < len(rows[r]):
        value = rows[r][c]
        return "" if value is None else value
    return ""


def _parse_header_area(rows: list[list[object]], sheet: ParsedSheet) -> None:
    name_label = None
    overhead_label = None
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if not isinstance(value, str) or not value.strip():
                continue
            key = norm_key(value).rstrip(":")
            if key == "driftsherre" and name_label is None:
                name_label = (r, c)
            elif key.startswith("overheaddriftsherre") and overhead_label is None:
                overhead_label = (r, c)
            elif key.startswith(("p/l-kommune", "p/lkommune", "pl-kommune", "pl-satskommune")):
                _read_pl(rows, r, c, sheet, "kommuner")
            elif key.startswith(("p/l-region", "p/lregion", "pl-region", "pl-satsregion")):
                _read_pl(rows, r, c, sheet, "regioner")
    if name_label:
        r, c = name_label
        for cc in range(c + 1, len(rows[r])):
            if norm_text(rows[r][cc]):
                sheet.driftsherre, sheet.driftsherre_cell = norm_text(rows[r][cc]), coord(r, cc)
                break
    elif overhead_label:
        # Seed layout: the name stands left of "Overhead driftsherre" on the same row.
        r, c = overhead_label
        for cc in range(c - 1, -1, -1):
            text = norm_text(rows[r][cc])
            if text and parse_number(rows[r][cc]).value is None:
                sheet.driftsherre, sheet.driftsherre_cell = text, coord(r, cc)
                break
    if overhead_label:
        _read_overhead(rows, *overhead_label, sheet)


def _is_label(value: object) -> bool:
    return isinstance(value, str) and parse_number(value).value is None and bool(value.strip())


def _read_pl(rows, r: int, c: int, sheet: ParsedSheet, which: str) -> None:
    candidates = [(r, cc) for cc in range(c + 1, c + 5)]
    candidates += [(rr, cc) for rr in (r + 1, r + 2) for cc in (c, c + 1)]
    for rr, cc in candidates:
        value = _cell(rows, rr, cc)
        if value == "" or as_year(value) is not None:
            continue
        if _is_label(value):
            if rr == r and parse_number(value).invalid and "%" in str(value):
                sheet.header_invalid[coord(rr, cc)] = str(value)
                return
            if rr == r:
                continue
            break
        number = parse_number(value)
        setattr(sheet, f"pl_{which}_cell", coord(rr, cc))
        if number.date is not None:
            sheet.header_dates[coord(rr, cc)] = (f"P/L - {which.capitalize()}", number.date)
            return
        setattr(sheet, f"pl_{which}", to_percent(number))
        return


def _read_overhead(rows, r: int, c: int, sheet: ParsedSheet) -> None:
    for rr in range(r, r + 6):
        for cc in range(max(c - 1, 0), c + 2):
            year = as_year(_cell(rows, rr, cc))
            if year is None or year in sheet.overhead:
                continue
            for vc in (cc + 1, cc + 2):
                value = _cell(rows, rr, vc)
                if value == "":
                    continue
                number = parse_number(value)
                if number.value is not None and as_year(value) is None:
                    sheet.overhead[year] = to_percent(number)
                    sheet.overhead_cells[year] = coord(rr, vc)
                elif number.date is not None:
                    label = f"Overhead driftsherre {year}"
                    sheet.header_dates[coord(rr, vc)] = (label, number.date)
                elif number.invalid:
                    sheet.header_invalid[coord(rr, vc)] = str(value)
                break


def _row_label(row: list[object], label_cols: slice) -> tuple[str, int]:
    """The first text left of the År column: a row's label ("Anvendte pladser - 2027")."""
    for c, value in enumerate(row[label_cols], label_cols.start):
        if value.__class__ is str and value and not value.isspace():
            return _label_key(value), c
    return "", -1


@functools.lru_cache(maxsize=4096)
def _label_key(value: str) -> str:
    # Every block repeats the same labels ("Ændring", "Anvendte pladser - 2027"): cached.
    return norm_text(value).casefold()


_NOT_LINES = ("anvendte", "heraf", "ændring")


def _is_places_label(row: list[object], label_cols: slice) -> bool:
    """Is the label of a row with a year "Anvendte …", "Heraf …" or "Ændring"? Then the
    year is part of the label, not a year row (the same test as _row_label's, cheaper)."""
    for value in row[label_cols]:
        if value.__class__ is str and value and not value.isspace():
            return _label_key(value).startswith(_NOT_LINES)
    return False


def _parse_block(
    sheet: str,
    rows: list[list[object]],
    header_r: int,
    end: int,
    columns: dict[str, int],
    uncalculated: set[str],
    budget_year: int | None,
    floats: _FloatValues | None = None,
) -> ParsedBlock:
    block = ParsedBlock(
        sheet=sheet,
        header_row=header_r + 1,
        header_cell=coord(header_r, columns["tilbud"]),
        columns=columns,
        missing_columns=[COLUMN_TITLES[k] for k in REQUIRED_COLUMNS if k not in columns],
    )
    year_col = columns["year"]
    remark_col = columns.get("bemaerkning")
    items = tuple(columns.items())
    plan, takst_cols = _field_plan(items), _takst_columns(items)
    start = max(columns.get("tilbud", 0) - 1, 0)
    label_cols = slice(start, max(year_col, start + 1))
    remarks: list[str] = []
    floats = _FloatValues() if floats is None else floats
    for r in range(header_r + 1, end):
        row = rows[r]
        year = as_year(row[year_col] if year_col < len(row) else "")
        if year is not None and not _is_places_label(row, label_cols):
            line = _parse_line(rows, r, year, columns, uncalculated, plan, floats)
            block.lines.append(line)
            remarks.append(line.bemaerkning)
            continue
        label, label_col = _row_label(row, label_cols)
        if year is not None and not label.startswith(_NOT_LINES):
            line = _parse_line(rows, r, year, columns, uncalculated, plan, floats)
            block.lines.append(line)
            remarks.append(line.bemaerkning)
            continue
        if not label or label.startswith("ændring"):
            # A remark may run on below its row (wrapped text typed over several rows).
            if remark_col is not None:
                remarks.append(norm_text(_cell(rows, r, remark_col)))
            continue
        if label.startswith("særlige forhold"):
            texts = (norm_text(v) for v in row[label_col + 1 :] if v != "" and v is not None)
            block.saerlige_forhold = " ".join(
                dict.fromkeys(t for t in texts if t and not t.casefold().startswith("vedrørende"))
            )
            continue
        for pattern, target in ((_USED, block.used_rows), (_SOLD, block.sold_rows)):
            match = pattern.match(label)
            if match:
                target.append(
                    _parse_places(
                        rows, r, label_col, match, columns, uncalculated, takst_cols, floats
                    )
                )
    block.bemaerkning = "\n".join(dict.fromkeys(t for t in remarks if t))
    _assign_years(block, budget_year)
    _inherit(block)
    return block


_TWO = Decimal(2)


class _FloatValues(dict):
    """Numeric cells (floats) → their values, per fraction limit (None: not a percent),
    for one parse: sheets repeat the same figures (places, percents, years, 0), and a dict
    lookup is far cheaper than Decimal(repr(x))."""

    def __missing__(self, fraction_limit):
        self[fraction_limit] = values = {}
        return values


def _float_value(raw: float, fraction_limit) -> Decimal:
    """A finite float cell's value: repr gives the shortest round-tripping form (0.98 stays
    0.98, not 0.979999...); a percent field's fraction becomes percent."""
    value = Decimal(int(raw)) if raw.is_integer() else Decimal(repr(raw))
    if fraction_limit is not None:
        value = percent_value(value, fraction_limit=fraction_limit)
    return value


@functools.lru_cache(maxsize=256)
def _field_plan(columns: tuple[tuple[str, int], ...]) -> tuple[tuple, tuple]:
    """A header's columns, worked out once per header rather than once per cell:
    text fields as (field, column), number fields as (field, column, percent fraction limit
    or None, takst index or None)."""
    texts, numbers = [], []
    for key, col in columns:
        if key == "year":
            continue
        if key in TEXT_FIELDS:
            texts.append((key, col))
        elif key in PERCENT_FIELDS:
            # a belægning of 1.2 % is nonsense; 1.2 is a 120 % fraction
            numbers.append((key, col, _TWO if key == "belaegning" else 1, None))
        else:
            numbers.append((key, col, None, _TAKST_INDEX.get(key)))
    return tuple(texts), tuple(numbers)


def _parse_line(rows, r, year, columns, uncalculated, plan=None, floats=None) -> ParsedLine:
    line = ParsedLine(year=year, row=r + 1, cells=LineCells(r + 1, columns))
    row = rows[r]
    width = len(row)
    numbers = line.numbers
    takster = line.takster
    floats = _FloatValues() if floats is None else floats
    texts, number_fields = plan or _field_plan(tuple(columns.items()))
    for key, col in texts:
        setattr(line, key, norm_text(row[col] if col < width else ""))
    for key, col, fraction_limit, index in number_fields:
        raw = row[col] if col < width else ""
        if raw.__class__ is float and isfinite(raw):  # the common case, without a Number
            known = floats[fraction_limit]
            value = known.get(raw)
            if value is None:
                value = known[raw] = _float_value(raw, fraction_limit)
        elif raw == "" or raw is None:
            if uncalculated and f"{_letter(col)}{r + 1}" in uncalculated:
                line.uncalculated.add(key)
            continue
        else:
            number: Number = parse_number(raw)
            if number.date is not None:
                line.dates[key] = number.date
            if number.invalid:
                line.invalid[key] = number.invalid
                continue
            if number.is_currency:
                line.currency.add(key)
            if fraction_limit is not None:
                value = to_percent(number, fraction_limit=fraction_limit)
            else:
                value = number.value
        numbers[key] = value
        if index is not None:
            takster[index] = value
        else:
            setattr(line, key, value)
    return line


@functools.lru_cache(maxsize=256)
def _takst_columns(columns: tuple[tuple[str, int], ...]) -> tuple[int | None, ...]:
    found = dict(columns)
    return tuple(found.get(key) for key in TAKST_FIELDS)


def _parse_places(
    rows, r, label_col, match, columns, uncalculated, cols=None, floats=None
) -> PlacesRow:
    year = int(match.group(1)) if match.group(1) else None
    row = rows[r]
    width = len(row)
    cols = cols or _takst_columns(tuple(columns.items()))
    values: list[Decimal | None] = []
    invalid: dict[int, str] = {}
    formulas: set[int] = set()
    known = (_FloatValues() if floats is None else floats)[None]
    for i, col in enumerate(cols):
        raw = row[col] if col is not None and col < width else ""
        if raw == "" or raw is None:
            if uncalculated and col is not None and f"{_letter(col)}{r + 1}" in uncalculated:
                formulas.add(i)
            values.append(None)
            continue
        if raw.__class__ is float and isfinite(raw):
            value = known.get(raw)
            if value is None:
                value = known[raw] = _float_value(raw, None)
            values.append(value)
            continue
        number = parse_number(raw)
        if number.invalid:
            invalid[i] = number.invalid
        values.append(number.value)
    return PlacesRow(
        year, r + 1, coord(r, label_col), values, PlaceCells(r + 1, cols), invalid, formulas
    )


def _assign_years(block: ParsedBlock, budget_year: int | None) -> None:
    lines = block.lines
    first = second = None
    if budget_year is not None:
        for line in lines:  # the first line of each year
            if line.year == budget_year - 1:
                first = first or line
            elif line.year == budget_year:
                second = second or line
    if first is None and second is None:
        if len(lines) >= 2:
            first, second = lines[0], lines[1]
        elif len(lines) == 1:
            first = lines[0]
    block.year1_line, block.year2_line = first, second
    block.year1 = first if first is not None and first.has_data else None
    block.year2 = second if second is not None and second.has_data else None


def _inherit(block: ParsedBlock) -> None:
    """Merged or left-blank name cells: every line takes the block's names."""
    ordered = [ln for ln in (block.year2, block.year1, *block.lines) if ln is not None]
    for name in ("tilbud", "afdeling", "paragraph", "unit"):
        value = ""
        for ln in ordered:  # a plain loop: next() over a generator costs more, 1200 times
            if value := getattr(ln, name):
                break
        setattr(block, name, value)
        if name in ("tilbud", "afdeling"):
            for line in block.lines:
                if not getattr(line, name):
                    setattr(line, name, value)
