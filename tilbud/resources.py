"""Bulk import/export of the offer register (django-import-export), xlsx and csv.

Rows are checked before anything is written: an unknown driftsherre, §§, unit or status
rejects the row with its spreadsheet row number and a Danish message, and the whole import
is rolled back when any row fails. Exported text cells that a spreadsheet would read as a
formula are prefixed with an apostrophe.
"""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm
from import_export.results import RowResult

from socialaftale.models import Driftsherre
from socialaftale.spreadsheets import (
    CSV_DELIMITER,
    FORMULA_PREFIXES,
    csv_delimiter_of,
    csv_text,
    escape_formula,
    xlsx_workbook,
)

from . import services
from .models import Paragraf, Tilbud, TilbudChange

PARAGRAPH_SEPARATOR = ";"
SHEET_TITLE = "Tilbud"
XLSX_WIDTHS = {"Navn": 40, "Driftsherre": 24, "§§": 18, "Målgruppe": 40, "Adresse": 30,
               "Kontakt": 30, "Beskrivelse": 50, "Afdelinger (kun eksport)": 40}
REQUIRED_COLUMNS = ["Navn", "Driftsherre"]
MAX_IMPORT_BYTES = 5 * 1024 * 1024
TRUE_WORDS = {"ja", "j", "x", "1", "true", "sand"}
FALSE_WORDS = {"nej", "n", "0", "false", "falsk", ""}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _driftsherre_keys() -> dict[str, Driftsherre]:
    """Every accepted spelling of a driftsherre: "Aalborg Kommune", "aalborg", slug."""
    keys = {}
    for driftsherre in Driftsherre.objects.all():
        for key in (driftsherre.name, driftsherre.slug, driftsherre.name.removesuffix(" Kommune")):
            keys[key.casefold()] = driftsherre
    return keys


class ParagraphsWidget(widgets.ManyToManyWidget):
    def __init__(self):
        super().__init__(Paragraf, separator=PARAGRAPH_SEPARATOR, field="code")

    def clean(self, value, row=None, **kwargs):
        codes = [c.strip() for c in _text(value).split(PARAGRAPH_SEPARATOR) if c.strip()]
        return Paragraf.objects.filter(code__in=codes)

    def render(self, value, obj=None, **kwargs):
        return f"{PARAGRAPH_SEPARATOR} ".join(p.code for p in value.all()) if value else ""


class TextWidget(widgets.CharWidget):
    """Text; an empty cell (None) becomes "", and our own formula escape is undone."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value) if not isinstance(value, str) else value.strip(" ")
        if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_PREFIXES):
            return text[1:]
        return text


def _text_field(attribute: str, column_name: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column_name, widget=TextWidget())


def parse_whole_number(value) -> int | None:
    """A whole, non-negative number from a cell: 12, 12.0, "12" or Danish "1.200"."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if value < 0 or value != int(value):
            raise ValueError(value)
        return int(value)
    text = str(value).strip().replace(".", "").replace(" ", "").replace("\xa0", "")
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(value)
    return int(text)


class WholeNumberWidget(widgets.Widget):
    """Whole numbers without thousands separators on export (Danish "1.200" is read)."""

    def clean(self, value, row=None, **kwargs):
        return parse_whole_number(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class LabelChoiceWidget(widgets.Widget):
    """A choice field read by value or Danish label, written as the label."""

    def __init__(self, choices):
        self.by_key = {}
        for value, label in choices:
            self.by_key[str(value).casefold()] = value
            self.by_key[str(label).casefold()] = value
        self.labels = dict(choices)

    def clean(self, value, row=None, **kwargs):
        return self.by_key.get(_text(value).casefold(), _text(value))

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value or ""))


class DanishBooleanWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        return _text(value).casefold() in TRUE_WORDS

    def render(self, value, obj=None, **kwargs):
        return "ja" if value else "nej"


class DanishCSV(CSV):
    """Semicolon-separated with a UTF-8 BOM on export; reads ";" and "," files alike."""

    def export_data(self, dataset, **kwargs):
        return csv_text(dataset.export("csv", delimiter=CSV_DELIMITER))

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream.decode("utf-8-sig") if isinstance(in_stream, bytes) else in_stream
        text = text.removeprefix("\ufeff")
        return tablib.import_set(text, format="csv", delimiter=csv_delimiter_of(text))


class DanishXLSX(XLSX):
    """A sheet named after its content, numbers as numbers with a format, a bold header."""

    def export_data(self, dataset, **kwargs):
        return xlsx_workbook(sheet_title=dataset.title or SHEET_TITLE, headers=dataset.headers,
                             rows=dataset, widths=XLSX_WIDTHS)


