"""Text of a PDF as poppler's pdftotext reads it (what a reader's copy-paste gives)."""

import subprocess


def pdftotext(pdf: bytes, *, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def flat(text: str) -> str:
    """Whitespace folded to single spaces, so line breaks do not matter."""
    return " ".join(text.split())
