import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialaftale.models import Driftsherre, Styringsparametre
from takster.models import Upload
from takster.services import round_open, upload_store
from tilbud.models import Afdeling, Tilbud

KAERVEJ = "Bo og Aktivitetstilbud Kærvej"
HOBRO = "Aktivitetshuset Hobro"
BESKYTTET = "Beskyttet Beskæftigelse Mariagerfjord"


@pytest.fixture
def rate_round(reference_data):
    parameters = Styringsparametre.objects.get(budget_year=2027)
    return round_open(parameters=parameters, deadline=datetime.date(2026, 8, 15))


@pytest.fixture
def mariagerfjord(reference_data):
    driftsherre = Driftsherre.objects.get(slug="mariagerfjord")
    kaervej = Tilbud.objects.create(
        driftsherre=driftsherre, name=KAERVEJ, unit="Døgn", places=15
    )
    kaervej.paragraphs.create(code="ABL § 105", sort_order=1)
    hobro = Tilbud.objects.create(driftsherre=driftsherre, name=HOBRO, unit="Dag", places=50)
    Afdeling.objects.create(tilbud=hobro, name="Værkstedet", places=20)
    Tilbud.objects.create(driftsherre=driftsherre, name=BESKYTTET, unit="Dag", places=57)
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
