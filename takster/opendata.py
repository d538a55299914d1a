"""Open data: the published takstbilag as JSON and CSV, and a DCAT-AP catalog of them.

Everything here is built from `publication.takstbilag_data` — the same selector the PDF and
xlsx jobs render — so the three never disagree. Only published versions are data; a year
without one is "not found". The field list `FIELDS` is the contract: it orders the CSV
columns and the JSON keys of a line, and the /data/ page documents it as it stands here.

Numbers are machine-readable: a point as decimal separator, no thousands separator,
percentages as percent numbers (3.1 means 3,1 %), dates as ISO 8601 (2026-02-24), and an
empty CSV cell (JSON null) where the takstbilag has no figure.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from socialaftale.spreadsheets import safe_text
from tilbud.models import Tilbud

from .models import RateLine, Submission, Takstbilag
from .publication import takstbilag_data
from .takstbilag import RATE_KEYS, Offer, OfferYear, TakstbilagData, offer_change_pct
from .validation.rules import rise_limit_pct

D = Decimal


@dataclass(frozen=True)
class Field:
    """One column of the rate-line dataset, as documented on /data/."""

    name: str
    meaning: str
    type: str  # "tekst", "heltal", "decimaltal", "dato", "ja/nej", "URL"
    unit: str = ""
    example: str = ""


_YEAR_FIELDS: tuple[tuple[str, str, str, str, str], ...] = (
    ("pladser", "Pladser; ved objektiv finansiering antal sager", "decimaltal", "pladser",
     "20"),
    ("belaegning_pct", "Budgetteret belægning", "decimaltal", "%", "98"),
    ("budget_kr", "Budget i alt, inkl. regulering", "decimaltal", "kr.", "15999963"),
    ("regulering_kr", "Regulering: underskud som plus, overskud som minus", "decimaltal",
     "kr.", "140963"),
    ("oh_pct", "Overhead i procent af budgettet uden regulering og overhead", "decimaltal",
     "%", "6.8"),
    ("tomgang", "Tomgang (pladser) ved belægning under grænsen", "decimaltal", "pladser",
     "2"),
    ("betalingsdage", "Dage taksten er beregnet på (1 ved objektiv finansiering)", "heltal",
     "dage", "365"),
    ("basis_kr", "Basistakst", "decimaltal", "kr. pr. enhed", "731"),
    ("time_kr", "Timepris", "decimaltal", "kr. pr. time", "336.66"),
    *((f"takst_{i}_kr", f"Takst {i}", "decimaltal", "kr. pr. enhed",
       "8020" if i == 1 else "") for i in range(1, 11)),
)

FIELDS: tuple[Field, ...] = (
    Field("driftsherre", "Driftsherren (kommune eller region), der driver tilbuddet", "tekst",
          example="Aalborg Kommune"),
    Field("driftsherre_type", "kommune eller region (vælger P/L)", "tekst", example="kommune"),
    Field("tilbud", "Tilbuddets navn som på Tilbudsportalen", "tekst", example="Børnehus Nord"),
    Field("tilbudsportalen_id", "Tilbuddets id på Tilbudsportalen (tomt hvis ukendt)", "heltal",
          example="12345"),
    Field("tilbud_url", "Tilbuddets side i dette system (tomt hvis ikke i registret)", "URL",
          example="https://…/tilbud/17/"),
    Field("afdeling", "Afdelingens navn (tomt eller som tilbuddet, hvis ingen afdeling)",
          "tekst", example="Dagtilbud"),
    Field("paragraffer", "Lovgrundlag (§§) fra takstskemaets liste", "tekst",
          example="SEL § 104"),
    Field("enhed", "Takstenhed: Dag, Døgn, Uge, Måned, År, Stk., Time, Trækningsret, Objektiv",
          "tekst", example="Dag"),
    Field("status", "Nyt tilbud, Udgået eller tom (tilbud med tal begge år)", "tekst",
          example="Nyt tilbud"),
    Field("aar", "Budgetåret taksterne gælder for", "heltal", example="2026"),
    *(Field(name, meaning + " (budgetåret)", kind, unit, example)
      for name, meaning, kind, unit, example in _YEAR_FIELDS),
    Field("forrige_aar", "Året før budgetåret (sidste års godkendte tal)", "heltal",
          example="2025"),
    *(Field(f"forrige_{name}", meaning + " (året før)", kind, unit,
            "7734" if name == "takst_1_kr" else "")
      for name, meaning, kind, unit, _example in _YEAR_FIELDS),
    Field("forklaret_takst", "Den takst, hvis ændring deles op (første takst med tal begge år)",
          "tekst", example="Takst 1"),
    Field("aendring_kr", "Ændring af den forklarede takst", "decimaltal", "kr.", "286"),
    Field("aendring_pct", "Ændring af den forklarede takst", "decimaltal", "%", "3.70"),
    Field("heraf_pl_pct", "Heraf P/L (pris- og lønfremskrivning)", "decimaltal",
          "procentpoint", "3.10"),
    Field("heraf_regulering_pct", "Heraf ændret regulering (over-/underskud)", "decimaltal",
          "procentpoint", "0.00"),
    Field("heraf_oevrigt_pct", "Heraf øvrigt (budget, pladser, belægning, afrunding)",
          "decimaltal", "procentpoint", "0.60"),
    Field("heraf_pl_kr", "Heraf P/L", "decimaltal", "kr.", "239.75"),
    Field("heraf_regulering_kr", "Heraf ændret regulering", "decimaltal", "kr.", "0.00"),
    Field("heraf_oevrigt_kr", "Heraf øvrigt", "decimaltal", "kr.", "46.25"),
    Field("gns_aendring_pct", "Gennemsnit af ændringen af alle takster med tal begge år",
          "decimaltal", "%", "3.70"),
    Field("graense_pct", "Stigningsgrænsen: P/L for driftsherrens type + grænsen i procentpoint",
          "decimaltal", "%", "5.10"),
    Field("over_graensen", "true, hvis mindst én takst stiger mere end grænsen", "ja/nej",
          example="false"),
    Field("belaegning_under_graensen", "true, hvis den budgetterede belægning er under "
          "belægningsgrænsen (ikke ved objektiv finansiering)", "ja/nej", example="false"),
    Field("bemaerkning", "Driftsherrens bemærkning (forklaring på afvigelser)", "tekst"),
    Field("saerlige_forhold", "Særlige forhold vedrørende tilbuddet", "tekst"),
    Field("godkendelsesnote", "Hvad DAS Social eller Styringsaftalegruppen sagde om tilbuddet",
          "tekst"),
    Field("revisionsnote", "Hvad en revision i årets løb ændrede", "tekst"),
    Field("das_dato", "Dato for DAS Socials møde, der godkendte taksten", "dato",
          example="2025-11-17"),
    Field("das_punkt", "Dagsordenspunktets nummer", "heltal", example="6"),
    Field("das_henvisning", "Henvisning til beslutningen", "tekst",
          example="DAS Social 17.11.2025, pkt. 6"),
    Field("das_link", "Link til punktet i mødets referat (læses af DAS-medlemmer og "
          "sekretariatet)", "URL", example="https://…/moeder/3/referat/#punkt-6"),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)

_YEAR_ATTRS = {
    "pladser": "pladser", "belaegning_pct": "belaegning", "budget_kr": "budget",
    "regulering_kr": "regulering", "oh_pct": "oh_pct", "tomgang": "tomgang",
}


# ----------------------------------------------------------------------------- selection
def published_versions(year: int) -> list[Takstbilag]:
    """The published versions of a year's takstbilag, oldest first."""
    return list(
        Takstbilag.objects.filter(
            rate_round__parameters__budget_year=year, status=Takstbilag.Status.PUBLISHED
        ).select_related("rate_round__parameters").order_by("version")
    )


