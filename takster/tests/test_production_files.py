"""Stored files leave only through checked views; file names and XML prologs are safe."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from takster.models import Upload
from takster.validation import UnsafeWorkbook
from takster.validation.params import RateSheetParams
from takster.validation.safety import check_workbook_bytes
from takster.validation.samples import build_seed_like_workbook

pytestmark = pytest.mark.django_db

BOUNDARY = "----i14bBoundary"
PARAMS = RateSheetParams(budget_year=2027, pl_kommuner=Decimal("3.10"), pl_regioner=Decimal("2.46"))


def upload_url(rate_round, driftsherre):
    return reverse("takster:upload_create", args=[rate_round.pk, driftsherre.pk])


def post_raw_file(client, url: str, content: bytes, filename: str, capture):
    """Post the file as a browser does: the full name in the part header, not cut to 255."""
    body = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
        "\r\n"
    ).encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()
    with capture(execute=True):
        return client.generic(
            "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
        )


# ------------------------------------------------------------------ downloads


def test_upload_download_streams_the_stored_bytes_without_accel_prefix(
    client, stored_upload, mf_user, settings
):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = ""
    upload = stored_upload()
    client.force_login(mf_user)
    response = client.get(reverse("takster:upload_file", args=[upload.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == upload.file.open("rb").read()
    assert "X-Accel-Redirect" not in response
    assert response["Cache-Control"] == "private, no-store"


def test_upload_download_hands_the_file_to_nginx_with_accel_prefix(
    client, stored_upload, mf_user, settings
):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/_beskyttet/"
    upload = stored_upload(name="Mariagerfjord takster 2027.xlsx")
    client.force_login(mf_user)
    response = client.get(reverse("takster:upload_file", args=[upload.pk]))
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/_beskyttet/" + upload.file.name
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Mariagerfjord" in response["Content-Disposition"]


def test_another_driftsherre_gets_404_and_no_accel_header(
    client, stored_upload, aalborg_user, settings
):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/_beskyttet/"
    upload = stored_upload()
    client.force_login(aalborg_user)
    response = client.get(reverse("takster:upload_file", args=[upload.pk]))
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_media_url_of_a_stored_upload_is_404_even_with_debug_on(client, stored_upload, settings):
    import importlib

    from django.urls import clear_url_caches

    import socialaftale.urls

    upload = stored_upload()
    settings.DEBUG = True
    importlib.reload(socialaftale.urls)  # as if the project started with DEBUG on
    clear_url_caches()
    try:
        for url in (settings.MEDIA_URL + upload.file.name, upload.file.url):
            assert client.get(url).status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(socialaftale.urls)
        clear_url_caches()


# ------------------------------------------------------------------ file names


@pytest.mark.parametrize("length", [255, 254])
def test_a_name_at_the_limit_is_accepted_shortened_with_its_suffix(
    client, rate_round, mariagerfjord, mf_user, django_capture_on_commit_callbacks, length
):
    client.force_login(mf_user)
    name = "å" * (length - 5) + ".xlsx"
    response = post_raw_file(client, upload_url(rate_round, mariagerfjord),
                             build_seed_like_workbook(), name,
                             django_capture_on_commit_callbacks)
    upload = Upload.objects.get()
    assert response.status_code == 302
    assert len(upload.original_name) == 200 and upload.original_name.endswith(".xlsx")
    upload.job.refresh_from_db()
    assert upload.job.status == upload.job.Status.DONE
    assert not upload.findings.filter(code="FILE_TYPE").exists()
    html = client.get(response.url).content.decode()
    assert "Kun Excel" not in html


@pytest.mark.parametrize("length", [256, 5000])
def test_a_name_past_the_limit_gets_a_danish_form_error(
    client, rate_round, mariagerfjord, mf_user, django_capture_on_commit_callbacks, length
):
    client.force_login(mf_user)
    name = "a" * (length - 5) + ".xlsx"
    response = post_raw_file(client, upload_url(rate_round, mariagerfjord),
                             build_seed_like_workbook(), name,
                             django_capture_on_commit_callbacks)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Filnavnet er for langt ({length:,} tegn; højst 255)".replace(",", ".") in html
    assert not Upload.objects.exists()


# ------------------------------------------------------------------ DOCTYPE


def _with_member(content: bytes, member: str, transform) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, transform(data) if info.filename == member else data)
    return out.getvalue()


DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def _body(data: bytes) -> bytes:
    """The member's XML without its declaration (openpyxl writes none for sheets)."""
    return data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data


