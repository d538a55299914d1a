"""Reads for the agreement pages: periods with their content, places totals, comparisons."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import AftalePeriode, Fokusomraade, ForstaerketSamarbejde, Pladsfordeling
from .permissions import is_sekretariat

PLACE_KINDS = ("kommunale", "private", "socialaftale")


def periods_visible_to(user) -> QuerySet[AftalePeriode]:
    """Published periods for everybody; the secretariat also sees drafts."""
    periods = AftalePeriode.objects.order_by("-start_year")
    return periods if is_sekretariat(user) else periods.filter(is_published=True)


def period_with_content(queryset: QuerySet[AftalePeriode]) -> QuerySet[AftalePeriode]:
    return queryset.prefetch_related(
        Prefetch("fokusomraader", queryset=Fokusomraade.objects.prefetch_related("initiativer")),
        "centrale_udmeldinger",
        Prefetch("forstaerket_samarbejde",
                 queryset=ForstaerketSamarbejde.objects.select_related("tilbud")),
        "styringsprincipper", "regelaendringer", "bilag", "underskrivere",
        Prefetch("pladser", queryset=Pladsfordeling.objects.select_related("kommune")),
    )


def period_get(*, user, start_year: int, end_year: int) -> AftalePeriode:
    """The period with all content; an unpublished period answers 404 to the public."""
    period = period_with_content(periods_visible_to(user)).filter(
        start_year=start_year, end_year=end_year
    ).first()
    if period is None:
        raise Http404("Aftaleperioden findes ikke.")
    return period


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class PlacesRow:
    kommune: str
    kommunale: int
    private: int
    socialaftale: int
    total: int = 0
    socialaftale_share: Decimal | None = None  # this row's share of all Socialaftale places


@dataclass(frozen=True)
class PrintedTotalNote:
    """A total the printed agreement states that the rows do not add up to."""

    number: int  # the footnote's number
    kind: str
    label: str
    printed: int
    computed: int


PLACE_LABELS = {"kommunale": "kommunale pladser", "private": "private pladser",
                "socialaftale": "Nordjysk Socialaftale-pladser"}


@dataclass
class PlacesTable:
    rows: list[PlacesRow] = field(default_factory=list)
    kommunale: int = 0
    private: int = 0
    socialaftale: int = 0
    total: int = 0
    socialaftale_share: Decimal | None = None  # Socialaftale places as % of all places
    printed_notes: list[PrintedTotalNote] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def note_for(self) -> dict[str, PrintedTotalNote]:
        return {note.kind: note for note in self.printed_notes}


def places_table(period: AftalePeriode) -> PlacesTable:
    """Rows as entered, with totals and shares computed (uses prefetched rows when present)."""
    table = PlacesTable()
    for entry in period.pladser.all():
        table.rows.append(PlacesRow(
            kommune=entry.kommune.name.removesuffix(" Kommune"), kommunale=entry.kommunale,
            private=entry.private, socialaftale=entry.socialaftale,
            total=entry.kommunale + entry.private + entry.socialaftale,
        ))
    for kind in PLACE_KINDS:
        setattr(table, kind, sum(getattr(row, kind) for row in table.rows))
    table.total = table.kommunale + table.private + table.socialaftale
    table.socialaftale_share = _share(table.socialaftale, table.total)
    for row in table.rows:
        row.socialaftale_share = _share(row.socialaftale, table.socialaftale)
    table.printed_notes = printed_total_notes(period, table)
    return table


def printed_total_notes(period: AftalePeriode, table: PlacesTable) -> list[PrintedTotalNote]:
    """Where the printed heading's total differs from the sum of the rows (a footnote each)."""
    notes = []
    for kind in PLACE_KINDS:
        printed = getattr(period, f"printed_{kind}")
        computed = getattr(table, kind)
        if table.rows and printed is not None and printed != computed:
            notes.append(PrintedTotalNote(len(notes) + 1, kind, PLACE_LABELS[kind], printed,
                                          computed))
    return notes


# --- Comparison of two periods -------------------------------------------------------------


@dataclass
class Change:
    title: str
    before: str = ""
    after: str = ""


@dataclass
class Diff:
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[Change] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _diff(before: dict[str, tuple[str, str]], after: dict[str, tuple[str, str]]) -> Diff:
    """Compare {key: (title, text)} maps: keys only after are added, only before removed."""
    diff = Diff()
    for key, (title, text) in after.items():
        if key not in before:
            diff.added.append(Change(title, after=text))
        elif before[key] != (title, text):
            old_title, old_text = before[key]
            diff.changed.append(Change(
                title, before=f"{old_title}: {old_text}" if old_title != title else old_text,
                after=text,
            ))
        else:
            diff.unchanged.append(Change(title, before=text, after=text))
    diff.removed = [Change(title, before=text) for key, (title, text) in before.items()
                    if key not in after]
    return diff


def _focus_map(period: AftalePeriode) -> dict[str, tuple[str, str]]:
    areas = {}
    for area in period.fokusomraader.all():
        initiatives = "; ".join(i.title for i in area.initiativer.all())
        areas[area.title.casefold()] = (area.title, f"{area.vision} Initiativer: {initiatives}")
    return areas


def _rules_map(period: AftalePeriode) -> dict[str, tuple[str, str]]:
    rules = {f"princip:{p.title.casefold()}": (f"Princip: {p.title}", p.description)
             for p in period.styringsprincipper.all()}
    rules.update({f"regel:{r.key}": (r.title, r.description) for r in period.regelaendringer.all()})
    return rules


@dataclass
class Comparison:
    before: AftalePeriode
    after: AftalePeriode
    focus_areas: Diff
    rules: Diff


def periods_compare(*, before: AftalePeriode, after: AftalePeriode) -> Comparison:
    """What changed from `before` to `after`: focus areas by title, rules by key."""
    return Comparison(
        before=before, after=after,
        focus_areas=_diff(_focus_map(before), _focus_map(after)),
        rules=_diff(_rules_map(before), _rules_map(after)),
    )
