from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from socialaftale.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Tager en backup: pg_dump af databasen og hele mediemappen (MEDIA_ROOT) i MAPPE."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="En ny, tom mappe til backuppen.")

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = backup_create(directory=directory, database=settings.DATABASES["default"],
                                     media_root=Path(settings.MEDIA_ROOT))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup af {manifest['database']} med {manifest['media_files']} "
                          f"filer gemt i {directory}.")