def _doctype_after(padding: bytes):
    def transform(data: bytes) -> bytes:
        return DECLARATION + padding + b'<!DOCTYPE x [<!ENTITY e "boom">]>' + _body(data)

    return transform


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml",
                                    "xl/styles.xml", "[Content_Types].xml"])
@pytest.mark.parametrize("padding", [
    b"", b" " * 10_000, b"<!-- " + b"x" * 200_000 + b" -->\n",
    b"<?pi " + b"y" * 70_000 + b"?>",
])
def test_doctype_is_refused_wherever_it_stands_before_the_root(member, padding):
    bad = _with_member(build_seed_like_workbook(), member, _doctype_after(padding))
    with pytest.raises(UnsafeWorkbook, match="ikke-tilladte XML-konstruktioner"):
        check_workbook_bytes(bad, PARAMS)


def test_doctype_in_utf16_is_refused():
    def to_utf16(data: bytes) -> bytes:
        body = _body(data).decode()
        return ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x>' + body).encode("utf-16")

    bad = _with_member(build_seed_like_workbook(), "xl/worksheets/sheet1.xml", to_utf16)
    with pytest.raises(UnsafeWorkbook, match="ikke-tilladte XML-konstruktioner"):
        check_workbook_bytes(bad, PARAMS)


def test_comments_and_whitespace_before_the_root_are_fine():
    padded = _with_member(
        build_seed_like_workbook(), "xl/worksheets/sheet1.xml",
        lambda data: DECLARATION + b" " * 100_000 + b"<!-- ok -->" + _body(data),
    )
    assert check_workbook_bytes(padded, PARAMS).sheet_parts


def test_doctype_upload_through_the_form_is_reported_in_danish(
    client, rate_round, mariagerfjord, mf_user, django_capture_on_commit_callbacks
):
    client.force_login(mf_user)
    bad = _with_member(build_seed_like_workbook(), "xl/worksheets/sheet1.xml",
                       _doctype_after(b" " * 8_000))
    response = post_raw_file(client, upload_url(rate_round, mariagerfjord), bad, "takster.xlsx",
                             django_capture_on_commit_callbacks)
    html = client.get(response.url, follow=True).content.decode()
    assert "ikke-tilladte XML-konstruktioner" in html


# ------------------------------------------------------------------ admin links


def test_admin_links_stored_files_to_the_checked_views(client, stored_upload, make_user,
                                                       settings):
    from pathlib import Path

    from django.core.files.base import ContentFile

    from moeder.models import AgendaItem, Attachment

    upload = stored_upload()
    client.force_login(make_user("sekretariat"))
    html = client.get(reverse("admin:takster_upload_change", args=[upload.pk])).content.decode()
    assert reverse("takster:upload_file", args=[upload.pk]) in html
    assert f'href="{settings.MEDIA_URL}' not in html

    fixtures = Path(settings.BASE_DIR) / "fixtures"
    from django.core.management import call_command

    call_command("loaddata", str(fixtures / "moeder.json"), verbosity=0)
    item = AgendaItem.objects.first()
    attachment = Attachment(item=item, title="Bilag 1")
    attachment.file.save("bilag.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    html = client.get(reverse("admin:moeder_agendaitem_change", args=[item.pk])).content.decode()
    assert f'href="{reverse("moeder:attachment", args=[attachment.pk])}"' in html
    assert f'href="{settings.MEDIA_URL}' not in html


def test_every_download_view_sends_files_through_send_stored_file(settings):
    """One helper for stored files: no view builds its own FileResponse (or X-Accel header)."""
    from pathlib import Path

    offenders = []
    for app in ("socialaftale", "tilbud", "takster", "moeder", "bifrost"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "tests" in path.parts or path.name == "downloads.py":
                continue
            text = path.read_text(encoding="utf-8")
            if "FileResponse(" in text or '["X-Accel-Redirect"]' in text:
                offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert not offenders


@pytest.mark.parametrize("name, expected", [
    ("skema.xlsx", "skema.xlsx"),
    ("a" * 195 + ".xlsx", "a" * 195 + ".xlsx"),  # exactly 200: unchanged
    ("a" * 196 + ".xlsx", "a" * 195 + ".xlsx"),  # 201: shortened, suffix kept
    ("C:\\fakepath\\..\\" + "b" * 300 + ".XLSX", "b" * 195 + ".XLSX"),
    ("c" * 300, "c" * 200),  # no suffix to keep
])
def test_shorten_filename_keeps_the_suffix(name, expected):
    from socialaftale.uploads import shorten_filename

    assert shorten_filename(name.replace("\\", "/"), max_chars=200) == expected
