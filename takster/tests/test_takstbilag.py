"""The takstbilag as data, PDF and xlsx: offers, Danish numbers, marks, contents, round trip."""

import dataclasses
import io
import re
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from socialaftale.pdf import pdf_accessibility, pdf_text
from takster.demo_takstbilag import demo_takstbilag_data
from takster.takstbilag import (
    DriftsherreSection,
    Offer,
    OfferYear,
    TakstbilagData,
    render_takstbilag_html,
    render_takstbilag_pdf,
    render_takstbilag_xlsx,
    safe_text,
    summarise,
    takstbilag_context,
)
from takster.tests.factories import synthetic_takstbilag_data


@pytest.fixture(scope="module")
def demo():
    return demo_takstbilag_data()


@pytest.fixture(scope="module")
def demo_pdf(demo):
    return render_takstbilag_pdf(demo)


@pytest.fixture(scope="module")
def demo_text(demo_pdf):
    return pdf_text(demo_pdf)


@pytest.fixture(scope="module")
def demo_reader(demo_pdf):
    return PdfReader(io.BytesIO(demo_pdf))


def section(data, name):
    return next(s for s in data.driftsherrer if s.name == name)


def line_with(text, *needles):
    return [line for line in text.splitlines() if all(n in line for n in needles)]


# ----------------------------------------------------------------------------- data
def test_the_summary_counts_offers_above_pl_plus_two(demo):
    aalborg = summarise(section(demo, "Aalborg Kommune"), demo)
    assert aalborg.offer_count == 6
    # Syrenhuset dagtilbud 224 → 248 (+10,7 %) and botilbud 2.350 → 2.990 (+27,2 %) exceed
    # 3,10 + 2,0 = 5,1 %; Børnehus Nord +3,7 % and the falls do not.
    assert aalborg.above_count == 2
    assert aalborg.pl_pct == D("3.10")
    assert aalborg.overhead_pct == D("7.4")
    region = summarise(section(demo, "Region Nordjylland"), demo)
    assert region.pl_pct == D("2.46")
    assert region.avg_vs_pl_pp == region.avg_change_pct - D("2.46")


def test_the_region_is_measured_against_the_regional_pl():
    offer = Offer(
        tilbud="Specialtilbud", unit="Døgn",
        previous=OfferYear(year=2025, takster=(D(1000),)),
        current=OfferYear(year=2026, takster=(D(1050),)),
    )
    data = TakstbilagData(
        budget_year=2026, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
        driftsherrer=(
            DriftsherreSection(name="Region Nordjylland", kind="region", offers=(offer,)),
            DriftsherreSection(name="Morsø Kommune", offers=(offer,)),
        ),
    )
    # +5,0 %: above 2,46 + 2 = 4,46 % for the region, below 5,10 % for a kommune.
    assert [summarise(s, data).above_count for s in data.driftsherrer] == [1, 0]


def test_each_offer_carries_its_change_explanation(demo):
    boernehus = next(o for o in section(demo, "Aalborg Kommune").offers
                     if o.tilbud == "Børnehus Nord")
    result = boernehus.explain(pl_pct=D("3.10"))
    assert (result.total, result.pl, result.rest) == (D(286), D("239.75"), D("46.25"))
    hobro = next(o for o in section(demo, "Mariagerfjord Kommune").offers
                 if o.tilbud == "Aktivitetshuset Hobro")
    result = hobro.explain(pl_pct=D("3.10"))
    assert result.method == "budget"
    assert result.pl + result.regulering + result.rest == D(332) - D(339)


