import re
from itertools import groupby

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def person_line(person) -> str:
    """"Name, title, organisation" as the minutes write a participant."""
    parts = (person.name, person.title, person.organisation_label)
    return ", ".join(part for part in parts if part)


NUMBER = re.compile(r"^[\d.,\s%-]+$")


def _line_kind(line: str) -> str:
    if line.startswith("|"):
        return "row"
    return "bullet" if line.startswith("•") else "text"


def _table(caption: str | None, rows: list[str], esc) -> str:
    cells = [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]
    head, body = cells[0], cells[1:]
    out = ['<table class="data case-table">']
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f'<th scope="col">{esc(c)}</th>' for c in head)
               + "</tr></thead><tbody>")
    for row in body:
        first, rest = row[0], row[1:]
        out.append(f'<tr><th scope="row">{esc(first)}</th>' + "".join(
            f'<td class="num">{esc(c)}</td>' if NUMBER.match(c) else f"<td>{esc(c)}</td>"
            for c in rest) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


@register.filter(needs_autoescape=True)
def case_text(text: str, autoescape: bool = True) -> str:
    """A Sagsfremstilling as HTML: paragraphs, "•" lines as a list, "|" lines as a table.

    In a block of "|" rows the first row is the header and the first cell of each row its
    row header; a text line just above the rows becomes the caption.
    """
    esc = conditional_escape if autoescape else str
    html = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        runs = [(kind, list(lines)) for kind, lines in groupby(
            (line.strip() for line in block.splitlines() if line.strip()), key=_line_kind)]
        for n, (kind, lines) in enumerate(runs):
            next_kind = runs[n + 1][0] if n + 1 < len(runs) else None
            if kind == "text" and next_kind == "row":
                *paragraph, caption = lines
                if paragraph:
                    html.append("<p>" + "<br>".join(esc(line) for line in paragraph) + "</p>")
                runs[n + 1] = ("row", [caption, *runs[n + 1][1]])
            elif kind == "text":
                html.append("<p>" + "<br>".join(esc(line) for line in lines) + "</p>")
            elif kind == "bullet":
                html.append("<ul>" + "".join(
                    f"<li>{esc(line.lstrip('•').strip())}</li>" for line in lines) + "</ul>")
            elif lines[0].startswith("|"):
                html.append(_table(None, lines, esc))
            else:
                html.append(_table(lines[0], lines[1:], esc))
    return mark_safe("".join(html))
