"""Checks on the raw upload before any spreadsheet library opens it.

Everything here works on the zip directory and on bounded, streamed reads, so a hostile
file (zip bomb, huge sheet, macro workbook, encrypted file) is refused quickly and with
little memory.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree as DET

from .params import RateSheetParams

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_MEMBERS = 5_000
MAX_RATIO = 100  # a normal sheet compresses 5-20x; hundreds means a bomb
RATIO_MIN_SIZE = 1024 * 1024  # small members may compress extremely well, that is harmless
CHUNK = 1024 * 1024

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
# A formula cell that carries no cached value: <c r="D4"><f>..</f><v /></c> (openpyxl output)
_FORMULA_NO_VALUE = re.compile(
    rb'<c\s+r="([A-Z]+\d+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?'
    rb"\s*</c>"
)
# Formula cells without a cached value are remembered so that they never read as empty;
# a sheet with more than this many is refused as a whole (it was never calculated).
MAX_FORMULA_CELLS = 100_000


class UnsafeWorkbook(Exception):
    """The upload is refused; the message is Danish and tells the user what to do."""


@dataclass
class ScanReport:
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip member
    formula_cells: dict[str, set[str]] = field(default_factory=dict)  # sheet -> cells
    cells: int = 0


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_workbook_bytes(data: bytes, params: RateSheetParams) -> ScanReport:
    """Raise UnsafeWorkbook unless ``data`` is a plain, reasonably sized .xlsx workbook."""
    limit_mb = params.max_bytes / (1024 * 1024)
    if len(data) > params.max_bytes:
        raise UnsafeWorkbook(
            f"Filen er for stor ({len(data) / 1024 / 1024:.1f} MB; grænsen er "
            f"{limit_mb:.0f} MB). Fjern andre faneblade, billeder o.l. og upload igen."
        )
    if len(data) == 0:
        raise UnsafeWorkbook("Filen er tom. Upload det udfyldte takstskema som .xlsx.")
    if data.startswith(OLE_SIGNATURE):
        raise UnsafeWorkbook(
            "Filen er krypteret/adgangskodebeskyttet eller gemt i det gamle .xls-format. "
            "Fjern adgangskoden og gem som 'Excel-projektmappe (.xlsx)', og upload igen."
        )
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise UnsafeWorkbook(
            "Filen er ikke en Excel-projektmappe (.xlsx). Gem skemaet som "
            "'Excel-projektmappe (.xlsx)' og upload igen."
        )
    try:
        with zipfile.ZipFile(buffer) as archive:
            return _check_archive(archive, params)
    except UnsafeWorkbook:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, DET.ParseError) as exc:
        raise UnsafeWorkbook(
            "Filen er beskadiget og kan ikke læses. Åbn den i Excel, gem den som .xlsx "
            f"og upload igen. (Teknisk: {type(exc).__name__})"
        ) from exc


def _check_archive(archive: zipfile.ZipFile, params: RateSheetParams) -> ScanReport:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeWorkbook("Filen indeholder usædvanligt mange dele og afvises.")
    names = {info.filename for info in infos}
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnsafeWorkbook("Filen er krypteret. Fjern adgangskoden og upload igen.")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_SIZE and ratio > MAX_RATIO:
            raise UnsafeWorkbook(
                "Filen afvises: den pakker sig ud til en mistænkelig stor størrelse "
                f"({info.filename}, {ratio:.0f} gange). Gem skemaet igen fra Excel og upload."
            )
    if total > params.max_uncompressed_bytes:
        raise UnsafeWorkbook(
            f"Filen afvises: udpakket fylder den {total / 1024 / 1024:.0f} MB, grænsen er "
            f"{params.max_uncompressed_bytes / 1024 / 1024:.0f} MB."
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UnsafeWorkbook(
            "Filen er ikke en Excel-projektmappe (.xlsx) — måske et Word- eller "
            "OpenDocument-dokument. Gem skemaet som .xlsx og upload igen."
        )
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels")):
            _check_prolog(archive, info.filename, params)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UnsafeWorkbook(_macro_message())
    content_types = _read_small(archive, "[Content_Types].xml")
    if b"macroenabled" in content_types.lower():
        raise UnsafeWorkbook(_macro_message())
    types = DET.fromstring(content_types)
    main_types = {
        el.get("ContentType", "")
        for el in types
        if el.get("PartName", "").lower() == "/xl/workbook.xml"
    }
    if main_types and XLSX_MAIN not in main_types:
        raise UnsafeWorkbook(
            "Filen er en Excel-skabelon eller en anden særlig filtype. Gem som "
            "'Excel-projektmappe (.xlsx)' og upload igen."
        )
    if any(name.startswith("xl/externalLinks/") for name in names):
        raise UnsafeWorkbook(
            "Filen indeholder eksterne links til andre projektmapper, og det er ikke tilladt. "
            "Brug 'Data > Rediger links > Afbryd link' i Excel, gem og upload igen."
        )
    report = ScanReport(sheet_parts=_sheet_parts(archive))
    for sheet_name, part in report.sheet_parts.items():
        if part not in names:
            continue
        _scan_sheet(archive, part, sheet_name, report, params)
    return report


def _macro_message() -> str:
    return (
        "Filen indeholder makroer (.xlsm) og afvises. Gem skemaet som "
        "'Excel-projektmappe (.xlsx)' uden makroer og upload igen."
    )


def _read_small(archive: zipfile.ZipFile, name: str, limit: int = 5 * 1024 * 1024) -> bytes:
    with archive.open(name) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafeWorkbook(f"Filen afvises: delen {name} er unormalt stor.")
    return data


def _forbidden_construct() -> UnsafeWorkbook:
    return UnsafeWorkbook("Filen afvises: den indeholder ikke-tilladte XML-konstruktioner.")


def _check_prolog(archive: zipfile.ZipFile, name: str, params: RateSheetParams) -> None:
    """Read a member only until its root element starts; refuse a DOCTYPE on the way."""
    prolog = b""
    with archive.open(name) as handle:
        while chunk := handle.read(64 * 1024):
            prolog += chunk
            if _root_start(prolog) is not None or len(prolog) > params.max_uncompressed_bytes:
                return


def _root_start(data: bytes) -> int | None:
    """Where the root element starts, or None when `data` ends inside the prolog.

    Raises UnsafeWorkbook for a DOCTYPE (or any other `<!` declaration but a comment)
    anywhere before the root element, however much whitespace, comments or processing
    instructions come first. NUL bytes are dropped first, so UTF-16/32 markup is seen too.
    """
    data = data.replace(b"\x00", b"")
    pos = 0
    while (lt := data.find(b"<", pos)) >= 0:
        head = data[lt:lt + 4]
        if head.startswith(b"<?"):
            end = data.find(b"?>", lt + 2)
            if end < 0:
                return None
            pos = end + 2
        elif head == b"<!--":
            end = data.find(b"-->", lt + 4)
            if end < 0:
                return None
            pos = end + 3
        elif len(head) < 4 and b"<!--".startswith(head):
            return None  # "<", "<!" or "<!-" at the very end: more bytes decide
        elif head.startswith(b"<!"):
            raise _forbidden_construct()
        else:
            return lt
    return None


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    workbook = DET.fromstring(_read_small(archive, "xl/workbook.xml"))
    rels = DET.fromstring(_read_small(archive, "xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = target
    parts = {}
    for sheet in workbook.iter(f"{_NS_MAIN}sheet"):
        rid = sheet.get(f"{_NS_REL}id")
        if rid in targets:
            parts[sheet.get("name", "")] = targets[rid]
    return parts


def _scan_sheet(
    archive: zipfile.ZipFile,
    part: str,
    sheet_name: str,
    report: ScanReport,
    params: RateSheetParams,
) -> None:
    """Stream one sheet's XML: enforce the cell cap and note formulas without values."""
    formulas: set[str] = set()
    carry = b""
    read = 0
    first = True
    declared = archive.getinfo(part).file_size
    # A cell takes at least 4 bytes ("<c/>"): a sheet whose XML is small enough cannot pass
    # the cell cap, so its cells need no counting — as long as it is no bigger than declared.
    count = declared // 4 + report.cells > params.max_cells
    with archive.open(part) as handle:
        while chunk := handle.read(CHUNK):
            read += len(chunk)
            if read > params.max_uncompressed_bytes:
                raise UnsafeWorkbook(
                    "Filen afvises: et faneblad pakker sig ud til mere end "
                    f"{params.max_uncompressed_bytes / 1024 / 1024:.0f} MB."
                )
            if read > declared:
                raise UnsafeWorkbook(
                    "Filen afvises: et faneblad pakker sig ud til mere, end filen angiver."
                )
            if first:
                first = False
                head = chunk[:4096]
                dim = _DIMENSION.search(head)
                if dim and dim.group(3):
                    rows = int(dim.group(4)) - int(dim.group(2)) + 1
                    cols = _col_number(dim.group(3)) - _col_number(dim.group(1)) + 1
                    if rows * cols > params.max_cells and rows * cols > 0:
                        raise _too_many_cells(sheet_name, rows * cols, params)
            data = carry + chunk
            # Keep an unfinished tag for the next round; count cells only in the safe part,
            # data[:cut] (searched in place: a megabyte copy per chunk is not free).
            cut = data.rfind(b"<")
            if cut <= 0:
                cut = len(data)
            carry = data[cut:]
            if count:
                report.cells += _count_cells(data, cut)
                if report.cells > params.max_cells:
                    raise _too_many_cells(sheet_name, report.cells, params)
            if data.find(b"<f", 0, cut) >= 0:
                safe = data[:cut]
                # a formula cell may straddle the cut: look back into the carry next round
                last_cell = safe.rfind(b"<c ")
                scan, rest = (safe[:last_cell], safe[last_cell:]) if last_cell > 0 else (safe, b"")
                formulas.update(m.decode() for m in _FORMULA_NO_VALUE.findall(scan))
                if len(formulas) > MAX_FORMULA_CELLS:
                    raise _uncalculated(sheet_name)
                carry = rest + carry
                if count:
                    report.cells -= _count_cells(rest)
    if carry:
        if count:
            report.cells += _count_cells(carry)
        formulas.update(m.decode() for m in _FORMULA_NO_VALUE.findall(carry))
    if formulas:
        report.formula_cells[sheet_name] = formulas


def _count_cells(xml: bytes, end: int | None = None) -> int:
    """Cell elements in a piece of sheet XML (up to `end`), counted in C in one pass. "<c"
    also matches the few <col>/<cfRule> tags of a sheet: the count errs on the safe side."""
    return xml.count(b"<c", 0, len(xml) if end is None else end)


def _uncalculated(sheet_name: str) -> UnsafeWorkbook:
    return UnsafeWorkbook(
        f"Fanebladet '{sheet_name}' har over {MAX_FORMULA_CELLS:,} formler uden beregnede "
        "værdier: filen er skrevet af et program og aldrig beregnet. Åbn den i Excel, gem "
        "den, og upload igen.".replace(",", ".")
    )


def _too_many_cells(sheet_name: str, cells: int, params: RateSheetParams) -> UnsafeWorkbook:
    return UnsafeWorkbook(
        f"Fanebladet '{sheet_name}' er for stort ({cells:,} celler; grænsen er "
        f"{params.max_cells:,}). Slet tomme rækker/kolonner og upload igen.".replace(",", ".")
    )