def takstbilag_published(*, year: int, version: int | None = None) -> Takstbilag:
    """A published version (None: the one in force, the newest); anything else is 404."""
    versions = published_versions(year)
    if version is None and versions:
        return versions[-1]
    for takstbilag in versions:
        if takstbilag.version == version:
            return takstbilag
    raise Http404("Der er ingen offentliggjort version af takstbilaget for dette år.")


def published_years() -> list[int]:
    return sorted(set(
        Takstbilag.objects.filter(status=Takstbilag.Status.PUBLISHED).values_list(
            "rate_round__parameters__budget_year", flat=True)
    ))


# ----------------------------------------------------------------------------- decisions
@dataclass(frozen=True)
class Decision:
    """A DAS Social approval: meeting date, item number, reference and the minutes' link."""

    date: date
    reference: str
    item_number: int | None = None
    path: str = ""  # the item in the meeting's minutes (site-relative)


def _item_path(item) -> str:
    """The agenda item in the minutes once the meeting is held, else in the agenda (a
    meeting without minutes has no minutes page)."""
    page = "moeder:minutes" if item.meeting.is_held else "moeder:meeting"
    return reverse(page, args=[item.meeting_id]) + f"#punkt-{item.number}"


def _decision(approval) -> Decision:
    item = approval.item
    path = ""
    if item is not None:
        path = _item_path(item)
    return Decision(date=approval.date, reference=approval.reference,
                    item_number=item.number if item else None, path=path)


