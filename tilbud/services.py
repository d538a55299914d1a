"""Every way the offer register changes: history entries and free-place reports."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import LedigKapacitet, Tilbud, TilbudChange

# Fields shown in the history, in form order. §§ and departments are summarised as text.
TRACKED_FIELDS = [
    "name", "tilbudsportalen_id", "driftsherre", "target_group", "unit", "places", "status",
    "status_year", "forstaerket_samarbejde", "address", "municipality", "contact",
    "description", "is_demo",
]


def _display(tilbud: Tilbud, name: str) -> str:
    field = Tilbud._meta.get_field(name)
    value = getattr(tilbud, name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def tilbud_snapshot(*, tilbud: Tilbud) -> dict[str, str]:
    """The offer as readable text per field label, read fresh from the database."""
    tilbud = (
        Tilbud.objects.select_related("driftsherre")
        .prefetch_related("paragraphs", "afdelinger__paragraphs")
        .get(pk=tilbud.pk)
    )
    snapshot = {
        str(Tilbud._meta.get_field(name).verbose_name): _display(tilbud, name)
        for name in TRACKED_FIELDS
    }
    snapshot["lovgrundlag (§§)"] = ", ".join(p.code for p in tilbud.paragraphs.all())
    snapshot["afdelinger"] = "; ".join(
        f"{a.name} ({a.places if a.places is not None else '–'} pl."
        f"{', ' + a.unit if a.unit else ''}"
        f"{', ' + ', '.join(p.code for p in a.paragraphs.all()) if a.paragraphs.all() else ''})"
        for a in tilbud.afdelinger.all()
    )
    return snapshot


def tilbud_record_change(
    *, tilbud: Tilbud, by, before: dict[str, str] | None, action: str | None = None
) -> TilbudChange | None:
    """Log the difference between `before` and the offer as saved now; nothing if unchanged."""
    after = tilbud_snapshot(tilbud=tilbud)
    before = before or {}
    changes = [
        {"field": label, "old": before.get(label, ""), "new": new}
        for label, new in after.items()
        if before.get(label, "") != new
    ]
    if action is None:
        action = TilbudChange.Action.CHANGED if before else TilbudChange.Action.CREATED
    if not changes and action != TilbudChange.Action.CREATED:
        return None
    return TilbudChange.objects.create(
        tilbud=tilbud, tilbud_name=tilbud.name, changed_by=by if by and by.pk else None,
        action=action, changes=changes,
    )


def tilbud_record_deletion(*, tilbud: Tilbud, by) -> TilbudChange:
    """Log a deletion before the row goes; the entry keeps the offer's name."""
    before = tilbud_snapshot(tilbud=tilbud)
    return TilbudChange.objects.create(
        tilbud=tilbud, tilbud_name=tilbud.name, changed_by=by,
        action=TilbudChange.Action.DELETED,
        changes=[{"field": k, "old": v, "new": ""} for k, v in before.items() if v],
    )

# An older count says nothing about free places today and would be hidden by newer reports.
KAPACITET_MAX_AGE = datetime.timedelta(days=31)


def kapacitet_report(
    *, tilbud: Tilbud, free_places: int, as_of: datetime.date, by, note: str = ""
) -> LedigKapacitet:
    """Record the number of free places in an offer on a date (recent, not in the future)."""
    today = timezone.localdate()
    if as_of > today:
        raise ValidationError({"as_of": "Datoen kan ikke ligge i fremtiden."})
    if as_of < today - KAPACITET_MAX_AGE:
        raise ValidationError(
            {"as_of": "Datoen er for gammel: ledig kapacitet skal være opgjort inden for "
                      f"de seneste {KAPACITET_MAX_AGE.days} dage."}
        )
    if tilbud.status == Tilbud.Status.ENDED:
        raise ValidationError("Et udgået tilbud kan ikke have ledig kapacitet.")
    report = LedigKapacitet(
        tilbud=tilbud, free_places=free_places, as_of=as_of, note=note, reported_by=by
    )
    report.full_clean()
    report.save()
    return report


def tilbud_import(*, data: bytes | str, file_format: str, dry_run: bool, by=None):
    """Import offers from an xlsx or csv file; one bad row rolls back the whole file."""
    from import_export.formats.base_formats import XLSX

    from .resources import DanishCSV, TilbudResource

    formats = {"xlsx": XLSX, "csv": DanishCSV}
    if file_format not in formats:
        raise ValidationError(
            f"Filformatet '{file_format}' understøttes ikke (brug xlsx eller csv)."
        )
    dataset = formats[file_format]().create_dataset(data)
    return TilbudResource().import_data(
        dataset, dry_run=dry_run, raise_errors=False, use_transactions=True,
        rollback_on_validation_errors=True, user=by,
    )


def tilbud_export(*, file_format: str, queryset=None) -> bytes | str:
    """The register as xlsx or csv for a Danish Excel, with formula-like cells escaped."""
    from .resources import DanishCSV, DanishXLSX, TilbudResource

    fmt = {"xlsx": DanishXLSX, "csv": DanishCSV}[file_format]()
    dataset = TilbudResource().export(queryset)
    return fmt.export_data(dataset)
