"""Parameters of a rate round and the fixed vocabulary of the 2027 rate sheet."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MIB = 1024 * 1024

# Dropdown values, DAS Social 23.02.2026, pkt. 4 ("Rullemenuer").
PARAGRAPHS: tuple[str, ...] = (
    "SEL § 10-12",
    "SEL § 84",
    "SEL § 101 / SUL § 141",
    "SEL § 103",
    "SEL § 104",
    "ABL § 105",
    "SEL § 107",
    "SEL § 108",
    "SEL § 107/108",
    "SEL § 109",
    "SEL § 110",
    "SEL § 112",
    "BL § 32",
    "BL § 43",
    "BL § 46/47",
    "BL § 90",
    "LSV § 1",
    "LUU § 2",
    "FSL § 20",
)
UNITS: tuple[str, ...] = (
    "Dag",
    "Døgn",
    "Uge",
    "Måned",
    "År",
    "Stk.",
    "Time",
    "Trækningsret",
    "Objektiv",
)

TAKST_COUNT = 10
TAKST_FIELDS: tuple[str, ...] = tuple(f"takst_{i}" for i in range(1, TAKST_COUNT + 1))

# (field key, column header as printed). The order is the template's column order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("tilbud", "Tilbud"),
    ("afdeling", "Afdeling"),
    ("paragraph", "§§"),
    ("year", "År"),
    ("pladser", "Pladser"),
    ("belaegning", "Belægning"),
    ("budget", "Budget i alt"),
    ("regulering", "Regulering"),
    ("oh_pct", "OH %"),
    ("unit", "Enhed"),
    ("basis", "Basis"),
    ("time", "Time"),
    *((f"takst_{i}", f"Takst {i}") for i in range(1, TAKST_COUNT + 1)),
    ("tomgang", "Tomgang"),
    ("bemaerkning", "Bemærkning"),
)
COLUMN_TITLES: dict[str, str] = dict(COLUMNS)
# Takst 2-10 may be left out by an operator with few rate levels; everything else is required.
REQUIRED_COLUMNS: tuple[str, ...] = tuple(key for key, _ in COLUMNS if key not in TAKST_FIELDS[1:])
NUMBER_FIELDS: tuple[str, ...] = (
    "pladser",
    "belaegning",
    "budget",
    "regulering",
    "oh_pct",
    "basis",
    "time",
    *TAKST_FIELDS,
    "tomgang",
)
PERCENT_FIELDS: frozenset[str] = frozenset({"belaegning", "oh_pct"})
# Fields that may legitimately be negative (a surplus is entered as a minus).
SIGNED_FIELDS: frozenset[str] = frozenset({"regulering"})
RATE_FIELDS: tuple[str, ...] = ("basis", "time", *TAKST_FIELDS)


# Defaults when no Styringsparametre are at hand (tests, the benchmark); the real values come
# from Styringsparametre (socialaftale) for the budget year. The seed's template states them:
# "2,0% Grænseværdi for krav om bemærkning - Takststigning over P/L", "95,0% ... Belægning".
DEFAULT_RISE_THRESHOLD_PP = Decimal("2.0")
DEFAULT_OCCUPANCY_THRESHOLD = Decimal("95.0")
DEFAULT_OVERHEAD_TOLERANCE_PP = Decimal("1.0")


@dataclass(frozen=True)
class RateSheetParams:
    """The round's parameters; everything the pure validator needs besides the file."""

    budget_year: int
    pl_kommuner: Decimal
    pl_regioner: Decimal
    rise_threshold_pp: Decimal = DEFAULT_RISE_THRESHOLD_PP
    occupancy_threshold: Decimal = DEFAULT_OCCUPANCY_THRESHOLD
    overhead_tolerance_pp: Decimal = DEFAULT_OVERHEAD_TOLERANCE_PP
    expected_driftsherre: str | None = None
    driftsherre_kind: str | None = None
    known_offers: dict[str, set[str]] | None = None
    prefill: dict[tuple[str, str, str], Decimal] | None = None
    max_bytes: int = 10 * MIB
    max_uncompressed_bytes: int = 200 * MIB
    max_cells: int = 2_000_000

    def kind_for(self, driftsherre_name: str | None) -> str:
        if self.driftsherre_kind in ("kommune", "region"):
            return self.driftsherre_kind
        name = (self.expected_driftsherre or driftsherre_name or "").strip()
        return "region" if name.casefold().startswith("region") else "kommune"

    def pl_for(self, kind: str) -> Decimal:
        return self.pl_regioner if kind == "region" else self.pl_kommuner


@dataclass(frozen=True)
class YearValues:
    """Last year's approved figures for one block (the template's prefilled year-1 row)."""

    pladser: Decimal | None = None
    belaegning: Decimal | None = None  # percent, e.g. Decimal("98")
    budget: Decimal | None = None
    regulering: Decimal | None = None
    oh_pct: Decimal | None = None  # percent, e.g. Decimal("6.8")
    basis: Decimal | None = None
    time: Decimal | None = None
    takster: tuple[Decimal | None, ...] = ()
    tomgang: Decimal | None = None
    bemaerkning: str = ""


@dataclass(frozen=True)
class TemplateBlock:
    """One tilbud/afdeling in the generated template; year1=None marks a new offer.

    `year2` prefills the budget-year row (still editable): a revision starts from the rates
    in force."""

    tilbud: str
    afdeling: str
    paragraph: str = ""
    unit: str = ""
    year1: YearValues | None = None
    saerlige_forhold: str = ""
    year2: YearValues | None = None