def _rate_tuple(basis, time, takster) -> tuple:
    values = (basis, time, *tuple(takster), *((None,) * (10 - len(tuple(takster)))))
    return tuple(None if v is None else D(v).normalize() for v in values)


class LineDecisions:
    """Which DAS decision approved each line of a takstbilag version.

    A line of a revision with the same rates as in the revised submission keeps the decision
    that first approved it; a decision named in a line's approval note (Børnehus Nord's own
    item) is that line's, the submission's other decisions are the rest's. Several left: the
    latest.
    """

    def __init__(self, takstbilag: Takstbilag | list[Takstbilag]):
        items = takstbilag if isinstance(takstbilag, list) else [takstbilag]
        self.default_id = items[0].pk if items else None
        memberships = Takstbilag.submissions.through.objects.filter(
            takstbilag__in=items
        ).select_related(
            "submission__driftsherre", "submission__revision_of",
            "submission__rate_round__parameters",
        ).prefetch_related("submission__das_approvals__item__meeting")
        self.by_key = {
            (m.takstbilag_id, m.submission.driftsherre.slug): m.submission for m in memberships
        }
        notes: dict[int, list[str]] = defaultdict(list)
        for upload_id, note in RateLine.objects.filter(
            upload_id__in=[s.submitted_upload_id for s in self.by_key.values()]
        ).exclude(approval_note="").values_list("upload_id", "approval_note"):
            notes[upload_id].append(note)
        self._notes = {s.pk: " ".join(notes.get(s.submitted_upload_id, []))
                       for s in self.by_key.values()}
        self._earlier: dict[int, Submission | None] = {}
        self._earlier_rates: dict[int, dict[tuple[str, str], set[tuple]]] = {}

    def _previous(self, submission: Submission) -> Submission | None:
        if submission.pk not in self._earlier:
            earlier, rates = None, defaultdict(set)
            if submission.revision_of_id:
                earlier = Submission.objects.select_related(
                    "revision_of", "submitted_upload", "rate_round__parameters"
                ).prefetch_related("das_approvals__item__meeting").get(pk=submission.revision_of_id)
                if earlier.submitted_upload_id:
                    for line in earlier.submitted_upload.lines.filter(
                            year=submission.rate_round.parameters.budget_year):
                        rates[(line.tilbud_name, line.afdeling_name)].add(
                            _rate_tuple(line.basis, line.time, line.takster))
            self._earlier[submission.pk] = earlier
            self._earlier_rates[submission.pk] = rates
        return self._earlier[submission.pk]

    def _line_notes(self, submission: Submission) -> str:
        if submission.pk not in self._notes:  # an earlier submission of a revision
            self._notes[submission.pk] = " ".join(
                submission.submitted_upload.lines.exclude(approval_note="").values_list(
                    "approval_note", flat=True)
            ) if submission.submitted_upload_id else ""
        return self._notes[submission.pk]

    def for_line(self, *, slug: str, tilbud: str, afdeling: str, approval_note: str,
                 rates: tuple, takstbilag_id: int | None = None) -> Decision | None:
        submission = self.by_key.get((takstbilag_id or self.default_id, slug))
        while submission is not None and submission.revision:
            earlier = self._previous(submission)
            if earlier is None or rates not in self._earlier_rates[submission.pk].get(
                    (tilbud, afdeling), set()):
                break  # changed or new in this revision: the revision's own decision
            submission = earlier
        if submission is None:
            return None
        approvals = sorted(submission.das_approvals.all(), key=lambda a: (a.date, a.pk))
        if not approvals:
            return None
        named = [a for a in approvals if a.reference and a.reference in approval_note]
        if not named:
            # A decision another line names is that line's own (e.g. a budget item).
            notes = self._line_notes(submission)
            named = [a for a in approvals if a.reference not in notes] or approvals
        return _decision(named[-1])

    def for_offer(self, slug: str, offer: Offer) -> Decision | None:
        year = offer.current
        rates = _rate_tuple(year.basis, year.time, year.takster) if year else ()
        return self.for_line(slug=slug, tilbud=offer.tilbud, afdeling=offer.afdeling,
                             approval_note=offer.approval_note, rates=rates)