# ----------------------------------------------------------------------------- pdf
def test_the_pdf_lists_the_seed_offers_with_danish_numbers(demo_text):
    for name in (
        "Nordstjernen – Botilbud", "Frederikshavn Krisecenter", "Adelgade",
        "Aktivitetshuset Hobro", "Syrenhuset – Dagtilbud", "Hviddalen – Dagtilbud",
        "Væksthuset – Dagtilbud", "Børnehus Nord", "Tilbuddene i Løgstør – Bøgevej A-B-C",
    ):
        assert name in demo_text, name
    assert "P/L kommuner 3,10 %" in demo_text
    assert "P/L regioner 2,46 %" in demo_text
    assert "7.734" in demo_text and "8.020" in demo_text and "+286" in demo_text
    assert "1.635.200" in demo_text  # Syrenhuset's illustrative 2025 budget
    assert "8.912.000" in demo_text  # Hobro's 2026 budget from the seed
    assert "P/L (3,10 %) +239,75 kr." in demo_text  # Børnehus Nord: 7.734 × 3,1 %
    assert "Sager" in demo_text  # objective financing counts cases, not places
    assert "2.025" not in demo_text  # years are not formatted as numbers


def test_rises_above_pl_plus_two_are_marked_in_text(demo_text):
    assert "+10,7 % ▲" in demo_text  # Syrenhuset 224 → 248
    assert line_with(demo_text, "Syrenhuset – Dagtilbud", "Over grænsen")
    assert not line_with(demo_text, "Væksthuset – Dagtilbud", "Over grænsen")
    assert "Takst 1 stiger mere end P/L + 2,0 pp" in " ".join(demo_text.split())
    assert "Grænse for stigning (P/L + 2,0 pp) 5,10 % 4,46 %" in demo_text


def test_remarks_special_conditions_and_the_revision_are_printed(demo_text):
    assert "316 kr. pr. time" in demo_text  # Nordstjernen
    assert "75 % belægning" in demo_text  # Frederikshavn Krisecenter
    assert "Tomgang" in demo_text  # its budgeted occupancy is below 95 %
    assert "2/3 af en plads" in demo_text  # Hobro's special condition
    assert "250 betalingsdage" in demo_text  # Aalborg's revision
    assert "Revideret" in demo_text
    assert "Versionshistorik" in demo_text
    assert "Gældende" in demo_text and "Erstattet" in demo_text


def test_the_pdf_is_a4_landscape_with_a_sane_page_count(demo_reader, demo_text):
    pages = len(demo_reader.pages)
    assert 12 <= pages <= 45
    box = demo_reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert round(float(box.width) / 72 * 25.4) == 297
    assert f"Side 2 af {pages}" in demo_text
    assert f"Side {pages} af {pages}" in demo_text


def test_bookmarks_and_contents_point_to_each_driftsherre(demo, demo_reader, demo_text):
    outline = demo_reader.outline
    top = {item.title: item for item in outline if not isinstance(item, list)}
    for s in demo.driftsherrer:
        assert s.name in top, s.name
        page = demo_reader.get_destination_page_number(top[s.name]) + 1
        # The table of contents (page 2) prints the same page number after the leader dots.
        toc = demo_reader.pages[1].extract_text()
        match = re.search(re.escape(s.name) + r"\s*\.+\s*(\d+)", toc)
        assert match and int(match.group(1)) == page, s.name
    assert "Indhold" in top and "Overblik over driftsherrerne" in top
    # Offers are nested bookmarks under their driftsherre.
    index = outline.index(top["Aalborg Kommune"])
    children = outline[index + 1]
    assert isinstance(children, list)
    assert "Børnehus Nord" in [c.title for c in children if not isinstance(c, list)]


def test_one_short_table_per_offer_never_one_huge_table(demo):
    html = render_takstbilag_html(demo)
    offers = sum(len(s.offers) for s in demo.driftsherrer)
    assert html.count('<table class="rates') == offers
    # No overview table per driftsherre repeating the offers' figures: each offer's own
    # section carries its explained rate, its average change and its marks.
    assert '<table class="overview">' not in html
    assert html.count("Gns. ændring i taksterne") == sum(
        1 for s in demo.driftsherrer for o in s.offers if o.explain(pl_pct=demo.pl_kommuner)
        and sum(c.change_pct is not None for c in demo.rate_changes(o, s.kind)) > 1
    ) > 0  # only where several rates changed: with one, it is the change row
    assert "display: table-header-group" in html  # repeated headers on page breaks
    assert "<svg" in html and "<title id=\"chart-title\">" in html