class DanishExportForm(SelectableFieldsExportForm):
    """The column checkboxes show the Danish column names, not "Name (Navn)"."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return field.column_name if field and field.column_name else field_name


class TilbudResource(resources.ModelResource):
    name = _text_field("name", "Navn")
    # before_import_row has replaced any accepted spelling with the exact name.
    driftsherre = fields.Field(
        attribute="driftsherre", column_name="Driftsherre",
        widget=widgets.ForeignKeyWidget(Driftsherre, field="name"),
    )
    paragraphs = fields.Field(
        attribute="paragraphs", column_name="§§", widget=ParagraphsWidget()
    )
    tilbudsportalen_id = fields.Field(
        attribute="tilbudsportalen_id", column_name="Tilbudsportalen-id",
        widget=WholeNumberWidget(),
    )
    target_group = _text_field("target_group", "Målgruppe")
    unit = fields.Field(
        attribute="unit", column_name="Enhed", widget=LabelChoiceWidget(Tilbud.Unit.choices)
    )
    places = fields.Field(
        attribute="places", column_name="Pladser", widget=WholeNumberWidget()
    )
    status = fields.Field(
        attribute="status", column_name="Status",
        widget=LabelChoiceWidget(Tilbud.Status.choices),
    )
    status_year = fields.Field(
        attribute="status_year", column_name="Status fra år", widget=WholeNumberWidget()
    )
    forstaerket_samarbejde = fields.Field(
        attribute="forstaerket_samarbejde", column_name="Forstærket samarbejde",
        widget=DanishBooleanWidget(),
    )
    address = _text_field("address", "Adresse")
    municipality = _text_field("municipality", "Beliggenhedskommune")
    contact = _text_field("contact", "Kontakt")
    description = _text_field("description", "Beskrivelse")
    is_demo = fields.Field(
        attribute="is_demo", column_name="Demodata", widget=DanishBooleanWidget()
    )
    afdelinger = fields.Field(column_name="Afdelinger (kun eksport)", readonly=True)

    class Meta:
        model = Tilbud
        import_id_fields = ["driftsherre", "name"]
        fields = [
            "name", "driftsherre", "paragraphs", "tilbudsportalen_id", "target_group", "unit",
            "places", "status", "status_year", "forstaerket_samarbejde", "address",
            "municipality", "contact", "description", "is_demo", "afdelinger",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._before: dict[int, dict[str, str]] = {}
        self._driftsherrer: dict[str, Driftsherre] = {}
        self._paragraph_codes: set[str] = set()

    # --- import -------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        missing = [c for c in REQUIRED_COLUMNS if c not in (dataset.headers or [])]
        if missing:
            raise ValueError(
                f"Filen mangler kolonnen/kolonnerne {', '.join(missing)} i første række. "
                "Eksportér registret for at se det forventede format."
            )
        self._driftsherrer = _driftsherre_keys()
        self._paragraph_codes = set(Paragraf.objects.values_list("code", flat=True))

    def before_import_row(self, row, row_number=None, **kwargs):
        """Reject the row with Danish messages naming its spreadsheet row (header is row 1)."""
        where = f"Række {row_number + 1} i regnearket" if row_number is not None else "Rækken"
        errors: dict[str, list[str]] = {}

        def error(column: str, message: str) -> None:
            errors.setdefault(column, []).append(f"{where}: {message}")

        if not _text(row.get("Navn")):
            error("Navn", "Tilbuddets navn mangler.")
        driftsherre = _text(row.get("Driftsherre"))
        if not driftsherre:
            error("Driftsherre", "Driftsherre mangler.")
        elif driftsherre.casefold() not in self._driftsherrer:
            known = ", ".join(sorted({d.name for d in self._driftsherrer.values()}))
            error("Driftsherre", f"Ukendt driftsherre '{driftsherre}'. Brug en af: {known}.")
        else:
            row["Driftsherre"] = self._driftsherrer[driftsherre.casefold()].name
        codes = [c.strip() for c in _text(row.get("§§")).split(PARAGRAPH_SEPARATOR) if c.strip()]
        unknown = [c for c in codes if c not in self._paragraph_codes]
        if unknown:
            error("§§", f"Ukendt lovgrundlag: {', '.join(unknown)}. Brug værdierne fra "
                        f"rullemenuen (fx 'SEL § 104'), adskilt med '{PARAGRAPH_SEPARATOR}'.")
        unit = _text(row.get("Enhed"))
        if unit and unit.casefold() not in self.fields["unit"].widget.by_key:
            error("Enhed", f"Ukendt enhed '{unit}'. Brug en af: "
                           f"{', '.join(Tilbud.Unit.values)}.")
        status = _text(row.get("Status"))
        if status and status.casefold() not in self.fields["status"].widget.by_key:
            error("Status", f"Ukendt status '{status}'. Brug Aktiv, Nyt eller Udgået.")
        for column in ("Pladser", "Status fra år", "Tilbudsportalen-id"):
            try:
                parse_whole_number(row.get(column))
            except ValueError:
                error(column, f"'{row.get(column)}' er ikke et helt, positivt tal.")
        if errors:
            raise ValidationError(errors)

    def import_instance(self, instance, row, **kwargs):
        # Empty cells mean "use the default", not "store an empty value" for choices.
        if not _text(row.get("Enhed")):
            row["Enhed"] = instance.unit or Tilbud.Unit.DOEGN
        if not _text(row.get("Status")):
            row["Status"] = instance.status or Tilbud.Status.ACTIVE
        super().import_instance(instance, row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            labels = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
            raise ValidationError({
                labels.get(key, key) if key != NON_FIELD_ERRORS else key: messages
                for key, messages in exc.message_dict.items()
            }) from exc

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk and not kwargs.get("dry_run"):
            self._before[instance.pk] = services.tilbud_snapshot(tilbud=instance)

    def after_import_row(self, row, row_result, **kwargs):
        if kwargs.get("dry_run") or row_result.import_type not in {
            RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE
        }:
            return
        tilbud = Tilbud.objects.get(pk=row_result.object_id)
        services.tilbud_record_change(
            tilbud=tilbud, by=kwargs.get("user"), before=self._before.pop(tilbud.pk, None),
            action=TilbudChange.Action.IMPORTED,
        )

    # --- export -------------------------------------------------------------------------

    def export(self, *args, **kwargs) -> tablib.Dataset:
        dataset = super().export(*args, **kwargs)
        dataset.title = SHEET_TITLE
        return dataset

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("driftsherre").prefetch_related("paragraphs", "afdelinger")

    def dehydrate_afdelinger(self, tilbud: Tilbud) -> str:
        return "; ".join(a.name for a in tilbud.afdelinger.all())

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))