def decision_for_line(decisions: LineDecisions, line, *, takstbilag_id: int) -> Decision | None:
    """The decision that approved a stored budget-year `RateLine` in that takstbilag."""
    return decisions.for_line(
        takstbilag_id=takstbilag_id,
        slug=line.upload.submission.driftsherre.slug, tilbud=line.tilbud_name,
        afdeling=line.afdeling_name, approval_note=line.approval_note,
        rates=_rate_tuple(line.basis, line.time, line.takster),
    )


# ----------------------------------------------------------------------------- dataset
@dataclass
class Dataset:
    """One published version of a year's takstbilag as open data."""

    year: int
    version: int
    label: str
    published: date | None
    modified: datetime | None
    decision: dict | None
    lines: list[dict] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)
    pl_kommuner: Decimal | None = None
    pl_regioner: Decimal | None = None
    rise_threshold_pp: Decimal | None = None


def _year_values(prefix: str, year: OfferYear | None) -> dict:
    values: dict[str, object] = {}
    for name, attr in _YEAR_ATTRS.items():
        values[prefix + name] = getattr(year, attr) if year else None
    values[prefix + "betalingsdage"] = year.days if year else None
    for key in RATE_KEYS:
        values[f"{prefix}{key}_kr"] = year.rate(key) if year else None
    return values


def _round(value: Decimal | None, places: str = "0.01") -> Decimal | None:
    return None if value is None else D(value).quantize(D(places))


def _line(section, offer: Offer, data: TakstbilagData, *, tilbud: Tilbud | None,
          decision: Decision | None, base_url: str) -> dict:
    pl = data.pl_for(section.kind)
    limit = rise_limit_pct(pl_pct=pl, threshold_pp=data.rise_threshold_pp)
    changes = data.rate_changes(offer, section.kind)
    try:
        explained = offer.explain(pl_pct=pl)
    except (ValueError, ArithmeticError):
        explained = None
    primary = offer.primary_key()
    line = {
        "driftsherre": section.name, "driftsherre_type": section.kind,
        "tilbud": offer.tilbud,
        "tilbudsportalen_id": tilbud.tilbudsportalen_id if tilbud else None,
        "tilbud_url": base_url + reverse("tilbud:detail", args=[tilbud.pk]) if tilbud else None,
        "afdeling": offer.afdeling, "paragraffer": offer.paragraphs, "enhed": offer.unit,
        "status": offer.status, "aar": data.budget_year,
        **_year_values("", offer.current),
        "forrige_aar": data.budget_year - 1,
        **_year_values("forrige_", offer.previous),
        "forklaret_takst": (
            next(c.label for c in changes if c.key == primary) if primary else None),
        "aendring_kr": _round(explained.total) if explained else None,
        "aendring_pct": _round(explained.total_pct) if explained else None,
        "heraf_pl_pct": _round(explained.pl_pp) if explained else None,
        "heraf_regulering_pct": _round(explained.regulering_pp) if explained else None,
        "heraf_oevrigt_pct": _round(explained.rest_pp) if explained else None,
        "heraf_pl_kr": _round(explained.pl) if explained else None,
        "heraf_regulering_kr": _round(explained.regulering) if explained else None,
        "heraf_oevrigt_kr": _round(explained.rest) if explained else None,
        "gns_aendring_pct": _round(offer_change_pct(changes)),
        "graense_pct": _round(limit),
        "over_graensen": any(c.above_limit for c in changes),
        "belaegning_under_graensen": data.low_occupancy(offer),
        "bemaerkning": offer.bemaerkning, "saerlige_forhold": offer.saerlige_forhold,
        "godkendelsesnote": offer.approval_note, "revisionsnote": offer.revision_note,
        "das_dato": decision.date if decision else None,
        "das_punkt": decision.item_number if decision else None,
        "das_henvisning": decision.reference if decision else None,
        "das_link": base_url + decision.path if decision and decision.path else None,
    }
    return line


