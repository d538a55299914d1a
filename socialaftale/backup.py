"""Backup and restore: a PostgreSQL dump plus the media folder, and a check of every file.

A backup is a folder with `database.dump` (pg_dump custom format), `media.tar.gz` (all of
MEDIA_ROOT: uploaded sheets, attachments, rendered documents) and `manifest.json`. Restoring
needs an empty database; afterwards every rate-sheet upload is looked up in the restored
media folder and its sha256 compared with the one recorded at upload time.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """Refused or failed; the message says why (Danish, shown by the commands)."""


@dataclass
class FileCheck:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.changed


def _pg_args(database: dict) -> tuple[list[str], dict[str, str]]:
    if not database["ENGINE"].endswith("postgresql"):
        raise BackupError("Backup og gendannelse kræver PostgreSQL (DATABASE_URL=postgres://...).")
    args = ["-h", database.get("HOST") or "127.0.0.1", "-p", str(database.get("PORT") or 5432),
            "-U", database.get("USER") or "postgres"]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def _connect(database: dict) -> psycopg.Connection:
    return psycopg.connect(
        host=database.get("HOST") or "127.0.0.1", port=database.get("PORT") or 5432,
        user=database.get("USER") or "postgres", password=database.get("PASSWORD") or None,
        dbname=database["NAME"], autocommit=True,
    )


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} fejlede: {result.stderr.strip()[-2000:]}")


def backup_create(*, directory: Path, database: dict, media_root: Path) -> dict:
    """Write the dump, the media archive and the manifest into `directory` (made if missing)."""
    args, env = _pg_args(database)
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(f"Mappen {directory} er ikke tom; vælg en ny mappe til backuppen.")
    _run(["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges",
          "--file", str(directory / DUMP), database["NAME"]], env)
    files = 0
    with tarfile.open(directory / MEDIA, "w:gz") as archive:
        if media_root.exists():
            for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
                archive.add(path, arcname=str(path.relative_to(media_root)))
                files += 1
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": database["NAME"], "media_files": files,
        "dump_sha256": _sha256(directory / DUMP), "media_sha256": _sha256(directory / MEDIA),
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def backup_restore(*, directory: Path, database: dict, media_root: Path) -> FileCheck:
    """Restore a backup into an empty database and media folder, then check the uploads."""
    args, env = _pg_args(database)
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    for name, key in ((DUMP, "dump_sha256"), (MEDIA, "media_sha256")):
        if _sha256(directory / name) != manifest[key]:
            raise BackupError(f"{name} i backuppen er beskadiget (sha256 passer ikke).")
    with _connect(database) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    if tables:
        raise BackupError(
            f"Databasen {database['NAME']} er ikke tom ({tables} tabeller). Gendan i en ny, "
            "tom database (createdb), og peg DATABASE_URL på den."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"Mediemappen {media_root} er ikke tom; gendan i en tom mappe.")
    _run(["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error",
          "--dbname", database["NAME"], str(directory / DUMP)], env)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / MEDIA, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return check_uploads(database=database, media_root=media_root)


def check_uploads(*, database: dict, media_root: Path) -> FileCheck:
    """Every rate-sheet upload's file exists under `media_root` with its recorded sha256."""
    from takster.models import Upload

    table = Upload._meta.db_table
    check = FileCheck()
    with _connect(database) as conn:
        rows = conn.execute(f'SELECT file, sha256 FROM "{table}" ORDER BY id').fetchall()
    for name, digest in rows:
        check.checked += 1
        path = media_root / name
        if not path.is_file():
            check.missing.append(name)
        elif _sha256(path) != digest:
            check.changed.append(name)
    return check


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
