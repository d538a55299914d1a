"""Safe text for spreadsheets we hand out (csv/xlsx exports of every app)."""

# A cell starting with one of these is run as a formula by Excel/LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: object) -> object:
    """Prefix formula-like text with an apostrophe; numbers and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_text(value: object) -> str:
    """`value` as text that a spreadsheet will never run as a formula."""
    return escape_formula("" if value is None else str(value))


# --- Files that open cleanly in a Danish Excel ------------------------------------------

CSV_DELIMITER = ";"  # Danish Excel splits on ";" (the comma is the decimal separator)
BOM = "\ufeff"  # without it Excel reads UTF-8 as Latin-1 and garbles æ, ø, å


def csv_text(text: str) -> str:
    """CSV text as Danish Excel opens it without an import wizard: a BOM in front."""
    return text if text.startswith(BOM) else BOM + text


def csv_delimiter_of(text: str) -> str:
    """";" or "," – whichever splits the header line more (files from Excel or elsewhere)."""
    header = text.lstrip(BOM).split("\n", 1)[0]
    return ";" if header.count(";") >= header.count(",") else ","


def xlsx_number_format(value) -> str | None:
    """Whole numbers (places, years, ids) without a thousands point, amounts with two decimals.

    A year must never read "2.026", so whole numbers get "0", not "#,##0".
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return "0" if isinstance(value, int) or float(value).is_integer() else "#,##0.00"


def xlsx_workbook(*, sheet_title: str, headers: list[str], rows, widths: dict[str, int] | None
                  = None) -> bytes:
    """One sheet: bold, frozen header row; numbers stay numbers with a format; text is text."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([None if value == "" else value for value in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
            elif (number_format := xlsx_number_format(cell.value)) is not None:
                cell.number_format = number_format
    for col, header in enumerate(headers, start=1):
        width = (widths or {}).get(header, max(10, min(40, len(str(header)) + 4)))
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
