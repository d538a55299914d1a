import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialaftale.models import Driftsherre, Styringsparametre
from takster.models import Upload
from takster.services import round_open, upload_store
from tilbud.tests.factories import AfdelingFactory, TilbudFactory

KAERVEJ = "Bo og Aktivitetstilbud Kærvej"
HOBRO = "Aktivitetshuset Hobro"
BESKYTTET = "Beskyttet Beskæftigelse Mariagerfjord"


@pytest.fixture
def rate_round(reference_data):
    parameters = Styringsparametre.objects.get(budget_year=2027)
    return round_open(parameters=parameters, deadline=datetime.date(2026, 8, 15))


@pytest.fixture
def round_2028(rate_round):
    """The round after the first year of the new template (2027): year 1 is prefilled."""
    parameters = Styringsparametre.objects.create(
        budget_year=2028, pl_kommuner=rate_round.parameters.pl_kommuner,
        pl_regioner=rate_round.parameters.pl_regioner, days_in_year=366,
    )
    return round_open(parameters=parameters, deadline=datetime.date(2027, 8, 15))


@pytest.fixture
def mariagerfjord(reference_data):
    driftsherre = Driftsherre.objects.get(slug="mariagerfjord")
    TilbudFactory(driftsherre=driftsherre, name=KAERVEJ, unit="Døgn", places=15,
                  paragraphs=["ABL § 105"])
    hobro = TilbudFactory(driftsherre=driftsherre, name=HOBRO, unit="Dag", places=50)
    AfdelingFactory(tilbud=hobro, name="Værkstedet", places=20)
    TilbudFactory(driftsherre=driftsherre, name=BESKYTTET, unit="Dag", places=57)
    return driftsherre


@pytest.fixture
def aalborg(reference_data):
    return Driftsherre.objects.get(slug="aalborg")


@pytest.fixture
def mf_user(make_user, mariagerfjord):
    return make_user("driftsherre", mariagerfjord, username="mf")


@pytest.fixture
def aalborg_user(make_user, aalborg):
    return make_user("driftsherre", aalborg, username="aal")


@pytest.fixture
def staff(make_user, reference_data):
    return make_user("sekretariat", username="sek")


@pytest.fixture
def das_user(make_user, reference_data):
    return make_user("das", username="dasmedlem")


def xlsx_file(content: bytes, name: str = "takster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def workbook_bytes(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def fill_year2(content: bytes, values: dict[str, object]) -> bytes:
    """Fill cells of the first sheet like a user would in Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    for ref, value in values.items():
        ws[ref] = value
    return workbook_bytes(wb)


@pytest.fixture
def stored_upload(rate_round, mariagerfjord, mf_user, django_capture_on_commit_callbacks):
    """The seed-like Mariagerfjord workbook, stored and validated (eager Celery)."""
    from takster.validation.samples import build_seed_like_workbook

    def make(content: bytes | None = None, name: str = "takster.xlsx") -> Upload:
        with django_capture_on_commit_callbacks(execute=True):
            upload = upload_store(
                rate_round=rate_round, driftsherre=mariagerfjord,
                content=content if content is not None else build_seed_like_workbook(),
                original_name=name, by=mf_user,
            )
        upload.refresh_from_db()
        if upload.job:
            upload.job.refresh_from_db()
        return upload

    return make


D = Decimal


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users are made by the dozen; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --------------------------------------------------------------------------- issue 6


@pytest.fixture
def seed_meetings(reference_data):
    """The DAS Social meetings of 17 Nov 2025 and 23 Feb 2026 (and the planned ones)."""
    from pathlib import Path

    from django.core.management import call_command

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    call_command("loaddata", str(fixtures / "moeder.json"), verbosity=0)
    from moeder.models import AgendaItem

    return {
        (str(i.meeting.date), i.number): i
        for i in AgendaItem.objects.select_related("meeting")
    }


def _load_demo_2026(make_user, capture, *, render: bool):
    import io

    from takster import demo
    from takster.models import Takstbilag

    make_user("sekretariat", username="sekretariat")
    make_user("driftsherre", Driftsherre.objects.get(slug="aalborg"), username="aalborg")
    with capture(execute=render):
        demo.load_2026(stdout=io.StringIO(), render=render)
    return list(Takstbilag.objects.order_by("version"))


@pytest.fixture
def demo_2026(seed_meetings, make_user, django_capture_on_commit_callbacks):
    """The 2026 demo: Aalborg approved 17.11.2025 and revised 23.02.2026, both published
    (the PDF/xlsx jobs stay queued, except in transactional tests where they run)."""
    return _load_demo_2026(make_user, django_capture_on_commit_callbacks, render=False)


@pytest.fixture
def demo_2026_rendered(seed_meetings, make_user, django_capture_on_commit_callbacks):
    """The 2026 demo with its PDFs and workbooks rendered (eager Celery)."""
    return _load_demo_2026(make_user, django_capture_on_commit_callbacks, render=True)


def clean_submitted(stored_upload, user, remark: str = "Ny normering."):
    """A validated version without errors, its warnings acknowledged, submitted (pass another
    `remark` for a corrected version after a return)."""
    from takster.services import acknowledgements_save, submission_submit
    from takster.tests.test_validation_rules import filled, template

    upload = stored_upload(filled({"J10": 0.09, "Y9": remark}, base=template()))
    assert upload.errors_count == 0
    comments = {f.pk: "Kendt." for f in upload.findings.filter(severity="warning")}
    acknowledgements_save(upload=upload, comments=comments, by=user)
    return submission_submit(upload=upload, by=user)


def _aalborg_2027(make_user, *, username="aalborg", email="takster-aalborg@example.dk"):
    """Aalborg's submitted 2027 demo sheet (takster.demo.load_2027_aalborg) with Aalborg's
    offers in the register, the round, the users (with e-mail addresses) and DAS Social's
    meetings.

    The offers are made by factories (found when they exist), not loaded from
    fixtures/tilbud.json: that file's explicit ids overwrote the offers an earlier fixture had
    made (on SQLite Mariagerfjord's Kærvej became Aalborg's Syrenhuset under the rate lines
    pointing to it) or collided with them on PostgreSQL, whose sequences have moved on."""
    import io
    from pathlib import Path

    from django.core.management import call_command

    from takster import demo
    from takster.models import Submission

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    call_command("loaddata", str(fixtures / "moeder.json"), verbosity=0)
    from django.contrib.auth.models import User

    aalborg = Driftsherre.objects.get(slug="aalborg")
    for name, paragraph, unit, *_ in demo.AALBORG_2027:
        TilbudFactory(driftsherre=aalborg, name=name, unit=unit, paragraphs=[paragraph])
    user = User.objects.filter(username=username).first() or make_user(
        "driftsherre", aalborg, username=username)
    user.email = email
    user.save()
    staff = User.objects.filter(username="sekretariat").first() or make_user(
        "sekretariat", username="sekretariat")
    staff.email = "sekretariat@example.dk"
    staff.save()
    parameters = Styringsparametre.objects.get(budget_year=2027)
    if not hasattr(parameters, "rate_round"):
        round_open(parameters=parameters, deadline=datetime.date(2026, 8, 15))
    demo.load_2027_aalborg(stdout=io.StringIO())
    return Submission.objects.select_related("submitted_upload").get(
        driftsherre=aalborg, rate_round__parameters__budget_year=2027)


@pytest.fixture
def aalborg_2027(reference_data, make_user):
    return _aalborg_2027(make_user)