def _register(data: TakstbilagData) -> dict[tuple[str, str], Tilbud]:
    """The register's offers by (driftsherre slug, name), as the rate lines are matched."""
    names = {o.tilbud for s in data.driftsherrer for o in s.offers}
    slugs = {s.slug for s in data.driftsherrer}
    return {
        (t.driftsherre.slug, t.name): t
        for t in Tilbud.objects.filter(name__in=names, driftsherre__slug__in=slugs)
        .select_related("driftsherre")
    }


def _version_decision(takstbilag: Takstbilag, data: TakstbilagData, base_url: str) -> dict | None:
    version = next((v for v in data.versions if v.number == takstbilag.version), None)
    if version is None or version.approved_on is None:
        return None
    approvals = [
        a for s in takstbilag.submissions.prefetch_related("das_approvals__item__meeting").all()
        for a in s.das_approvals.all() if a.date == version.approved_on
    ]
    items = sorted({(a.item.number, a.item.meeting_id): a.item
                    for a in approvals if a.item}.items())
    return {
        "date": version.approved_on.isoformat(), "reference": version.approved_by,
        "items": [{"item": item.number, "url": base_url + _item_path(item)}
                  for _, item in items],
    }


def dataset_build(takstbilag: Takstbilag, *, base_url: str) -> Dataset:
    """The rate lines of one published version, with last year's figures and the decisions."""
    if not takstbilag.is_published:
        raise Http404("Kun offentliggjorte takstbilag er åbne data.")
    base_url = base_url.rstrip("/")
    data = takstbilag_data(takstbilag)
    register = _register(data)
    decisions = LineDecisions(takstbilag)
    lines = []
    for section in data.driftsherrer:
        for offer in section.offers:
            lines.append(_line(
                section, offer, data, tilbud=register.get((section.slug, offer.tilbud)),
                decision=decisions.for_offer(section.slug, offer), base_url=base_url,
            ))
    year = data.budget_year
    modified = max(
        [takstbilag.published_at, *(t.updated_at for t in register.values())],
        default=None,
    )
    return Dataset(
        year=year, version=takstbilag.version, label=data.version_label,
        published=data.published_on, modified=modified,
        decision=_version_decision(takstbilag, data, base_url), lines=lines,
        versions=[
            {"version": v.number, "label": v.label,
             "published": v.published_on.isoformat() if v.published_on else None,
             "approved_by": v.approved_by,
             "json": base_url + reverse("data:takster_version", args=[year, v.number, "json"]),
             "csv": base_url + reverse("data:takster_version", args=[year, v.number, "csv"])}
            for v in data.versions
        ],
        pl_kommuner=data.pl_kommuner, pl_regioner=data.pl_regioner,
        rise_threshold_pp=data.rise_threshold_pp,
    )


# ----------------------------------------------------------------------------- formats
def number_text(value: Decimal | int | float) -> str:
    """A number as "15999963" or "336.66": point decimals, no exponent, no trailing zeros."""
    if isinstance(value, bool):
        return "true" if value else "false"
    value = D(value)
    if value == value.to_integral_value():
        return str(value.quantize(D(1)))
    return format(value.normalize(), "f")