def test_a_draft_is_marked_and_new_and_ended_offers_render():
    data = TakstbilagData(
        budget_year=2027, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
        driftsherrer=(DriftsherreSection(name="Læsø Kommune", offers=(
            Offer(tilbud="Nyt <botilbud>", unit="Døgn", current=OfferYear(
                year=2027, pladser=D(4), belaegning=D(90), takster=(D(1500),))),
            Offer(tilbud="Gammelt dagtilbud", unit="Dag", previous=OfferYear(
                year=2026, takster=(D(400),))),
        )),),
    )
    html = render_takstbilag_html(data)
    assert "Nyt &lt;botilbud&gt;" in html
    text = pdf_text(render_takstbilag_pdf(data))
    assert "UDKAST" in text
    assert "Nyt tilbud" in text and "2027 1.500" in text  # only the year it has
    assert "Udgået" in text and "2026 400" in text
    assert "Lav belægning" in text  # 90 % < 95 %
    context = takstbilag_context(data)
    assert context["sections"][0]["summary"].compared_count == 0


# ----------------------------------------------------------------------------- xlsx
def test_the_xlsx_round_trips_numbers_as_numbers(demo):
    wb = load_workbook(io.BytesIO(render_takstbilag_xlsx(demo)))
    assert wb.sheetnames == ["Om", "Driftsherrer", "Tilbud", "Takster", "Versioner"]
    offers = wb["Tilbud"]
    headers = [c.value for c in offers[1]]
    rows = [dict(zip(headers, row, strict=True)) for row in offers.iter_rows(min_row=2)]
    assert len(rows) == sum(len(s.offers) for s in demo.driftsherrer)
    syren = next(r for r in rows if r["Tilbud"].value == "Syrenhuset"
                 and r["Afdeling"].value == "Dagtilbud")
    assert syren["Budget i alt 2025"].value == 1_635_200
    assert isinstance(syren["Budget i alt 2025"].value, int)
    assert syren["Budget i alt 2025"].number_format == "#,##0"
    assert syren["Belægning 2026"].value == pytest.approx(1.0)
    assert syren["Belægning 2026"].number_format == "0.0%"
    assert syren["Heraf P/L (kr.)"].value == pytest.approx(6.94)
    assert syren["Ændring i alt (kr.)"].value == 24
    assert syren["Over grænsen"].value == "Ja"
    krisecenter = next(r for r in rows if r["Tilbud"].value == "Frederikshavn Krisecenter")
    assert krisecenter["Tomgang 2026"].value == 2
    assert krisecenter["Tomgang 2025"].value is None
    rates = wb["Takster"]
    rate_rows = [[c.value for c in row] for row in rates.iter_rows(min_row=2)]
    hviddalen = next(r for r in rate_rows if r[1] == "Hviddalen")
    assert hviddalen[6:9] == [198, 175, -23]
    assert hviddalen[9] == pytest.approx(-23 / 198)
    about = {r[0].value: r[1] for r in wb["Om"].iter_rows(min_row=2)}
    assert about["P/L kommuner"].value == pytest.approx(0.031)
    assert about["P/L kommuner"].number_format == "0.00%"
    versions = [[c.value for c in row] for row in wb["Versioner"].iter_rows(min_row=2)]
    assert [v[-1] for v in versions] == ["Nej", "Ja"]


