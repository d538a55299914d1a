"""The rule book (takster/validation/rules.py): one rise rule and one occupancy rule, used by
the validator, the takstbilag's marks and the template's red formatting — tested at the limit
and just past it, for kommune and region P/L, on real workbooks and by the Excel formula's
effect."""

from __future__ import annotations

import io
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from takster.takstbilag import (
    DriftsherreSection,
    Offer,
    OfferYear,
    TakstbilagData,
    summarise,
    takstbilag_context,
)
from takster.validation import TemplateBlock, YearValues, build_template, validate_workbook
from takster.validation.params import DEFAULT_OCCUPANCY_THRESHOLD, DEFAULT_RISE_THRESHOLD_PP
from takster.validation.rules import (
    occupancy_below_threshold,
    occupancy_below_threshold_formula,
    rise_above_limit,
    rise_above_limit_formula,
    rise_limit_pct,
)

from .test_validation_rules import Y1, Y2, params

D = Decimal
PL = {"kommune": D("3.10"), "region": D("2.46")}  # the fixtures' 2027 P/L
# Exactly P/L + 2,00 pp, and + 2,01 pp, on a base rate of 1.000 kr.
AT_LIMIT = {"kommune": 1051.00, "region": 1044.60}
PAST_LIMIT = {"kommune": 1051.10, "region": 1044.70}


def boundary_template(kind: str) -> bytes:
    block = TemplateBlock(
        tilbud="Botilbud Grænsen", afdeling="Botilbud Grænsen", paragraph="SEL § 108",
        unit="Døgn",
        year1=YearValues(pladser=D(10), belaegning=D(98), budget=D(3_650_000), regulering=D(0),
                         oh_pct=D("6.5"), takster=(D(1000),)),
    )
    return build_template(
        driftsherre_name="Region Nordjylland" if kind == "region" else "Mariagerfjord Kommune",
        driftsherre_kind=kind, budget_year=2027, pl_kommuner=PL["kommune"],
        pl_regioner=PL["region"], overhead_by_year={2026: D("6.5"), 2027: D("6.5")},
        blocks=[block], rise_threshold_pp=DEFAULT_RISE_THRESHOLD_PP,
        occupancy_threshold=DEFAULT_OCCUPANCY_THRESHOLD,
    )


def fill(data: bytes, *, takst: float, belaegning: float = 0.98, extra: dict | None = None):
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Takster"]
    values = {f"F{Y2}": 10, f"G{Y2}": belaegning, f"H{Y2}": 3_700_000, f"I{Y2}": 0,
              f"J{Y2}": 0.065, f"N{Y2}": takst, **(extra or {})}
    for ref, value in values.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), wb


def codes_of(data: bytes, kind: str) -> list[str]:
    result = validate_workbook(data, params(driftsherre_kind=kind))
    return [f.code for f in result.findings]


# ------------------------------------------------------------- the validator, at the limit


@pytest.mark.parametrize("kind", ["kommune", "region"])
def test_a_rise_of_exactly_pl_plus_2_00_pp_needs_no_remark(kind):
    data, _ = fill(boundary_template(kind), takst=AT_LIMIT[kind])
    assert codes_of(data, kind) == []


@pytest.mark.parametrize("kind", ["kommune", "region"])
def test_a_rise_of_pl_plus_2_01_pp_needs_a_remark(kind):
    data, _ = fill(boundary_template(kind), takst=PAST_LIMIT[kind])
    assert codes_of(data, kind) == ["RISE_NEEDS_REMARK"]
    limit = rise_limit_pct(pl_pct=PL[kind], threshold_pp=DEFAULT_RISE_THRESHOLD_PP)
    message = validate_workbook(data, params(driftsherre_kind=kind)).findings[0].message
    def da(value: Decimal) -> str:
        return f"{value:.2f}".replace(".", ",")

    assert f"stiger {da(limit + D('0.01'))} %" in message
    kinds = {"kommune": "kommuner", "region": "regioner"}[kind]
    assert f"grænsen er {da(limit)} % = P/L for {kinds} {da(PL[kind])} % + 2,0 pp" in message


def test_near_the_limit_the_message_states_the_rise_with_two_decimals_and_the_limit():
    data, _ = fill(boundary_template("kommune"), takst=1051.40)
    (finding,) = validate_workbook(data, params()).findings
    assert "stiger 5,14 % fra 2026 til 2027" in finding.message
    assert "grænsen er 5,10 % = P/L for kommuner 3,10 % + 2,0 pp" in finding.message


@pytest.mark.parametrize("kind", ["kommune", "region"])
def test_occupancy_of_95_0_is_fine_and_94_9_needs_remark_and_idle(kind):
    at, _ = fill(boundary_template(kind), takst=1000, belaegning=0.95)
    assert codes_of(at, kind) == []
    as_text, _ = fill(boundary_template(kind), takst=1000, belaegning="95,0 %")
    assert codes_of(as_text, kind) == []
    below, _ = fill(boundary_template(kind), takst=1000, belaegning=0.949)
    assert codes_of(below, kind) == ["LOW_OCCUPANCY_NEEDS_IDLE", "LOW_OCCUPANCY_NEEDS_REMARK"]


