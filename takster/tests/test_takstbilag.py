"""The takstbilag as data, PDF and xlsx: offers, Danish numbers, marks, contents, round trip."""

import dataclasses
import io
import re
from datetime import date
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from socialaftale.pdf import pdf_text
from takster.takstbilag import (
    DriftsherreSection,
    Offer,
    OfferYear,
    TakstbilagData,
    demo_takstbilag_data,
    render_takstbilag_html,
    render_takstbilag_pdf,
    render_takstbilag_xlsx,
    safe_text,
    summarise,
    synthetic_takstbilag_data,
    takstbilag_context,
)


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
    assert "Takst 1 stiger mere end P/L + 2,0 pp" in demo_text
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
    )
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
    assert "Nyt tilbud – ingen tal" in text
    assert "Udgået" in text
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
    targets = sorted(demo_reader.get_page_number(a["/Dest"][0].get_object()) for a in links)
    expected = sorted(page for title, page in titles.items() if title != "Indhold")
    assert targets == expected


def test_parallel_rendering_gives_the_same_document():
    data = synthetic_takstbilag_data(driftsherrer=3, offers=2)
    parallel = render_takstbilag_pdf(data, workers=2)
    assert pdf_text(parallel) == pdf_text(render_takstbilag_pdf(data))
    assert "Demotilbud 3.2" in pdf_text(parallel)


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
    # Pladser, Belægning, Budget i alt + Basis, Time and the 10 takst levels in use.
    assert view["wide"] and len(view["headers"]) == 15
    assert view["headers"][:4] == ["Pladser", "Belægning", "Budget i alt", "Basis"]
    assert view["change_kr"][2] == "+1.092.037"  # budget
    # Regulering and OH % are folded into one line of text under the table.
    assert view["folded"] == ("Regulering +140.963 → 0 (-140.963) · "
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
    assert view["headers"] == ["Pladser", "Belægning", "Budget i alt", "Takst 1"]
    assert not view["wide"] and [len(r["cells"]) for r in view["rows"]] == [4, 4]
    assert view["folded"] == ("Regulering 0 → -50.000 (-50.000) · OH % 5,7 % → 5,9 % "
                              "(+0,2 pp) · Tomgang – → 2 · Betalingsdage 250 → 365 (+115)")
    text = pdf_text(render_takstbilag_pdf(data))
    assert "Tomgang – → 2" in text and "Betalingsdage 250 → 365" in text
    assert "Takst 2" not in text and "Basis" not in text.split("Frederikshavn Krisecenter")[-1]


def test_the_synthetic_benchmark_data_has_few_takst_levels_like_the_seed():
    data = synthetic_takstbilag_data(driftsherrer=12, offers=40)
    levels = [len(o.current.takster) for s in data.driftsherrer for o in s.offers]
    assert len(levels) == 480
    assert sum(n <= 3 for n in levels) / len(levels) > 0.8  # most offers: 1-3 levels
    assert max(levels) == 10  # and a few like Kærvej with all ten


def test_a_daemonic_worker_renders_the_parts_in_turn(monkeypatch):
    # Celery's prefork children are daemonic and may not start processes of their own.
    import multiprocessing

    monkeypatch.setattr(multiprocessing.current_process(), "daemon", True, raising=False)
    data = TakstbilagData(
        budget_year=2026, pl_kommuner=D("3.10"), pl_regioner=D("2.46"),
        driftsherrer=tuple(
            DriftsherreSection(name=name, offers=(Offer(tilbud=f"Tilbud i {name}", unit="Dag"),))
            for name in ("Morsø Kommune", "Rebild Kommune")
        ),
    )
    text = pdf_text(render_takstbilag_pdf(data, workers=2))
    assert "Tilbud i Morsø Kommune" in text and "Tilbud i Rebild Kommune" in text


def test_a_wrong_guess_of_the_front_matter_layout_still_gives_the_right_contents(monkeypatch):
    from takster import takstbilag

    data = synthetic_takstbilag_data(driftsherrer=3, offers=3)
    shape = (3, data.is_draft, len(data.versions))
    monkeypatch.setattr(takstbilag, "_FRONT_LAYOUT", {shape: ({"Indhold": 1}, 9)})
    reader = PdfReader(io.BytesIO(render_takstbilag_pdf(data)))
    toc = reader.pages[1].extract_text()
    for item in reader.outline:
        if isinstance(item, list) or item.title in ("Indhold", "Versionshistorik"):
            continue
        page = reader.get_destination_page_number(item) + 1
        match = re.search(re.escape(item.title) + r"\s*\.+\s*(\d+)", toc)
        assert match and int(match.group(1)) == page, item.title
    assert takstbilag._FRONT_LAYOUT[shape][1] == 4  # learnt for the next document


def test_driftsherrer_are_rendered_in_parts_of_some_size(demo):
    from takster.takstbilag import PART_OFFERS, _section_groups

    groups = _section_groups(synthetic_takstbilag_data(driftsherrer=12, offers=40))
    assert groups == [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11)]
    demo_groups = _section_groups(demo)
    assert [i for g in demo_groups for i in g] == list(range(len(demo.driftsherrer)))
    assert len(demo_groups) < len(demo.driftsherrer)  # small driftsherrer share a part
    assert PART_OFFERS >= 40
