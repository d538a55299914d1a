"""Open data at /data/: the 2026 demo takstbilag as JSON/CSV, versions, 404s, the catalog,
HTTP caching, and agreement with the PDF and xlsx built from the same selector."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from socialaftale.models import Driftsherre
from socialaftale.pdf import pdf_text
from takster import opendata
from takster.models import Takstbilag
from takster.publication import takstbilag_data
from takster.takstbilag import render_takstbilag_pdf, render_takstbilag_xlsx
from tilbud.models import Tilbud

pytestmark = pytest.mark.django_db
D = Decimal


def _json(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _by_name(lines):
    return {line["tilbud"]: line for line in lines}


def test_the_2026_json_has_boernehus_nord_and_aalborgs_revised_rate(client, demo_2026):
    data = _json(client, "/data/takster/2026.json")
    assert (data["year"], data["version"], data["published"]) == (2026, 2, "2026-02-24")
    assert data["decision"]["reference"] == "DAS Social 23.02.2026, pkt. 10"
    assert data["decision"]["items"][0]["item"] == 10
    assert [v["version"] for v in data["versions"]] == [1, 2]
    lines = _by_name(data["lines"])
    boernehus = lines["Børnehus Nord"]
    assert (boernehus["takst_1_kr"], boernehus["forrige_takst_1_kr"]) == (8020, 7734)
    assert boernehus["enhed"] == "Objektiv" and boernehus["pladser"] == 470
    assert boernehus["das_henvisning"] == "DAS Social 17.11.2025, pkt. 6"
    assert (boernehus["das_dato"], boernehus["das_punkt"]) == ("2025-11-17", 6)
    assert boernehus["das_link"].endswith("/referat/#punkt-6")
    syrenhuset = lines["Syrenhuset"]
    assert (syrenhuset["takst_1_kr"], syrenhuset["betalingsdage"]) == (248, 365)
    assert syrenhuset["forrige_takst_1_kr"] == 224
    assert syrenhuset["das_henvisning"] == "DAS Social 23.02.2026, pkt. 10"
    assert "362 kr. på 250 dage" in syrenhuset["revisionsnote"]
    # Mariagerfjord's lines stay in force from version 1, approved on item 5.
    kaervej = lines["Bo og Aktivitetstilbud Kærvej"]
    assert kaervej["das_henvisning"] == "DAS Social 17.11.2025, pkt. 5"
    assert (kaervej["basis_kr"], kaervej["time_kr"], kaervej["takst_10_kr"]) == (
        731, 336.66, 4019)
    assert kaervej["budget_kr"] == 15999963 and kaervej["oh_pct"] == 6.8
    assert set(data["lines"][0]) == set(opendata.FIELD_NAMES)


def test_the_2026_csv_has_the_same_lines_with_machine_readable_numbers(client, demo_2026):
    rows = _csv(client, "/data/takster/2026.csv")
    assert list(rows[0]) == list(opendata.FIELD_NAMES)
    lines = _by_name(rows)
    assert lines["Børnehus Nord"]["takst_1_kr"] == "8020"
    assert lines["Børnehus Nord"]["forrige_takst_1_kr"] == "7734"
    assert lines["Syrenhuset"]["takst_1_kr"] == "248"
    assert lines["Bo og Aktivitetstilbud Kærvej"]["time_kr"] == "336.66"
    assert lines["Bo og Aktivitetstilbud Kærvej"]["budget_kr"] == "15999963"
    assert lines["Syrenhuset"]["over_graensen"] == "true"
    assert lines["Væksthuset"]["over_graensen"] == "false"
    assert lines["Syrenhuset"]["das_dato"] == "2026-02-23"
    assert lines["Børnehus Nord"]["tomgang"] == ""  # no figure: empty, not 0
    json_lines = _by_name(_json(client, "/data/takster/2026.json")["lines"])
    assert len(rows) == len(json_lines) == 7
    for name, row in lines.items():
        for key in ("takst_1_kr", "forrige_takst_1_kr", "aendring_pct", "heraf_pl_pct"):
            value = json_lines[name][key]
            assert row[key] == ("" if value is None else opendata.number_text(D(str(value))))


def test_every_version_has_its_own_address_and_the_first_keeps_the_250_day_rates(
    client, demo_2026
):
    first = _by_name(_json(client, "/data/takster/2026/v1.json")["lines"])
    assert (first["Syrenhuset"]["takst_1_kr"], first["Syrenhuset"]["betalingsdage"]) == (362, 250)
    assert first["Syrenhuset"]["das_henvisning"] == "DAS Social 17.11.2025, pkt. 5"
    assert first["Børnehus Nord"]["das_henvisning"] == "DAS Social 17.11.2025, pkt. 6"
    v1_csv = _by_name(_csv(client, "/data/takster/2026/v1.csv"))
    assert v1_csv["Syrenhuset"]["takst_1_kr"] == "362"
    in_force = client.get("/data/takster/2026.json").content
    assert client.get("/data/takster/2026/v2.json").content == in_force


def test_unpublished_years_versions_and_drafts_answer_404(client, demo_2026):
    for url in ("/data/takster/2027.json", "/data/takster/2027.csv", "/data/takster/2025.json",
                "/data/takster/2026/v3.json", "/data/takster/2026/v0.csv"):
        assert client.get(url).status_code == 404, url
    second = demo_2026[1]
    Takstbilag.objects.filter(pk=second.pk).update(status=Takstbilag.Status.DRAFT)
    assert client.get("/data/takster/2026/v2.json").status_code == 404
    assert _json(client, "/data/takster/2026.json")["version"] == 1  # v1 is in force again
    Takstbilag.objects.filter(pk=demo_2026[0].pk).update(status=Takstbilag.Status.DRAFT)
    assert client.get("/data/takster/2026.json").status_code == 404
    assert client.get("/data/takster/2026.csv").status_code == 404


def test_data_responses_carry_etag_and_last_modified_and_answer_304(client, demo_2026):
    for url in ("/data/takster/2026.json", "/data/takster/2026.csv",
                "/data/takster/2026/v1.json", "/data/katalog.jsonld"):
        response = client.get(url)
        etag, modified = response["ETag"], response["Last-Modified"]
        assert etag.startswith('"') and modified.endswith("GMT")
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
        assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    assert client.get("/data/takster/2026.json")["Last-Modified"] == (
        "Tue, 24 Feb 2026 11:00:00 GMT")
    assert client.get("/data/takster/2026/v1.json")["Last-Modified"] == (
        "Tue, 18 Nov 2025 11:00:00 GMT")
    assert (client.get("/data/takster/2026.json")["ETag"]
            != client.get("/data/takster/2026.csv")["ETag"])


def test_a_register_change_changes_the_etag_and_the_data_name_the_tilbudsportalen_id(
    client, demo_2026
):
    before = client.get("/data/takster/2026.json")
    aalborg = Driftsherre.objects.get(slug="aalborg")
    offer = Tilbud.objects.create(driftsherre=aalborg, name="Børnehus Nord", unit="Objektiv",
                                  tilbudsportalen_id=90210)
    after = client.get("/data/takster/2026.json", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    line = _by_name(json.loads(after.content)["lines"])["Børnehus Nord"]
    assert line["tilbudsportalen_id"] == 90210
    assert line["tilbud_url"].endswith(reverse("tilbud:detail", args=[offer.pk]))
    assert _by_name(_csv(client, "/data/takster/2026.csv"))["Børnehus Nord"][
        "tilbudsportalen_id"] == "90210"


def test_the_json_agrees_with_the_xlsx_and_the_pdf_of_the_same_version(client, demo_2026):
    takstbilag = demo_2026[1]
    data = takstbilag_data(takstbilag)
    lines = _json(client, "/data/takster/2026.json")["lines"]
    workbook = openpyxl.load_workbook(io.BytesIO(render_takstbilag_xlsx(data)), data_only=True)
    rates = {}
    for row in workbook["Takster"].iter_rows(min_row=2, values_only=True):
        driftsherre, tilbud, afdeling, _, _, label, old, new, _, _, above = row
        rates[(driftsherre, tilbud, afdeling or "", label)] = (old, new, above)
    offers_sheet = workbook["Tilbud"]
    header = [c.value for c in offers_sheet[1]]
    offers = {
        (r[0], r[1], r[2] or ""): dict(zip(header, r, strict=True))
        for r in offers_sheet.iter_rows(min_row=2, values_only=True)
    }
    compared = 0
    for line in lines:
        key = (line["driftsherre"], line["tilbud"], line["afdeling"])
        for name, label in (("basis_kr", "Basis"), ("time_kr", "Time"),
                            *((f"takst_{i}_kr", f"Takst {i}") for i in range(1, 11))):
            if (*key, label) not in rates:
                assert line[name] is None and line["forrige_" + name] is None
                continue
            old, new, above = rates[(*key, label)]
            assert (line["forrige_" + name], line[name]) == (old, new), (key, label)
            compared += 1
        row = offers[key]
        assert line["over_graensen"] == (row["Over grænsen"] == "Ja")
        assert line["heraf_pl_kr"] == pytest.approx(row["Heraf P/L (kr.)"])
        assert line["heraf_regulering_kr"] == pytest.approx(row["Heraf regulering (kr.)"])
        assert line["heraf_oevrigt_kr"] == pytest.approx(row["Heraf øvrigt (kr.)"])
    assert compared >= 20 and len(offers) == len(lines)
    text = pdf_text(render_takstbilag_pdf(data))
    for line in lines:
        assert line["tilbud"] in text
    assert "8.020" in text and "7.734" in text and "248" in text


def test_the_catalog_is_dcat_json_ld_listing_every_published_year(client, demo_2026, settings):
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

    response = client.get("/data/katalog.jsonld")
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    graph = Graph().parse(data=response.content, format="json-ld")
    catalog = URIRef("http://testserver/data/katalog.jsonld")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    datasets = set(graph.objects(catalog, DCAT.dataset))
    titles = {str(graph.value(d, DCTERMS.title)) for d in datasets}
    assert titles == {"Takstbilag 2026", "Takstbilag 2026, version 1",
                      "Takstbilag 2026, version 2"}
    current = URIRef("http://testserver/data/takster/2026")
    assert str(graph.value(current, URIRef("http://www.w3.org/2002/07/owl#versionInfo"))) == "2"
    assert set(graph.objects(current, DCTERMS.hasVersion)) == {
        URIRef(f"{current}/v1"), URIRef(f"{current}/v2")}
    downloads = {str(graph.value(d, DCAT.downloadURL))
                 for d in graph.objects(current, DCAT.distribution)}
    assert {"http://testserver/data/takster/2026.json",
            "http://testserver/data/takster/2026.csv"} <= downloads
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Organization) in graph
    assert graph.value(publisher, FOAF.name) == Literal(
        "Sekretariatet for Nordjysk Socialaftale", lang="da")
    assert str(graph.value(current, DCTERMS.modified)).startswith("2026-02-24")
    # No licence set: the catalog says so instead of inventing one.
    assert graph.value(catalog, DCTERMS.license) is None
    rights = graph.value(catalog, DCTERMS.rights)
    assert "ikke fastsat en licens" in str(graph.value(rights, DCTERMS.description))

    settings.OPEN_DATA_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
    settings.OPEN_DATA_LICENSE_NAME = "CC BY 4.0"
    graph = Graph().parse(data=client.get("/data/katalog.jsonld").content, format="json-ld")
    assert graph.value(catalog, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/")
    distribution = next(graph.objects(current, DCAT.distribution))
    assert graph.value(distribution, DCTERMS.license) is not None
    assert _json(client, "/data/takster/2026.json")["license"]["name"] == "CC BY 4.0"


def test_the_catalog_lists_a_year_only_once_it_is_published(client, demo_2026):
    Takstbilag.objects.update(status=Takstbilag.Status.DRAFT)
    catalog = _json(client, "/data/katalog.jsonld")
    assert catalog["dcat:dataset"] == []


def test_the_documentation_page_documents_every_field(client, demo_2026):
    response = client.get("/data/")
    assert response.status_code == 200
    page = response.content.decode()
    for field in opendata.FIELDS:
        assert f"<code>{field.name}</code>" in page
    assert "/data/takster/2026/v1.json" in page and "/data/katalog.jsonld" in page
    assert "punktum som decimaltegn" in page and "UTF-8 med BOM" in page
    assert "ikke fastsat en licens" in page


def test_the_documentation_page_works_without_any_published_year(client, db):
    response = client.get("/data/")
    assert response.status_code == 200
    assert "endnu ikke offentliggjort" in response.content.decode()


def test_the_catalog_lists_every_published_year_with_its_own_data(client, reference_data):
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, DCTERMS

    from .factories import published_history

    offer = Tilbud.objects.create(driftsherre=Driftsherre.objects.get(slug="aalborg"),
                                  name="Bostedet Fjordglimt", tilbudsportalen_id=777)
    published_history(offer, {2024: (1000,), 2025: (1040,), 2026: (1100,)})
    graph = Graph().parse(data=client.get("/data/katalog.jsonld").content, format="json-ld")
    catalog = URIRef("http://testserver/data/katalog.jsonld")
    titles = {str(graph.value(d, DCTERMS.title)) for d in graph.objects(catalog, DCAT.dataset)}
    assert {"Takstbilag 2024", "Takstbilag 2025", "Takstbilag 2026"} <= titles
    for year, rate, previous in ((2024, 1000, None), (2025, 1040, 1000), (2026, 1100, 1040)):
        (line,) = _json(client, f"/data/takster/{year}.json")["lines"]
        assert (line["takst_1_kr"], line["forrige_takst_1_kr"]) == (rate, previous)
        assert line["tilbudsportalen_id"] == 777
        assert line["das_henvisning"] == f"DAS Social 17.11.{year - 1}, pkt. 5"
    assert _json(client, "/data/takster/2024.json")["lines"][0]["status"] == "Nyt tilbud"
    assert _json(client, "/data/takster/2025.json")["lines"][0]["over_graensen"] is False
    assert _json(client, "/data/takster/2026.json")["lines"][0]["over_graensen"] is True


@pytest.mark.parametrize("belaegning, below", [(95, False), (Decimal("94.9"), True)])
def test_the_low_occupancy_mark_follows_the_rule_book(client, reference_data, belaegning,
                                                      below):
    from takster.models import RateLine

    from .factories import published_history

    offer = Tilbud.objects.create(driftsherre=Driftsherre.objects.get(slug="aalborg"),
                                  name="Bostedet Fjordglimt")
    published_history(offer, {2025: (1000,), 2026: (1030,)})
    RateLine.objects.filter(year=2026, upload__submission__rate_round__parameters__budget_year=
                            2026).update(belaegning=belaegning)
    (line,) = _json(client, "/data/takster/2026.json")["lines"]
    assert line["belaegning_under_graensen"] is below


def test_a_decision_on_a_meeting_without_minutes_links_its_agenda_not_a_missing_referat(
    client, aalborg_2027
):
    """DAS approved on an item of a meeting whose minutes are not registered: the data link
    to the agenda item (the minutes page would be a 404)."""
    import datetime

    from django.contrib.auth.models import User

    from moeder.models import Meeting
    from takster import services

    staff = User.objects.get(username="sekretariat")
    services.submission_recommend(submission=aalborg_2027, by=staff)
    services.submission_approve(submission=aalborg_2027, by=staff)
    meeting = Meeting.objects.get(date=datetime.date(2026, 5, 22))
    assert not meeting.is_held
    item = services.das_agenda_item_create(meeting=meeting, by=staff, title="Takster 2027")
    services.das_approval_record(submissions=[aalborg_2027], by=staff, date=meeting.date,
                                 reference=f"DAS Social 22.05.2026, pkt. {item.number}",
                                 item=item)
    draft = services.takstbilag_draft(rate_round=aalborg_2027.rate_round, by=staff,
                                      render=False)
    services.takstbilag_publish(takstbilag=draft, by=staff, note="Kun Aalborg endnu.")
    data = client.get("/data/takster/2027.json").json()
    url = data["decision"]["items"][0]["url"]
    assert url.endswith(f"/moeder/{meeting.pk}/#punkt-{item.number}")
    client.force_login(User.objects.get(username="sekretariat"))
    assert client.get(url.split("testserver", 1)[1]).status_code == 200
