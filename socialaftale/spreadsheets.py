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
