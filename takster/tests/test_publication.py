"""The published takstbilag from the 2026 demo: adapter data, PDF text, xlsx round-trip."""

import io
from decimal import Decimal

import openpyxl
import pytest

from moeder.models import ItemLink
from socialaftale.pdf import pdf_text
from takster.models import Submission, Takstbilag
from takster.publication import data_hash, takstbilag_data

pytestmark = pytest.mark.django_db
D = Decimal


def _section(data, name="Aalborg Kommune"):
    return next(s for s in data.driftsherrer if s.name == name)


def test_the_demo_publishes_two_versions_approved_on_the_meeting_items(demo_2026, seed_meetings):
    first, second = demo_2026
    assert [t.status for t in demo_2026] == [Takstbilag.Status.PUBLISHED] * 2
    assert first.published_at.date().isoformat() == "2025-11-18"
    original, revision = Submission.objects.filter(driftsherre__slug="aalborg").order_by(
        "revision")
    mariagerfjord = Submission.objects.get(driftsherre__slug="mariagerfjord")
    assert set(first.submissions.all()) == {original, mariagerfjord}
    assert set(second.submissions.all()) == {revision, mariagerfjord}
    assert second.version == 2 and mariagerfjord.status == Submission.Status.PUBLISHED
    assert revision.revision_of == original and original.status == Submission.Status.PUBLISHED
    references = {
        (link.item.meeting.date.isoformat(), link.item.number)
        for link in ItemLink.objects.select_related("item__meeting").filter(
            content_type__model="dasapproval")
    }
    assert references == {("2025-11-17", 5), ("2025-11-17", 6), ("2026-02-23", 10)}
    item10 = seed_meetings[("2026-02-23", 10)]
    assert item10.links.get().target.submissions.get() == revision


def test_version_two_shows_the_revised_rates_on_365_days_and_the_history(demo_2026):
    data = takstbilag_data(demo_2026[1])
    offers = {o.tilbud: o for o in _section(data).offers}
    syren = offers["Syrenhuset"]
    assert syren.previous.takster[0] == D(224) and syren.current.takster[0] == D(248)
    assert syren.current.days == 365 and "362 kr. på 250 dage" in syren.revision_note
    assert offers["Hviddalen"].current.takster[0] == D(175)
    boernehus = offers["Børnehus Nord"]
    assert boernehus.is_objective and boernehus.current.pladser == D(470)
    assert (boernehus.previous.takster[0], boernehus.current.takster[0]) == (D(7734), D(8020))
    assert "pkt. 6" in boernehus.approval_note and boernehus.revision_note == ""
    assert [v.number for v in data.versions] == [1, 2]
    assert data.versions[1].approved_by == "DAS Social 23.02.2026, pkt. 10"
    assert data.version_number == 2 and not data.is_draft
    first = takstbilag_data(demo_2026[0])
    first_syren = next(o for o in _section(first).offers if o.tilbud == "Syrenhuset")
    assert first_syren.current.takster[0] == D(362) and first_syren.current.days == 250
    assert data_hash(first) != data_hash(data) == demo_2026[1].input_hash


def test_the_2026_takstbilag_has_mariagerfjords_seed_figures_marked_as_demo(demo_2026):
    for takstbilag in demo_2026:
        data = takstbilag_data(takstbilag)
        offers = {o.tilbud: o for o in _section(data, "Mariagerfjord Kommune").offers}
        assert set(offers) == {"Bo og Aktivitetstilbud Kærvej", "Aktivitetshuset Hobro",
                               "Beskyttet Beskæftigelse Mariagerfjord"}
        kaervej = offers["Bo og Aktivitetstilbud Kærvej"].current
        assert (kaervej.basis, kaervej.time, kaervej.budget) == (D(731), D("336.66"),
                                                                 D(15_999_963))
        assert kaervej.takster[0] == D(1369) and kaervej.takster[9] == D(4019)
        hobro = offers["Aktivitetshuset Hobro"]
        assert hobro.current.takster[:2] == (D(332), D(498)) and hobro.current.oh_pct == D("5.4")
        beskyttet = offers["Beskyttet Beskæftigelse Mariagerfjord"]
        assert beskyttet.current.regulering == D(725_248)
        assert "2025 er demotal" in beskyttet.bemaerkning
        assert "Hadsund" in beskyttet.saerlige_forhold


