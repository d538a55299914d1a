"""The overhead / rate change chart: one labelled bar per driftsherre, accessible, no JavaScript."""

import re
from decimal import Decimal as D

from takster.charts import ChartRow, overhead_change_chart

ROWS = [
    ChartRow("Mariagerfjord Kommune", D("6.5"), D("4.5")),
    ChartRow("Aalborg Kommune", D("7.4"), D("-4.5")),
    ChartRow("Region Nordjylland", D("5.0"), D("2.5")),
]


def bars(svg, css):
    return re.findall(rf'<rect class="bar {css}" data-name="([^"]+)" data-value="([^"]+)"', svg)


def test_one_bar_per_driftsherre_in_each_panel_with_its_value():
    svg = overhead_change_chart(ROWS, pl_pct=D("3.10"))
    assert bars(svg, "bar-overhead") == [
        ("Mariagerfjord Kommune", "6.5"), ("Aalborg Kommune", "7.4"), ("Region Nordjylland", "5.0"),
    ]
    assert bars(svg, "bar-change") == [
        ("Mariagerfjord Kommune", "4.5"), ("Aalborg Kommune", "-4.5"),
        ("Region Nordjylland", "2.5"),
    ]
    # Values are printed as Danish text next to the bars, not told by colour alone.
    assert ">6,5 %</text>" in svg and ">+4,5 %</text>" in svg and ">-4,5 %</text>" in svg
    assert "P/L 3,1 %" in svg


def test_longer_bars_mean_larger_values():
    svg = overhead_change_chart(ROWS)
    pattern = r'class="bar bar-overhead" data-name="([^"]+)".*?width="([\d.]+)"'
    widths = dict(re.findall(pattern, svg))
    assert float(widths["Aalborg Kommune"]) > float(widths["Mariagerfjord Kommune"])
    assert float(widths["Mariagerfjord Kommune"]) > float(widths["Region Nordjylland"])


def test_the_chart_has_a_title_and_description_and_no_script():
    svg = overhead_change_chart(ROWS)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert "<title id=\"chart-title\">Overhead og gennemsnitlig takstændring" in svg
    assert "Aalborg Kommune: overhead 7,4 %, gennemsnitlig takstændring -4,5 %" in svg
    assert "<script" not in svg and "onclick" not in svg


def test_missing_values_and_odd_names_are_safe():
    svg = overhead_change_chart([ChartRow("Læsø <Kommune>", None, None)])
    assert "Læsø &lt;Kommune&gt;" in svg and "<Kommune>" not in svg
    assert bars(svg, "bar-overhead") == []
    assert "ingen data" in svg
