"""Backup and restore (PostgreSQL): every uploaded sheet comes back with its sha256 intact."""

import hashlib

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from takster.models import Upload
from takster.tests.test_validation_rules import filled, template

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres():
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        pytest.skip("Backup/gendannelse bruger pg_dump og kræver PostgreSQL.")
    return db


@pytest.fixture
def empty_database(postgres):
    name = f"{postgres['NAME']}_gendannet"
    params = {"host": postgres["HOST"] or "127.0.0.1", "port": postgres["PORT"] or 5432,
              "user": postgres["USER"], "password": postgres.get("PASSWORD") or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name, (f"postgres://{params['user']}@{params['host']}:{params['port']}/{name}")
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_into_an_empty_database_finds_every_upload_intact(
    stored_upload, empty_database, media_root, tmp_path, capsys
):
    uploads = [stored_upload(), stored_upload(filled({"J10": 0.09}, base=template()))]
    uploads.append(stored_upload(filled({"J10": 0.08}, base=template())))
    assert Upload.objects.count() == 3
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media.tar.gz",
                                                  "manifest.json"}

    name, url = empty_database
    restored_media = tmp_path / "gendannet-media"
    call_command("restore", str(backup), "--database-url", url, "--media-root",
                 str(restored_media))
    assert "alle 3 uploadede skemaer findes med uændret sha256" in capsys.readouterr().out

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT file, sha256, original_name FROM takster_upload").fetchall()
    assert sorted(r[1] for r in rows) == sorted(u.sha256 for u in uploads)
    for file_name, digest, _ in rows:
        assert hashlib.sha256((restored_media / file_name).read_bytes()).hexdigest() == digest


def test_restore_refuses_a_database_that_is_not_empty(stored_upload, postgres, tmp_path):
    stored_upload()
    call_command("backup", str(tmp_path / "b"))
    with pytest.raises(CommandError, match="er ikke tom"):
        call_command("restore", str(tmp_path / "b"), "--media-root", str(tmp_path / "m"))


def test_a_damaged_backup_is_refused(stored_upload, empty_database, tmp_path):
    stored_upload()
    backup = tmp_path / "b"
    call_command("backup", str(backup))
    with (backup / "media.tar.gz").open("ab") as handle:
        handle.write(b"x")
    with pytest.raises(CommandError, match="beskadiget"):
        call_command("restore", str(backup), "--database-url", empty_database[1],
                     "--media-root", str(tmp_path / "m"))


def test_a_missing_file_after_restore_is_reported(
    stored_upload, empty_database, media_root, tmp_path
):
    upload = stored_upload()
    (media_root / upload.file.name).unlink()  # lost before the backup was taken
    backup = tmp_path / "b"
    call_command("backup", str(backup))
    with pytest.raises(CommandError, match="1 filer mangler"):
        call_command("restore", str(backup), "--database-url", empty_database[1],
                     "--media-root", str(tmp_path / "m"))