def test_the_xlsx_escapes_text_that_looks_like_a_formula():
    nasty = ["=HYPERLINK(\"http://x\")", "+1+2", "-3", "@SUM(A1)", "\tfane", "\rlinje"]
    offers = tuple(
        Offer(tilbud=text, afdeling="A", unit="Døgn", bemaerkning=text,
              previous=OfferYear(year=2025, takster=(D(100),)),
              current=OfferYear(year=2026, takster=(D(103),)))
        for text in nasty
    )
    data = TakstbilagData(
        budget_year=2026, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
        driftsherrer=(DriftsherreSection(name="=cmd|' /C calc'!A0", offers=offers),),
    )
    wb = load_workbook(io.BytesIO(render_takstbilag_xlsx(data)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    names = [c.value for c in wb["Tilbud"]["B"][1:]]
    # XML stores a lone CR as LF; what matters is the leading apostrophe.
    assert names == ["'" + text.replace("\r", "\n") for text in nasty]
    assert wb["Driftsherrer"]["A2"].value == "'=cmd|' /C calc'!A0"
    assert safe_text("Bo- og aktivitetstilbud") == "Bo- og aktivitetstilbud"


def test_the_published_date_and_version_are_in_both_outputs(demo):
    unpublished = dataclasses.replace(demo, published_on=None)
    about = {r[0].value: r[1].value for r in
             load_workbook(io.BytesIO(render_takstbilag_xlsx(unpublished)))["Om"].iter_rows(min_row=2)}
    assert about["Status"] == "Udkast"
    published = {r[0].value: r[1].value for r in
                 load_workbook(io.BytesIO(render_takstbilag_xlsx(demo)))["Om"].iter_rows(min_row=2)}
    # "Offentliggjort", as the web pages say it (not "Publiceret").
    assert published["Status"] == "Offentliggjort" and "Publiceret" not in published
    assert published["Offentliggjort"] == datetime(2026, 2, 23)  # a date cell, not text
    assert about["Offentliggjort"] == "Ikke offentliggjort"
    context = takstbilag_context(demo)
    assert context["published_on"] == "23. februar 2026"
    assert context["in_force"].approved_on == date(2026, 2, 23)


def test_the_contents_lines_link_to_their_pages(demo_reader):
    toc = demo_reader.pages[1]
    links = [a.get_object() for a in toc.get("/Annots", [])]
    links = [a for a in links if a.get("/Subtype") == "/Link"]
    titles = {
        item.title: demo_reader.get_destination_page_number(item)
        for item in demo_reader.outline if not isinstance(item, list)
    }
    names = demo_reader.named_destinations  # WeasyPrint links to named destinations

    def page_of(dest):
        if isinstance(dest, str):
            return demo_reader.get_destination_page_number(names[dest])
        return demo_reader.get_page_number(dest[0].get_object())

    targets = sorted({page_of(a["/Dest"]) for a in links})  # a line may hold several links
    expected = sorted(page for title, page in titles.items() if title != "Indhold")
    assert targets == expected


def test_the_pdf_is_one_tagged_document_with_its_metadata(demo_pdf):
    check = pdf_accessibility(demo_pdf)
    assert check.tagged and check.lang == "da" and check.display_title
    assert check.title == "Takstbilag 2026"
    assert check.author == "Nordjysk Socialaftale – sekretariatet"
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/Link"} <= check.structure_tags
    assert check.figures_without_alt == 0  # the chart's SVG <title> is its alternative text
    assert check.bookmarks > 40


def test_kaervej_changes_match_the_seed_template_row():
    # DAS Social 23.02.2026, pkt. 4, Mariagerfjord test rows: Kærvej 2026 → 2027.
    old = "1369 1663 1958 2252 2547 2841 3136 3430 3725 4019"
    new = "1436 1741 2046 2352 2657 2962 3267 3572 3877 4183"
    offer = Offer(
        tilbud="Bo og Aktivitetstilbud", afdeling="Kærvej", paragraphs="ABL § 105", unit="Døgn",
        previous=OfferYear(year=2026, pladser=D(15), belaegning=D(98), budget=D(15_999_963),
                           regulering=D(140_963), oh_pct=D("6.8"), basis=D(731),
                           time=D("336.66"), takster=tuple(D(x) for x in old.split())),
        current=OfferYear(year=2027, pladser=D(15), belaegning=D(98), budget=D(17_092_000),
                          regulering=D(0), oh_pct=D("6.5"), basis=D(775), time=D("348.89"),
                          takster=tuple(D(x) for x in new.split())),
    )
    changes = offer.rate_changes(pl_pct=D("3.10"), threshold_pp=D("2.0"))
    printed = [format(round(c.change_pct, 1), "f").replace(".", ",") for c in changes]
    assert printed == ["6,0", "3,6", "4,9", "4,7", "4,5", "4,4", "4,3", "4,3", "4,2", "4,1",
                       "4,1", "4,1"]
    assert [c.label for c in changes if c.above_limit] == ["Basis"]  # 6,0 % > 5,1 %
    data = TakstbilagData(
        budget_year=2027, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
        driftsherrer=(DriftsherreSection(name="Mariagerfjord Kommune", offers=(offer,)),),
    )
    view = takstbilag_context(data)["sections"][0]["offers"][0]
    # The table holds the rates only: Basis, Time and the 10 takst levels in use, in the
    # smaller type that fits twelve columns on the page.
    assert view["many"] and view["headers"][:3] == ["Basis", "Time", "Takst 1"]
    assert len(view["headers"]) == 12
    assert view["change"][0] == "+44 (+6,0\N{NO-BREAK SPACE}%\N{NO-BREAK SPACE}▲)"  # one row
    # The other figures are one line of text under the table; unchanged ones shown once.
    assert view["folded"] == ("Pladser 15 · Belægning 98 % · Budget i alt 15.999.963 → "
                              "17.092.000 (+1.092.037) · Regulering +140.963 → 0 (-140.963) · "
                              "OH % 6,8 % → 6,5 % (-0,3 pp)")


def test_an_offer_table_has_only_the_rate_columns_in_use_and_folds_the_rest():
    offer = Offer(
        tilbud="Frederikshavn Krisecenter", paragraphs="SEL § 109", unit="Døgn",
        previous=OfferYear(year=2025, pladser=D(10), belaegning=D(85), budget=D(4_600_000),
                           oh_pct=D("5.7"), takster=(D(1480),), days=250),
        current=OfferYear(year=2026, pladser=D(10), belaegning=D(85), budget=D(4_850_000),
                          regulering=D(-50_000), oh_pct=D("5.9"), takster=(D(1560),),
                          tomgang=D(2)),
    )
    data = TakstbilagData(
        budget_year=2026, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
        driftsherrer=(DriftsherreSection(name="Frederikshavn Kommune", offers=(offer,)),),
    )
    view = takstbilag_context(data)["sections"][0]["offers"][0]
    assert view["headers"] == ["Takst 1"]
    assert not view["many"]
    assert view["rows"] == [{"label": "2025 → 2026", "cells": ["1.480 → 1.560"]}]
    assert view["change"] == ["+80 (+5,4\N{NO-BREAK SPACE}%\N{NO-BREAK SPACE}▲)"]
    assert view["folded"] == ("Pladser 10 · Belægning 85 % · Budget i alt 4.600.000 → "
                              "4.850.000 (+250.000) · Regulering 0 → -50.000 (-50.000) · "
                              "OH % 5,7 % → 5,9 % (+0,2 pp) · Tomgang – → 2 · "
                              "Betalingsdage 250 → 365 (+115)")
    text = " ".join(pdf_text(render_takstbilag_pdf(data)).split())
    assert "Tomgang – → 2" in text and "Betalingsdage 250 → 365" in text
    assert "Takst 2" not in text and "Basis" not in text.split("Frederikshavn Krisecenter")[-1]


def test_the_synthetic_benchmark_data_has_few_takst_levels_like_the_seed():
    data = synthetic_takstbilag_data(driftsherrer=12, offers=40)
    levels = [len(o.current.takster) for s in data.driftsherrer for o in s.offers]
    assert len(levels) == 480
    assert sum(n <= 3 for n in levels) / len(levels) > 0.8  # most offers: 1-3 levels
    assert max(levels) == 10  # and a few like Kærvej with all ten


@pytest.mark.parametrize(("new_rate", "marked"), [(D("105.10"), False), (D("105.11"), True)])
def test_a_rise_exactly_at_pl_plus_threshold_is_not_marked_just_past_it_is(new_rate, marked):
    offer = Offer(tilbud="Grænsetilfælde", unit="Døgn",
                  previous=OfferYear(year=2025, takster=(D(100),)),
                  current=OfferYear(year=2026, takster=(new_rate,)))
    data = TakstbilagData(budget_year=2026, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
                          driftsherrer=(DriftsherreSection(name="Morsø Kommune", offers=(offer,)),))
    view = takstbilag_context(data)["sections"][0]["offers"][0]
    assert view["above"] is marked  # limit 3,10 + 2,0 = 5,10 %
    assert ("▲" in view["change"][0]) is marked


@pytest.mark.parametrize(("belaegning", "low"), [(D(95), False), (D("94.9"), True)])
def test_occupancy_exactly_at_the_threshold_is_not_low_just_under_it_is(belaegning, low):
    offer = Offer(tilbud="Belægning", unit="Døgn",
                  current=OfferYear(year=2026, belaegning=belaegning, takster=(D(100),)))
    data = TakstbilagData(budget_year=2026, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
                          driftsherrer=(DriftsherreSection(name="Morsø Kommune", offers=(offer,)),))
    assert takstbilag_context(data)["sections"][0]["offers"][0]["low_occupancy"] is low


def _one_offer_data(offer: Offer) -> TakstbilagData:
    return TakstbilagData(
        budget_year=2026, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
        driftsherrer=(DriftsherreSection(name="Hjørring Kommune", offers=(offer,)),),
    )


def test_an_offer_s_marks_follow_its_heading_as_one_framed_text():
    offer = Offer(
        tilbud="Kragholm", unit="Døgn", revision_note="Takst rettet i version 2",
        previous=OfferYear(year=2025, pladser=D(12), belaegning=D(97), takster=(D(2350),)),
        current=OfferYear(year=2026, pladser=D(12), belaegning=D("94.9"), takster=(D(2990),)),
    )
    data = _one_offer_data(offer)
    view = takstbilag_context(data)["sections"][0]["offers"][0]
    assert view["marks"] == "▲ Over grænsen · Revideret · Lav belægning"
    html = render_takstbilag_html(data)
    assert html.count('class="badge"') == 1
    assert 'Kragholm <span class="badge">▲ Over grænsen · Revideret · Lav belægning</span>' in html
    unmarked = dataclasses.replace(
        offer, revision_note="",
        current=dataclasses.replace(offer.current, belaegning=D(95), takster=(D(2400),)),
    )
    assert takstbilag_context(_one_offer_data(unmarked))["sections"][0]["offers"][0][
        "marks"] == ""


def _change_cell_line_counts(data: TakstbilagData) -> list[int]:
    """How many lines each cell of the offers' Ændring rows takes in the laid-out PDF."""
    from weasyprint.formatting_structure import boxes

    from socialaftale.pdf import layout_html

    counts = []
    for page in layout_html(render_takstbilag_html(data)).pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableRowBox) and "change" in (
                    box.element.get("class") or ""):
                counts += [sum(isinstance(line, boxes.LineBox) for line in cell.children)
                           for cell in box.children if cell.element_tag == "td"]
    return counts


def test_rate_tables_of_any_width_fit_the_page_and_only_ten_rates_or_more_use_small_type():
    from takster.takstbilag.view import MANY_RATES, PAGE_WIDTH_MM, table_widths

    widths = dict(table_widths([{"columns": n} for n in range(1, 13)]))
    assert all(mm <= PAGE_WIDTH_MM for mm in widths.values()), widths
    assert widths[7] == 25 + 7 * 30 and widths[8] == 25 + 8 * 29 and widths[9] == 25 + 9 * 26
    assert MANY_RATES == 9 and widths[10] == 25 + 10 * 19 and widths[12] == 253


def test_a_change_cell_keeps_to_one_line_in_a_full_width_table():
    """Eight rates, each "+640 (+27,2 % ▲)" (2.350 → 2.990): the widest change the demo has,
    in a table as wide as the page (29 mm columns). A wrapped cell is twice the text to lay
    out."""
    offer = Offer(
        tilbud="Syrenhuset", afdeling="Botilbud", unit="Døgn",
        previous=OfferYear(year=2025, budget=D(1), takster=(D(2350),) * 8),
        current=OfferYear(year=2026, budget=D(1), takster=(D(2990),) * 8),
    )
    view = takstbilag_context(_one_offer_data(offer))["sections"][0]["offers"][0]
    assert not view["many"] and view["columns"] == 8
    assert view["change"][0] == "+640 (+27,2\N{NO-BREAK SPACE}%\N{NO-BREAK SPACE}▲)"
    assert _change_cell_line_counts(_one_offer_data(offer)) == [1] * 8
