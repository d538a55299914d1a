"""Helpers for the meeting tests."""


def small_pdf(text: str, pages: int = 1) -> bytes:
    """A real PDF with `pages` pages, each carrying `text` and its page number."""
    from weasyprint import HTML

    html = "".join(
        f'<p style="page-break-after: always">{text} side {n}</p>' for n in range(1, pages + 1)
    )
    return HTML(string=html).write_pdf()
