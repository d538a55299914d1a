"""Year-on-year explanation of a rate change: P/L, regulering and the rest.

The 2027 rate template (DAS Social 23.02.2026, pkt. 4) puts last year's and this year's
figures of an offer side by side so the change of a rate can be explained beyond P/L.
This module does that explanation. It is pure: dataclasses in, a dataclass out, Decimal
arithmetic, no ORM.

How the template defines a rate
-------------------------------
``Budget i alt`` is the whole rate basis *including* ``Regulering`` (earlier years' deficit
entered as plus, surplus as minus). A rate is the budget spread over the paid units of the
year::

    capacity C = pladser × belægning / 100 × dage        (objective financing: sager)
    rate     r = budget i alt / C = (G + R) / C           G = budget − regulering, R = regulering

(Aktivitetshuset Hobro 2026: 8.912.000 / (50 × 0,98 × 365) = 498,29 → takst 498.)

The split
---------
With P/L ``p`` (e.g. 0,031), year 1 (current year) and year 2 (budget year)::

    P/L            a = k × G₁/C₁ × p                P/L on last year's rate without regulering
    regulering     b = k × (R₂/C₂ − R₁/C₁)          change of the regulering per paid unit
    the rest       c = (T₂ − T₁) − a − b            budget beyond P/L, places, occupancy, days

``T₁``/``T₂`` are the published rates of the level being explained and ``k = T₁ / r₁`` the
level's weight against the average rate (1 for a single-rate offer; 2/3 for a level that
counts as 2/3 of a place). ``a`` and ``b`` are rounded to the øre (half up) and ``c`` is the
remainder, so **a + b + c = T₂ − T₁ exactly**. Without rounding ``c`` equals
``k × (G₂/C₂ − G₁(1 + p)/C₁)``; it is reported in three informative sub-parts that add up
to ``c``: the budget effect ``k × (G₂ − G₁(1 + p)) / C₁`` (real budget change at last
year's capacity), the capacity effect ``k × (G₂/C₂ − G₂/C₁)`` (places, occupancy, days)
and the rounding of the published rates.

When either year lacks budget or capacity (e.g. a rate-only line), the split falls back to
``a = T₁ × p``, ``b = 0``, ``c = T₂ − T₁ − a`` and ``method`` says ``"takst"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")
HUNDRED = Decimal(100)


def _ore(value: Decimal) -> Decimal:
    return value.quantize(ORE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class YearFigures:
    """One year of an offer as in the template's year row.

    `belaegning` is in percent (98 = 98 %). `takst` is the published rate of the level to
    explain; when None the computed rate budget / capacity is used. For objective
    financing give the number of cases as `pladser` with `belaegning=100` and `days=1`.
    """

    budget: Decimal | None = None
    regulering: Decimal = Decimal(0)
    pladser: Decimal | None = None
    belaegning: Decimal | None = None
    days: int = 365
    takst: Decimal | None = None

    @property
    def capacity(self) -> Decimal | None:
        if self.pladser is None or self.belaegning is None or not self.days:
            return None
        capacity = Decimal(self.pladser) * Decimal(self.belaegning) / HUNDRED * self.days
        return capacity if capacity > 0 else None

    @property
    def base_budget(self) -> Decimal | None:
        """The budget without regulering (G)."""
        if self.budget is None:
            return None
        return Decimal(self.budget) - Decimal(self.regulering or 0)

    @property
    def computed_rate(self) -> Decimal | None:
        capacity = self.capacity
        if self.budget is None or capacity is None:
            return None
        return Decimal(self.budget) / capacity

    @property
    def rate(self) -> Decimal | None:
        """The published rate, else the computed one."""
        return Decimal(self.takst) if self.takst is not None else self.computed_rate


@dataclass(frozen=True)
class Decomposition:
    """The change of a rate split into parts that add up to `total` exactly (kr.)."""

    old_rate: Decimal
    new_rate: Decimal
    pl_pct: Decimal
    total: Decimal
    pl: Decimal
    regulering: Decimal
    rest: Decimal
    method: str  # "budget" (from the figures) or "takst" (rates only)
    budget_effect: Decimal | None = None
    capacity_effect: Decimal | None = None
    rounding: Decimal | None = None

    @property
    def total_pct(self) -> Decimal:
        return self._pct(self.total)

    @property
    def pl_pp(self) -> Decimal:
        """The P/L part in percentage points of last year's rate."""
        return self._pct(self.pl)

    @property
    def regulering_pp(self) -> Decimal:
        return self._pct(self.regulering)

    @property
    def rest_pp(self) -> Decimal:
        return self._pct(self.rest)

    def _pct(self, part: Decimal) -> Decimal:
        return part / self.old_rate * HUNDRED

    def parts(self) -> tuple[tuple[str, Decimal], ...]:
        return (
            ("P/L", self.pl),
            ("Regulering (over-/underskud)", self.regulering),
            ("Øvrigt (budget, pladser, belægning)", self.rest),
        )


def decompose(year1: YearFigures, year2: YearFigures, *, pl_pct: Decimal) -> Decomposition:
    """Split the change of a rate from year 1 to year 2 into P/L, regulering and the rest."""
    old, new = year1.rate, year2.rate
    if old is None or new is None:
        raise ValueError("Begge år skal have en takst eller et budget og en kapacitet.")
    if old <= 0:
        raise ValueError("Sidste års takst skal være positiv for at forklare ændringen.")
    p = Decimal(pl_pct) / HUNDRED
    total = new - old
    c1, c2 = year1.capacity, year2.capacity
    r1 = year1.computed_rate
    if c1 is None or c2 is None or year2.budget is None or not r1:
        pl = _ore(old * p)
        return Decomposition(
            old_rate=old, new_rate=new, pl_pct=Decimal(pl_pct), total=total, pl=pl,
            regulering=Decimal("0.00"), rest=total - pl, method="takst",
        )
    k = old / r1
    g1, g2 = year1.base_budget, year2.base_budget
    reg1, reg2 = Decimal(year1.regulering or 0), Decimal(year2.regulering or 0)
    pl = _ore(k * g1 / c1 * p)
    regulering = _ore(k * (reg2 / c2 - reg1 / c1))
    rest = total - pl - regulering
    budget_effect = _ore(k * (g2 - g1 * (1 + p)) / c1)
    capacity_effect = _ore(k * (g2 / c2 - g2 / c1))
    return Decomposition(
        old_rate=old, new_rate=new, pl_pct=Decimal(pl_pct), total=total, pl=pl,
        regulering=regulering, rest=rest, method="budget", budget_effect=budget_effect,
        capacity_effect=capacity_effect, rounding=rest - budget_effect - capacity_effect,
    )
