"""Text of a PDF as poppler's pdftotext reads it (what a reader's copy-paste gives)."""

import subprocess


def pdftotext(pdf: bytes, *, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def flat(text: str) -> str:
    """Whitespace folded to single spaces, so line breaks do not matter."""
    return " ".join(text.split())


def typography_slips(text: str) -> list[str]:
    """A year printed with a thousands point ("2.026") or a doubled stop after "kr." ."""
    import re

    # Years 2010-2039 only: "2.080 pladser" is a number, not a year.
    return re.findall(r"kr\.\.|(?<![\d.,])2\.0[1-3]\d(?![\d,.])", text)
