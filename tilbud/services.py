"""Every way the offer register changes: history entries and free-place reports."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
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


def kapacitet_stale_before(*, today: datetime.date | None = None) -> datetime.date:
    """Reports dated before this day are stale (older than `KAPACITET_MAX_AGE`, 31 days)."""
    return (today or timezone.localdate()) - KAPACITET_MAX_AGE


def kapacitet_is_stale(*, as_of: datetime.date | None, today: datetime.date | None = None) -> bool:
    """A report older than 31 days no longer says much: it is marked stale. Exactly 31 days
    old is still current; no report at all is not "stale" but missing."""
    return as_of is not None and as_of < kapacitet_stale_before(today=today)


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


def kapacitet_report_many(
    *, driftsherre, rows: list[tuple[Tilbud, int | None, str]], as_of: datetime.date, by
) -> list[LedigKapacitet]:
    """Free places for several of a driftsherre's offers at once, all saved or none.

    `rows` are (offer, free places or None to leave the offer out, note). Errors are raised
    as one ValidationError keyed by offer id ("as_of" for the date), so the form can show
    each next to its row and keep what was typed.
    """
    errors: dict[str, list[str]] = {}
    reports = []
    with transaction.atomic():
        for tilbud, free_places, note in rows:
            if free_places is None:
                continue
            if tilbud.driftsherre_id != driftsherre.pk:
                errors[str(tilbud.pk)] = ["Tilbuddet hører til en anden driftsherre."]
                continue
            try:
                reports.append(kapacitet_report(
                    tilbud=tilbud, free_places=free_places, as_of=as_of, by=by, note=note))
            except ValidationError as exc:
                messages = exc.message_dict if hasattr(exc, "error_dict") else {
                    "__all__": exc.messages}
                if "as_of" in messages:
                    errors["as_of"] = messages["as_of"]
                errors.setdefault(str(tilbud.pk), []).extend(
                    m for key, ms in messages.items() if key != "as_of" for m in ms)
                if not errors[str(tilbud.pk)]:
                    del errors[str(tilbud.pk)]
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ValidationError(errors)
    return reports


def kapacitet_overdue(*, today: datetime.date | None = None) -> dict[int, list[Tilbud]]:
    """Per driftsherre id its current offers whose latest report is stale or missing."""
    from .selectors import with_latest_kapacitet

    stale_before = kapacitet_stale_before(today=today)
    overdue: dict[int, list[Tilbud]] = {}
    offers = with_latest_kapacitet(
        Tilbud.objects.exclude(status=Tilbud.Status.ENDED).order_by("name"))
    for tilbud in offers:
        if tilbud.latest_as_of is None or tilbud.latest_as_of < stale_before:
            overdue.setdefault(tilbud.driftsherre_id, []).append(tilbud)
    return overdue


def kapacitet_reminders_send(*, today: datetime.date | None = None) -> list[str]:
    """Remind every driftsherre with stale or missing free-places reports; returns the names."""
    from django.contrib.auth import get_user_model

    from socialaftale.models import Driftsherre

    overdue = kapacitet_overdue(today=today)
    emails: dict[int, set[str]] = {}
    for driftsherre_id, email in get_user_model().objects.filter(
        profile__driftsherre_id__in=overdue, is_active=True
    ).exclude(email="").values_list("profile__driftsherre_id", "email"):
        emails.setdefault(driftsherre_id, set()).add(email)
    names = []
    for driftsherre in Driftsherre.objects.filter(pk__in=overdue).order_by("name"):
        recipients = sorted(emails.get(driftsherre.pk, set()))
        if recipients:
            kapacitet_reminder_send(driftsherre=driftsherre, offers=overdue[driftsherre.pk],
                                    recipients=recipients, today=today)
            names.append(driftsherre.name)
    return names


def kapacitet_reminder_send(
    *, driftsherre, offers: list[Tilbud], recipients: list[str], today: datetime.date | None = None
):
    """The free-places reminder, as notification rows (one per recipient, at most one a week)."""
    from django.urls import reverse

    from socialaftale.notifications import absolute_url, notify

    today = today or timezone.localdate()
    lines = "\n".join(
        f"- {t.name}: " + (f"sidst bekræftet {t.latest_as_of:%d.%m.%Y}" if t.latest_as_of
                           else "aldrig indberettet")
        for t in offers
    )
    url = absolute_url(reverse("tilbud:kapacitet_bulk"))
    body = (
        f"Kære {driftsherre.name}\n\nLedig kapacitet er ikke bekræftet inden for de seneste "
        f"{KAPACITET_MAX_AGE.days} dage for:\n\n{lines}\n\nBekræft eller ret tallene for "
        f"alle jeres tilbud på én gang her:\n{url}"
    )
    year, week_number, _ = today.isocalendar()
    week = f"{year}-{week_number:02d}"
    return notify(
        kind="kapacitet_reminder", to=recipients, subject="Påmindelse: bekræft ledig kapacitet",
        body=body, url=url, key=f"kapacitet:{driftsherre.slug}:{week}", driftsherre=driftsherre,
    )


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
