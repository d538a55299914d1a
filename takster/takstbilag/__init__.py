"""The published rate appendix (takstbilag): plain data and its PDF and xlsx renderings.

- `data.py`: the model-free data (`TakstbilagData` → `DriftsherreSection` → `Offer` →
  `OfferYear`) and the figures derived from it (rate changes, marks, summaries).
- `view.py`: the view model (Danish-formatted text) for the template.
- `pdf.py`: one tagged WeasyPrint render. `xlsx.py`: the workbook.

The approval workflow builds the data from the approved rate lines (`takster/publication.py`)
and renders it in Celery jobs (`takster/jobs.py`). The demo takstbilag is in
`takster/demo_takstbilag.py`, synthetic test data in `takster/tests/factories.py`.
"""

from socialaftale.spreadsheets import safe_text

from .data import (
    ABOVE_MARK,
    ABOVE_TEXT,
    OBJECTIVE_UNIT,
    PRIMARY_ORDER,
    RATE_KEYS,
    RATE_LABELS,
    TAKST_COUNT,
    DriftsherreSection,
    DriftsherreSummary,
    Offer,
    OfferYear,
    RateChange,
    TakstbilagData,
    TakstbilagVersion,
    offer_change_pct,
    summarise,
)
from .pdf import TEMPLATE, render_takstbilag_html, render_takstbilag_pdf
from .view import (
    _offer_view,
    fmt_amount,
    fmt_date,
    fmt_pct,
    fmt_signed,
    takstbilag_context,
)
from .xlsx import render_takstbilag_xlsx

__all__ = [
    "ABOVE_MARK", "ABOVE_TEXT", "OBJECTIVE_UNIT", "PRIMARY_ORDER", "RATE_KEYS", "RATE_LABELS",
    "TAKST_COUNT", "TEMPLATE", "DriftsherreSection", "DriftsherreSummary", "Offer", "OfferYear",
    "RateChange", "TakstbilagData", "TakstbilagVersion", "_offer_view", "fmt_amount",
    "fmt_date", "fmt_pct", "fmt_signed", "offer_change_pct", "render_takstbilag_html",
    "render_takstbilag_pdf", "render_takstbilag_xlsx", "safe_text", "summarise",
    "takstbilag_context",
]