def test_the_thresholds_come_from_the_parameters_not_from_literals():
    data, _ = fill(boundary_template("kommune"), takst=PAST_LIMIT["kommune"])
    assert codes_of(data, "kommune") == ["RISE_NEEDS_REMARK"]
    looser = validate_workbook(data, params(rise_threshold_pp=D("2.5")))
    assert looser.findings == []
    low, _ = fill(boundary_template("kommune"), takst=1000, belaegning=0.949)
    assert validate_workbook(low, params(occupancy_threshold=D("94.9"))).findings == []


def test_objective_financing_is_not_exempt_from_either_rule():
    # Børnehus Nord (Enhed Objektiv) explains its rate rise to DAS (17.11.2025, pkt. 6).
    data, _ = fill(boundary_template("kommune"), takst=PAST_LIMIT["kommune"], belaegning=0.9,
                   extra={f"K{Y2}": "Objektiv", f"K{Y1}": "Objektiv", f"X{Y2}": 1})
    assert codes_of(data, "kommune") == ["RISE_NEEDS_REMARK", "LOW_OCCUPANCY_NEEDS_REMARK"]
    assert rise_above_limit(rise=D("5.11"), pl_pct=PL["kommune"], threshold_pp=D("2.0"),
                            unit="Objektiv")


# ------------------------------------------------------------------ the functions


@pytest.mark.parametrize(
    ("rise", "above"), [(D("5.10"), False), (D("5.104"), False), (D("5.105"), True),
                        (D("5.11"), True), (None, False), (D("-3"), False)],
)
def test_rise_above_limit_judges_the_rise_as_shown_with_two_decimals(rise, above):
    assert rise_above_limit(rise=rise, pl_pct=D("3.10"), threshold_pp=D("2.0")) is above


def test_occupancy_below_threshold_at_and_below():
    assert not occupancy_below_threshold(belaegning=D("95.0"), threshold=D(95))
    assert occupancy_below_threshold(belaegning=D("94.9"), threshold=D(95))
    assert not occupancy_below_threshold(belaegning=None, threshold=D(95))


# ------------------------------------ the template's red formula, tested by its effect

_TOKEN = re.compile(
    r"(?P<ref>\$?[A-Z]{1,3}\$?\d+)|(?P<func>AND|ISNUMBER|ROUND)\(|(?P<op><>|<=|>=|<|>|=)"
    r"|(?P<num>\d+(?:\.\d+)?)|(?P<other>[()+\-*/,])"
)


def _excel_round(value: float, digits: int) -> float:
    quant = Decimal(1).scaleb(-int(digits))
    return float(Decimal(repr(value)).quantize(quant, rounding=ROUND_HALF_UP))


def evaluate(formula: str, ws, *, at: str, anchor: str) -> bool:
    """Evaluate a conditional-format formula at cell ``at`` of a range starting at ``anchor``
    (relative references shift, $-references do not), with Excel's meaning of AND, ISNUMBER
    and ROUND; an error (e.g. #DIV/0!) means the format is not applied."""
    (col_at, row_at), (col_0, row_0) = (coordinate_from_string(c) for c in (at, anchor))
    d_row = row_at - row_0
    d_col = column_index_from_string(col_at) - column_index_from_string(col_0)

    def ref(text: str) -> str:
        m = re.fullmatch(r"(\$?)([A-Z]+)(\$?)(\d+)", text)
        col = column_index_from_string(m.group(2)) + (0 if m.group(1) else d_col)
        row = int(m.group(4)) + (0 if m.group(3) else d_row)
        return f"v({openpyxl.utils.get_column_letter(col)!r}, {row})"

    python = []
    for token in _TOKEN.finditer(formula):
        kind, text = token.lastgroup, token.group()
        if kind == "ref":
            python.append(ref(text))
        elif kind == "func":
            python.append({"AND": "_and(", "ISNUMBER": "_isnumber(", "ROUND": "_round("}[
                text[:-1]])
        elif kind == "op":
            python.append({"<>": "!=", "=": "=="}.get(text, text))
        else:
            python.append(text)
    assert "".join(t.group() for t in _TOKEN.finditer(formula)) == formula  # all understood

    def v(col: str, row: int):
        value = ws[f"{col}{row}"].value
        return value

    env = {
        "v": v,
        "_and": lambda *args: all(args),
        "_isnumber": lambda x: isinstance(x, (int, float)) and not isinstance(x, bool),
        "_round": _excel_round,
    }
    try:
        return bool(eval("".join(python), env))  # noqa: S307 - our own formula text
    except (TypeError, ZeroDivisionError):
        return False


def red_rules(ws, cell: str) -> list[tuple[str, str]]:
    """(formula, anchor) of every conditional format that covers ``cell``."""
    found = []
    for cf_range, rules in ws.conditional_formatting._cf_rules.items():
        if cell in cf_range.sqref:
            anchor = str(cf_range.sqref).split(":")[0].split()[0]
            found.extend((formula, anchor) for rule in rules for formula in rule.formula)
    return found


