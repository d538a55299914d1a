from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from socialaftale.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Gendanner en backup fra MAPPE i en tom database og en tom mediemappe og "
            "kontrollerer bagefter hver uploadet fils sha256.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--database-url", help="Standard: den konfigurerede DATABASE_URL.")
        parser.add_argument("--media-root", type=Path, help="Standard: MEDIA_ROOT.")

    def handle(self, *args, directory: Path, database_url=None, media_root=None, **options):
        database = (dj_database_url.parse(database_url) if database_url
                    else settings.DATABASES["default"])
        try:
            check = backup_restore(directory=directory, database=database,
                                   media_root=media_root or Path(settings.MEDIA_ROOT))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not check.ok:
            raise CommandError(
                f"Gendannet, men {len(check.missing)} filer mangler og {len(check.changed)} "
                f"har ændret indhold: {', '.join((check.missing + check.changed)[:10])}"
            )
        self.stdout.write(f"Gendannet i {database['NAME']}: alle {check.checked} uploadede "
                          "skemaer findes med uændret sha256.")