def test_the_published_pdf_has_the_offers_numbers_marks_and_versions(demo_2026_rendered):
    takstbilag = demo_2026_rendered[1]
    takstbilag.pdf_job.refresh_from_db()
    assert takstbilag.pdf_job.status == "done"
    text = pdf_text(takstbilag.pdf_job.output.read())
    for expected in ("Takstbilag 2026", "Aalborg Kommune", "Syrenhuset", "Hviddalen",
                     "Væksthuset", "Børnehus Nord", "8.020", "7.734", "248", "▲",
                     "Mariagerfjord Kommune", "Aktivitetshuset Hobro", "15.999.963",
                     "DAS Social 23.02.2026, pkt. 10", "DAS Social 17.11.2025, pkt. 5"):
        assert expected in text, expected
    assert "Udkast" not in text.split("Versioner")[0][:200]


def test_the_xlsx_round_trips_with_numbers_as_numbers(demo_2026_rendered):
    takstbilag = demo_2026_rendered[1]
    wb = openpyxl.load_workbook(io.BytesIO(takstbilag.xlsx_job.output.read()))
    rows = list(wb["Takster"].iter_rows(min_row=2, values_only=True))
    rates = {r[1]: (r[6], r[7]) for r in rows if r[5] == "Takst 1"}
    assert rates["Syrenhuset"] == (224, 248) and rates["Hviddalen"] == (198, 175)
    assert rates["Børnehus Nord"] == (7734, 8020)
    versions = list(wb["Versioner"].iter_rows(min_row=2, values_only=True))
    assert [(v[0], v[6]) for v in versions] == [(1, "Nej"), (2, "Ja")]
    offers = {r[1]: r for r in wb["Tilbud"].iter_rows(min_row=2, values_only=True)}
    assert isinstance(offers["Syrenhuset"][6 + 6], int)  # 2026 places as a number


def test_a_remark_in_the_year_1_row_reaches_the_takstbilag(aalborg_2027):
    """The template lets the driftsherre explain a rise in either row of the block; the
    takstbilag shows the explanation wherever it stands."""
    import datetime

    from django.contrib.auth.models import User

    from takster import services
    from takster.models import RateLine

    lines = RateLine.objects.filter(upload=aalborg_2027.submitted_upload, tilbud_name="Syrenhuset")
    remark = lines.get(year=2027).bemaerkning
    assert remark.startswith("Stigningen skyldes")
    lines.filter(year=2027).update(bemaerkning="")
    lines.filter(year=2026).update(bemaerkning=remark)
    staff = User.objects.get(username="sekretariat")
    services.submission_recommend(submission=aalborg_2027, by=staff)
    services.submission_approve(submission=aalborg_2027, by=staff)
    services.das_approval_record(submissions=[aalborg_2027], by=staff,
                                 date=datetime.date(2026, 2, 23), reference="DAS 23.02.2026")
    draft = services.takstbilag_draft(rate_round=aalborg_2027.rate_round, by=staff,
                                      render=False)
    offers = {o.tilbud: o for o in _section(takstbilag_data(draft)).offers}
    assert offers["Syrenhuset"].bemaerkning == remark
    assert offers["Hviddalen"].bemaerkning == ""


def test_a_drafts_history_marks_it_as_draft_and_the_published_version_in_force(
    demo_2026, django_capture_on_commit_callbacks
):
    """A draft's version history said "Gældende" for the draft and "Erstattet" for the
    version actually in force; and the notes read "… Aalborg Kommune.; Demodata: …"."""
    from django.contrib.auth.models import User

    from takster.services import takstbilag_draft
    from takster.takstbilag import render_takstbilag_xlsx, takstbilag_context

    staff = User.objects.get(username="sekretariat")
    with django_capture_on_commit_callbacks(execute=True):
        draft = takstbilag_draft(rate_round=demo_2026[0].rate_round, by=staff,
                                 label="Udkast 3", render=False)
    data = takstbilag_data(draft)
    assert [data.version_status(v) for v in data.versions] == [
        "Erstattet", "Gældende", "Udkast"]
    assert [v["status"] for v in takstbilag_context(data)["versions"]] == [
        "Erstattet", "Gældende", "Udkast"]
    wb = openpyxl.load_workbook(io.BytesIO(render_takstbilag_xlsx(data)))
    assert [r[6] for r in wb["Versioner"].iter_rows(min_row=2, values_only=True)] == [
        "Nej", "Ja", "Nej"]
    for v in data.versions:
        assert ".;" not in v.note and "; " not in v.note, v.note
    assert "Aalborg Kommune. Demodata:" in data.versions[0].note
    published = takstbilag_data(demo_2026[1])
    assert [published.version_status(v) for v in published.versions] == [
        "Erstattet", "Gældende"]