def is_red(ws, cell: str) -> bool:
    return any(evaluate(f, ws, at=cell, anchor=a) for f, a in red_rules(ws, cell))


@pytest.mark.parametrize("kind", ["kommune", "region"])
def test_the_templates_red_rise_marking_at_the_limit_and_just_past_it(kind):
    _, wb = fill(boundary_template(kind), takst=AT_LIMIT[kind])
    ws = wb["Takster"]
    assert red_rules(ws, f"N{Y2}"), "no conditional format on Takst 1"
    assert not is_red(ws, f"N{Y2}") and not is_red(ws, f"N{Y2 + 1}")
    _, wb = fill(boundary_template(kind), takst=PAST_LIMIT[kind])
    ws = wb["Takster"]
    assert is_red(ws, f"N{Y2}") and is_red(ws, f"N{Y2 + 1}")  # and the Ændring row below
    assert not is_red(ws, f"O{Y2}")  # Takst 2 is empty


@pytest.mark.parametrize("kind", ["kommune", "region"])
def test_the_templates_red_occupancy_marking_at_95_0_and_94_9(kind):
    _, wb = fill(boundary_template(kind), takst=1000, belaegning=0.95)
    assert not is_red(wb["Takster"], f"G{Y2}")
    _, wb = fill(boundary_template(kind), takst=1000, belaegning=0.949)
    assert is_red(wb["Takster"], f"G{Y2}")


def test_the_excel_formula_and_the_python_rule_agree_on_every_cent_around_the_limit():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["A3"] = 0.031, 0.02, 0.95
    formula = rise_above_limit_formula(old="C1", new="D1", pl="$A$1", threshold="$B$1")
    occupancy = occupancy_below_threshold_formula(belaegning="E1", threshold="$A$3")
    for old in (1000, 731, 336.66, 1369):
        for step in range(-300, 300):
            new = round(old * 1.051 + step / 100, 2)
            ws["C1"], ws["D1"] = old, new
            rise = (D(repr(new)) - D(repr(old))) / D(repr(old)) * 100
            expected = rise_above_limit(rise=rise, pl_pct=D("3.10"), threshold_pp=D("2.0"))
            assert evaluate(formula, ws, at="C1", anchor="C1") is expected, (old, new)
    for tenths in range(930, 970):
        ws["E1"] = tenths / 1000
        expected = occupancy_below_threshold(belaegning=D(tenths) / 10, threshold=D(95))
        assert evaluate(occupancy, ws, at="E1", anchor="E1") is expected, tenths


# -------------------------------------------------------------- the takstbilag's marks


def _offer(new_rate: str, *, unit: str = "Døgn", belaegning: str = "98") -> Offer:
    return Offer(
        tilbud="Botilbud Grænsen", paragraphs="SEL § 108", unit=unit,
        previous=OfferYear(year=2026, pladser=D(10), belaegning=D(98), takster=(D(1000),)),
        current=OfferYear(year=2027, pladser=D(10), belaegning=D(belaegning),
                          takster=(D(new_rate),)),
    )


def _data(kind: str, *offers: Offer) -> TakstbilagData:
    return TakstbilagData(
        budget_year=2027, pl_kommuner=PL["kommune"], pl_regioner=PL["region"],
        driftsherrer=(DriftsherreSection(name="Driftsherre", offers=offers, kind=kind),),
    )


@pytest.mark.parametrize("kind", ["kommune", "region"])
def test_takstbilag_marks_over_the_limit_with_the_same_rule(kind):
    at, past = _offer(f"{AT_LIMIT[kind]:.2f}"), _offer(f"{PAST_LIMIT[kind]:.2f}")
    data = _data(kind, at, past)
    assert summarise(data.driftsherrer[0], data).above_count == 1
    views = takstbilag_context(data)["sections"][0]["offers"]
    assert [v["above"] for v in views] == [False, True]


def test_takstbilag_marks_low_occupancy_with_the_same_rule_objective_included():
    offers = (_offer("1000", belaegning="95.0"), _offer("1000", belaegning="94.9"),
              _offer("1000", belaegning="94.9", unit="Objektiv"))
    views = takstbilag_context(_data("kommune", *offers))["sections"][0]["offers"]
    assert [v["low_occupancy"] for v in views] == [False, True, True]


# ---------------------------------------------------- no second copy of a threshold

# Decimal("2.0"), D(95), Decimal("95.0") ...: the rise and occupancy thresholds as literals.
_LITERAL = re.compile(r"""\b(?:D|Decimal)\(\s*["']?(?:2\.0+|95(?:\.0+)?)["']?\s*\)""")


def test_no_threshold_literal_outside_the_parameters():
    root = Path(__file__).resolve().parents[2]
    allowed = {root / "takster" / "validation" / "params.py"}
    offenders = []
    for path in (root / "takster").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _LITERAL.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