def _json_value(value):
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, Decimal):
        return json.loads(number_text(value))  # an int or a float that prints the same
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def dataset_json(dataset: Dataset, *, documentation_url: str) -> bytes:
    payload = {
        "year": dataset.year,
        "version": dataset.version,
        "label": dataset.label,
        "published": dataset.published.isoformat() if dataset.published else None,
        "decision": dataset.decision,
        "pl_kommuner_pct": _json_value(dataset.pl_kommuner),
        "pl_regioner_pct": _json_value(dataset.pl_regioner),
        "stigningsgraense_pp": _json_value(dataset.rise_threshold_pp),
        "license": license_info(),
        "documentation": documentation_url,
        "versions": dataset.versions,
        "lines": [{k: _json_value(v) for k, v in line.items()} for line in dataset.lines],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | Decimal | float):
        return number_text(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return safe_text(value)


def dataset_csv(dataset: Dataset) -> bytes:
    """";"-separated, UTF-8 with BOM (Excel opens the Danish letters), one row per line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(FIELD_NAMES)
    for line in dataset.lines:
        writer.writerow([_csv_value(line[name]) for name in FIELD_NAMES])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def etag_for(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:32]


# ----------------------------------------------------------------------------- catalog
def license_info() -> dict:
    """The licence from the settings; without one the data say that none is set."""
    url = getattr(settings, "OPEN_DATA_LICENSE_URL", "")
    if url:
        return {"url": url, "name": getattr(settings, "OPEN_DATA_LICENSE_NAME", "") or url}
    return {"url": None, "name": NO_LICENSE}


NO_LICENSE = (
    "Der er ikke fastsat en licens for disse data endnu; kontakt sekretariatet for "
    "Nordjysk Socialaftale om genbrug."
)
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU = "http://publications.europa.eu/resource/authority/"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "adms": "http://www.w3.org/ns/adms#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcatap": "http://data.europa.eu/r5r/",
}


def _da(text: str) -> dict:
    return {"@value": text, "@language": "da"}


def _date(value: date | datetime | None) -> dict | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return {"@value": value.isoformat(timespec="seconds"), "@type": "xsd:dateTime"}
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _publisher(base_url: str) -> dict:
    return {
        "@id": base_url + "/#sekretariatet",
        "@type": "foaf:Organization",
        "foaf:name": _da(settings.OPEN_DATA_PUBLISHER),
        "foaf:homepage": {"@id": base_url + "/"},
    }


def _license_node() -> dict:
    info = license_info()
    if info["url"]:
        return {"dct:license": {"@id": info["url"], "@type": "dct:LicenseDocument",
                                "dct:title": info["name"]}}
    return {"dct:rights": {"@type": "dct:RightsStatement", "dct:description": _da(NO_LICENSE)}}


def _distribution(url: str, *, title: str, fmt: str, media_type: str, modified,
                  documentation: str) -> dict:
    return {
        "@id": url, "@type": "dcat:Distribution", "dct:title": _da(title),
        "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": EU_FILE_TYPE + fmt}, "dcat:mediaType": {
            "@id": "https://www.iana.org/assignments/media-types/" + media_type},
        "dct:modified": _date(modified), "foaf:page": {"@id": documentation},
        **_license_node(),
    }


@dataclass(frozen=True)
class _CatalogContext:
    base_url: str
    documentation: str
    publisher: dict
    contact: dict


def _distributions(tb: Takstbilag, ctx: _CatalogContext, *, in_force: bool) -> list[dict]:
    year, out = tb.budget_year, []
    files = (
        ("json", "application/json", "JSON"), ("csv", "text/csv", "CSV"),
        ("pdf", "application/pdf", "PDF"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    )
    for fmt, media, ftype in files:
        if fmt in ("pdf", "xlsx"):
            path = reverse("takster:takstbilag_download", args=[str(year), str(tb.version), fmt])
        elif in_force:
            path = reverse("data:takster", args=[year, fmt])
        else:
            path = reverse("data:takster_version", args=[year, tb.version, fmt])
        out.append(_distribution(
            ctx.base_url + path, title=f"Takstbilag {year}, version {tb.version} ({ftype})",
            fmt=ftype, media_type=media, modified=tb.published_at,
            documentation=ctx.documentation,
        ))
    return out


def _dataset_node(tb: Takstbilag, ctx: _CatalogContext, *, node_id: str, in_force: bool,
                  issued: datetime | None) -> dict:
    year = tb.budget_year
    about = ("Den gældende (nyeste offentliggjorte) version." if in_force
             else f"Version {tb.version}" + (f": {tb.label}." if tb.label else "."))
    return {
        "@id": node_id, "@type": "dcat:Dataset",
        "dct:identifier": node_id,
        "dct:title": _da(f"Takstbilag {year}" + ("" if in_force else f", version {tb.version}")),
        "dct:description": _da(
            f"Takster for {year} i Nordjysk Socialaftale, godkendt af DAS Social, med sidste "
            f"års tal og ændringen delt i P/L, regulering og øvrigt. {about}"),
        "dct:publisher": ctx.publisher, "dcat:contactPoint": ctx.contact,
        "dct:issued": _date(issued), "dct:modified": _date(tb.published_at),
        "owl:versionInfo": str(tb.version),
        "adms:versionNotes": _da(tb.label or f"Version {tb.version}"),
        "dct:language": {"@id": EU + "language/DAN"},
        "dct:accessRights": {"@id": EU + "access-right/PUBLIC"},
        "dct:accrualPeriodicity": {"@id": EU + "frequency/ANNUAL"},  # plus revisions
        "dcat:theme": [{"@id": EU + "data-theme/SOCI"}, {"@id": EU + "data-theme/GOVE"}],
        "dcat:keyword": [_da("takster"), _da("takstbilag"), _da("socialområdet"),
                         _da("rammeaftale"), _da("Tilbudsportalen")],
        "dct:temporal": {"@type": "dct:PeriodOfTime",
                         "dcat:startDate": _date(date(year, 1, 1)),
                         "dcat:endDate": _date(date(year, 12, 31))},
        "dcat:landingPage": {
            "@id": ctx.base_url + reverse("takster:takstbilag_year", args=[year])},
        "foaf:page": {"@id": ctx.documentation},
        "dcat:distribution": _distributions(tb, ctx, in_force=in_force),
    }


def catalog_build(*, base_url: str) -> tuple[dict, datetime | None]:
    """The DCAT-AP catalog (JSON-LD) of every published year and version; its modified time.

    Per year one dataset for the version in force (the stable /data/takster/<år> address,
    `dct:hasVersion` → each version) and one per version (`dct:isVersionOf` → the year)."""
    base_url = base_url.rstrip("/")
    documentation = base_url + reverse("data:index")
    ctx = _CatalogContext(
        base_url=base_url, documentation=documentation, publisher=_publisher(base_url),
        contact={"@type": "vcard:Organization", "vcard:fn": settings.OPEN_DATA_PUBLISHER,
                 "vcard:hasEmail": {"@id": "mailto:" + settings.OPEN_DATA_CONTACT_EMAIL}},
    )
    published = list(
        Takstbilag.objects.filter(status=Takstbilag.Status.PUBLISHED)
        .select_related("rate_round__parameters")
        .order_by("rate_round__parameters__budget_year", "version")
    )
    by_year: dict[int, list[Takstbilag]] = {}
    for takstbilag in published:
        by_year.setdefault(takstbilag.budget_year, []).append(takstbilag)
    datasets = []
    for year, versions in by_year.items():
        dataset_id = base_url + reverse("data:takster", args=[year, "json"]).removesuffix(".json")
        node = _dataset_node(versions[-1], ctx, node_id=dataset_id, in_force=True,
                             issued=versions[0].published_at)
        version_nodes = [
            _dataset_node(tb, ctx, node_id=f"{dataset_id}/v{tb.version}", in_force=False,
                          issued=tb.published_at)
            for tb in versions
        ]
        node["dct:hasVersion"] = [{"@id": v["@id"]} for v in version_nodes]
        for version_node in version_nodes:
            version_node["dct:isVersionOf"] = {"@id": dataset_id}
        datasets += [node, *version_nodes]
    modified = max((t.published_at for t in published if t.published_at), default=None)
    catalog = {
        "@context": CONTEXT,
        "@id": base_url + reverse("data:catalog"),
        "@type": "dcat:Catalog",
        "dct:title": _da("Åbne data fra Nordjysk Socialaftale"),
        "dct:description": _da(
            "Takstbilagene for Nordjysk Socialaftale som maskinlæsbare data: alle "
            "offentliggjorte år og versioner, med felter dokumenteret på " + documentation),
        "dct:publisher": ctx.publisher,
        "dct:language": {"@id": EU + "language/DAN"},
        "foaf:homepage": {"@id": documentation},
        "dct:modified": _date(modified),
        **_license_node(),
        "dcat:dataset": datasets,
    }
    return catalog, modified
