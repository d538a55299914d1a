"""Domain writes of the rate round: open, template, store, validate, acknowledge, submit."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from socialaftale.jobs import job_request
from socialaftale.models import Driftsherre, Styringsparametre, sha256_hex
from socialaftale.uploads import shorten_filename
from socialaftale.wording import plural
from tilbud.models import Tilbud

from . import notifications
from .models import (
    Acknowledgement,
    DasApproval,
    Finding,
    RateLine,
    RateRound,
    ReviewComment,
    Submission,
    SubmissionEvent,
    Takstbilag,
    Upload,
)
from .validation import (
    RULESET_VERSION,
    RateSheetParams,
    TemplateBlock,
    ValidationResult,
    YearValues,
    build_template,
    make_finding,
    validate_workbook,
)
from .validation.params import NUMBER_FIELDS
from .validation.rules import ended_marker

SUFFIX_MESSAGES = {
    ".xlsm": "Filen er en makroprojektmappe (.xlsm). Makroer er ikke tilladt: gem skemaet som "
    "'Excel-projektmappe (.xlsx)', og upload igen.",
    ".xls": "Filen er i det gamle Excel-format (.xls). Gem skemaet som "
    "'Excel-projektmappe (.xlsx)', og upload igen.",
    "": "Filtypen accepteres ikke. Gem skemaet som 'Excel-projektmappe (.xlsx)', og upload igen.",
}
# Values beyond this cannot be a real rate or budget; they are stored as empty.
_MAX_STORED = Decimal(10) ** 13


def _name_key(text: str) -> str:
    return " ".join((text or "").split()).casefold()


# --------------------------------------------------------------------------- rounds


def round_open(*, parameters: Styringsparametre, deadline: datetime.date) -> RateRound:
    """Open the rate round for the parameters' budget year (one round per year)."""
    if RateRound.objects.filter(parameters=parameters).exists():
        raise ValidationError(f"Der findes allerede en takstrunde for {parameters.budget_year}.")
    rate_round = RateRound(parameters=parameters, deadline=deadline)
    rate_round.full_clean()
    with transaction.atomic():
        rate_round.save()
        round_opened_notify(rate_round=rate_round)
    return rate_round


def round_opened_notify(*, rate_round: RateRound) -> None:
    """Tell every driftsherre that the round is open, with its template link (once each)."""
    for driftsherre in Driftsherre.objects.all():
        notifications.round_opened(rate_round=rate_round, driftsherre=driftsherre)


def _has_figures(line: RateLine) -> bool:
    return any(getattr(line, name) is not None for name in NUMBER_FIELDS)


def _is_ended(line: RateLine) -> bool:
    """The offer is marked as ended (in Bemærkning or Særlige forhold) on last year's line,
    by the validator's own rule ("udgår", "nedlagt", "lukker", ...)."""
    return ended_marker(line.bemaerkning) or ended_marker(line.saerlige_forhold)


def _previous_source(
    *, driftsherre: Driftsherre, rate_round: RateRound
) -> tuple[Upload | None, list[RateLine]]:
    """Last year's round: the upload whose budget-year lines count (the approved lines' upload
    if any, else the submitted or latest validated upload) and those lines, as stored."""
    # The rates in force: the newest official (approved/published) revision; a draft
    # revision that has just been started must not empty next year's prefill.
    candidates = Submission.objects.filter(
        driftsherre=driftsherre, rate_round__parameters__budget_year=rate_round.budget_year - 1,
    ).select_related("submitted_upload")
    official = candidates.filter(
        status__in=[Submission.Status.APPROVED, Submission.Status.PUBLISHED]
    )
    previous = official.order_by("-revision").first() or candidates.order_by("revision").first()
    if previous is None:
        return None, []
    lines = list(
        RateLine.objects.filter(
            upload__submission=previous, year=rate_round.budget_year - 1,
            approval_status=RateLine.Approval.APPROVED,
        ).select_related("upload")
    )
    if lines:
        return lines[0].upload, lines
    upload = previous.submitted_upload or (
        previous.uploads.filter(validated_at__isnull=False).order_by("-version").first()
    )
    if upload is None:
        return None, []
    return upload, list(upload.lines.filter(year=rate_round.budget_year - 1))


def _previous_lines(*, driftsherre: Driftsherre, rate_round: RateRound) -> list[RateLine]:
    """Budget-year lines from last year's round that can prefill year 1: approved lines if
    any, else the submitted or latest validated upload's; lines without figures and offers
    marked "Udgår" are left out."""
    _, lines = _previous_source(driftsherre=driftsherre, rate_round=rate_round)
    return [line for line in lines if _has_figures(line) and not _is_ended(line)]


def _year_values(line: RateLine) -> YearValues:
    return YearValues(
        pladser=line.pladser, belaegning=line.belaegning, budget=line.budget,
        regulering=line.regulering, oh_pct=line.oh_pct, basis=line.basis, time=line.time,
        takster=tuple(line.takster), tomgang=line.tomgang, bemaerkning=line.bemaerkning,
    )


def _register_blocks(*, driftsherre: Driftsherre, budget_year: int) -> list[tuple[Tilbud, str]]:
    """(tilbud, afdeling name) pairs from the register that belong in this year's sheet."""
    pairs = []
    offers = (
        Tilbud.objects.filter(driftsherre=driftsherre)
        .prefetch_related("afdelinger", "paragraphs", "afdelinger__paragraphs")
        .order_by("name")
    )
    for tilbud in offers:
        if tilbud.is_ended and tilbud.status_year and tilbud.status_year < budget_year - 1:
            continue
        afdelinger = list(tilbud.afdelinger.all())
        if afdelinger:
            pairs.extend((tilbud, a) for a in afdelinger)
        else:
            pairs.append((tilbud, None))
    return pairs


def _revision_blocks(revised: Submission, budget_year: int) -> list[TemplateBlock]:
    """A revision starts from the rates in force: the revised submission's offers, its
    budget-year figures in the (editable) year-2 row and its year-1 figures."""
    upload = revised.submitted_upload
    if upload is None:
        return []
    by_block: dict[int, dict[int | None, RateLine]] = {}
    for line in upload.lines.order_by("block_index", "year", "row"):
        by_block.setdefault(line.block_index, {})[line.year] = line
    blocks = []
    for years in by_block.values():
        current = years.get(budget_year)
        if current is None or current.approval_status == RateLine.Approval.REJECTED:
            continue  # ended, or not in force
        previous = years.get(budget_year - 1)
        blocks.append(TemplateBlock(
            tilbud=current.tilbud_name, afdeling=current.afdeling_name,
            paragraph=current.paragraph, unit=current.unit,
            year1=_year_values(previous) if previous is not None and _has_figures(previous)
            else None,
            year2=_year_values(current),
            saerlige_forhold=current.saerlige_forhold,
        ))
    return blocks


def template_build_for(*, driftsherre: Driftsherre, rate_round: RateRound) -> bytes:
    """The driftsherre's prefilled .xlsx template for the round (for a revision: the rates
    in force of the submission it revises)."""
    budget_year = rate_round.budget_year
    current = (
        Submission.objects.filter(rate_round=rate_round, driftsherre=driftsherre)
        .select_related("revision_of__submitted_upload").order_by("-revision").first()
    )
    if current is not None and current.revision_of is not None:
        revised = current.revision_of
        blocks = _revision_blocks(revised, budget_year)
        if blocks:
            parameters = rate_round.parameters
            return build_template(
                driftsherre_name=driftsherre.name, driftsherre_kind=driftsherre.kind,
                budget_year=budget_year, pl_kommuner=parameters.pl_kommuner,
                pl_regioner=parameters.pl_regioner,
                overhead_by_year={
                    budget_year - 1: None,
                    budget_year: revised.submitted_upload.header_overhead_pct,
                },
                blocks=blocks, rise_threshold_pp=parameters.rise_threshold_pp,
                occupancy_threshold=parameters.occupancy_threshold,
            )
    source, earlier = _previous_source(driftsherre=driftsherre, rate_round=rate_round)
    # The first year of the new template (DAS Social 23.02.2026, pkt. 4): the driftsherre
    # fills year 1 itself; only Pladser is prefilled (from the register).
    if rate_round.is_first_template_year:
        source, earlier = None, []
    previous = {
        (_name_key(line.tilbud_name), _name_key(line.afdeling_name)): line
        for line in earlier if _has_figures(line) and not _is_ended(line)
    }
    # Offers that ended last year: marked "Udgår", or, in a sheet without errors (where the
    # validator accepted the offer as ended), figures for its year 1 only.
    clean = source is not None and source.errors_count == 0
    ended = {
        (_name_key(line.tilbud_name), _name_key(line.afdeling_name))
        for line in (source.lines.all() if source is not None else [])
        if _is_ended(line) or (clean and line.year != budget_year - 1)
    } - set(previous)
    blocks = []
    for tilbud, afdeling in _register_blocks(driftsherre=driftsherre, budget_year=budget_year):
        afdeling_name = afdeling.name if afdeling else tilbud.name
        key = (_name_key(tilbud.name), _name_key(afdeling_name))
        if key in ended:
            continue  # marked "Udgår" last year: no block this year
        paragraphs = list(afdeling.paragraphs.all() if afdeling else []) or list(
            tilbud.paragraphs.all()
        )
        places = (afdeling.places if afdeling else None) or tilbud.places
        line = previous.get(key)
        is_new = tilbud.is_new and (tilbud.status_year or budget_year) >= budget_year
        if line is not None:
            year1 = _year_values(line)
        elif is_new:
            year1 = None
        else:
            year1 = YearValues(pladser=Decimal(places) if places is not None else None)
        blocks.append(
            TemplateBlock(
                tilbud=tilbud.name,
                afdeling=afdeling_name,
                paragraph=paragraphs[0].code if paragraphs else "",
                unit=(afdeling.unit if afdeling and afdeling.unit else tilbud.unit),
                year1=year1,
            )
        )
    if not blocks:
        blocks = [TemplateBlock(tilbud="", afdeling="")]
    parameters = rate_round.parameters
    # Last year's figure from the header of the upload the prefill comes from, if it has one.
    overhead_previous = source.header_overhead_pct if source is not None else None
    return build_template(
        driftsherre_name=driftsherre.name,
        driftsherre_kind=driftsherre.kind,
        budget_year=budget_year,
        pl_kommuner=parameters.pl_kommuner,
        pl_regioner=parameters.pl_regioner,
        overhead_by_year={budget_year - 1: overhead_previous, budget_year: None},
        blocks=blocks,
        rise_threshold_pp=parameters.rise_threshold_pp,
        occupancy_threshold=parameters.occupancy_threshold,
    )


def params_for(*, rate_round: RateRound, driftsherre: Driftsherre | None) -> RateSheetParams:
    """The validator's parameters for one driftsherre in a round (None: header decides)."""
    return params_from_parameters(
        parameters=rate_round.parameters, driftsherre=driftsherre, rate_round=rate_round
    )


def params_from_parameters(
    *, parameters: Styringsparametre, driftsherre: Driftsherre | None,
    rate_round: RateRound | None = None,
) -> RateSheetParams:
    known_offers = None
    prefill = None
    if driftsherre is not None:
        offers: dict[str, set[str]] = {}
        # One query of names only (no model instances): a large register stays cheap.
        for name, afdeling in Tilbud.objects.filter(driftsherre=driftsherre).values_list(
            "name", "afdelinger__name"
        ):
            offers.setdefault(name, {name})
            if afdeling:
                offers[name].add(afdeling)
        # An empty register cannot tell right from wrong names: skip the check then.
        known_offers = offers or None
        if rate_round is not None and not rate_round.is_first_template_year:
            prefill = {}
            for line in _previous_lines(driftsherre=driftsherre, rate_round=rate_round):
                for name in NUMBER_FIELDS:
                    value = getattr(line, name)
                    if value is not None:
                        prefill[(line.tilbud_name, line.afdeling_name, name)] = value
            prefill = prefill or None
    return RateSheetParams(
        budget_year=parameters.budget_year,
        pl_kommuner=parameters.pl_kommuner,
        pl_regioner=parameters.pl_regioner,
        rise_threshold_pp=parameters.rise_threshold_pp,
        occupancy_threshold=parameters.occupancy_threshold,
        expected_driftsherre=driftsherre.name if driftsherre else None,
        driftsherre_kind=driftsherre.kind if driftsherre else None,
        known_offers=known_offers,
        prefill=prefill,
        max_bytes=settings.MAX_UPLOAD_BYTES,
        max_cells=settings.TAKSTER_MAX_CELLS,
    )


# --------------------------------------------------------------------------- uploads


def upload_store(
    *, rate_round: RateRound, driftsherre: Driftsherre, content: bytes, original_name: str,
    by=None,
) -> Upload:
    """Store the file with its sha256 as a new version, then queue its validation.

    Uploading the same bytes as the latest version again returns that version.
    """
    digest = sha256_hex(content)
    with transaction.atomic():
        submission = submission_current(rate_round=rate_round, driftsherre=driftsherre)
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if not rate_round.is_open and submission.revision == 0:
            raise ValidationError("Takstrunden er lukket; der kan ikke uploades flere skemaer.")
        if submission.status in LOCKED_STATUSES:
            raise ValidationError(
                f"Indberetningen er {submission.get_status_display().lower()} og kan ikke "
                "ændres. Start en revision for at indberette nye takster."
            )
        latest = submission.uploads.order_by("-version").first()
        if latest is not None and latest.sha256 == digest:
            return latest
        version = (submission.uploads.aggregate(v=Max("version"))["v"] or 0) + 1
        safe_name = shorten_filename(original_name or "takstskema.xlsx", max_chars=200)
        upload = Upload(
            submission=submission, version=version, sha256=digest, size=len(content),
            original_name=safe_name, uploaded_by=by,
        )
        upload.file.save(
            f"{driftsherre.slug}-{rate_round.budget_year}-v{version}-{digest[:12]}.xlsx",
            ContentFile(content), save=False,
        )
        upload.save()
        if submission.status in (Submission.Status.SUBMITTED, Submission.Status.RETURNED):
            # A new version reopens the submission; the submitted version stays recorded.
            submission.status = Submission.Status.DRAFT
            submission.save(update_fields=["status"])
        _event(submission, SubmissionEvent.Kind.UPLOADED, by, f"Version {version}")
        upload_enqueue(upload=upload, by=by)
    return upload


def upload_revalidation_refusal(*, upload: Upload) -> str:
    """Why a validated upload may not be validated again ("" when it may).

    Validating replaces the upload's lines and findings; once the version has been
    submitted, its lines carry approvals and review comments, which must never be lost."""
    if upload.validated_at is None:
        return ""
    submission = upload.submission
    if submission.status not in (Submission.Status.DRAFT, Submission.Status.RETURNED):
        return (
            f"Indberetningen er {submission.get_status_display().lower()}, så dens versioner "
            "valideres ikke igen: det ville erstatte linjer og fund, som gennemgangen bygger "
            "på. Start en revision for at indberette nye takster."
        )
    if submission.submitted_upload_id == upload.pk:
        return (
            f"Version {upload.version} er indsendt (indberetningen er "
            f"{submission.get_status_display().lower()}). En ny validering ville erstatte "
            "linjerne med godkendelser og bemærkninger, så den er afvist. Upload en ny "
            "version, eller start en revision."
        )
    if upload.lines.filter(
        Q(comments__isnull=False) | ~Q(approval_status=RateLine.Approval.PENDING)
    ).exists():
        return (
            f"Version {upload.version} har bemærkninger eller godkendelser på linjerne, som en "
            "ny validering ville slette. Den er afvist."
        )
    return ""


def upload_revalidate(*, upload: Upload, by) -> Upload:
    """Validate a stored version again (e.g. after a rule change); refused once the version
    carries review work (`upload_revalidation_refusal`)."""
    refusal = upload_revalidation_refusal(upload=upload)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        upload_enqueue(upload=upload, by=by, force=True)
        _event(upload.submission, SubmissionEvent.Kind.REVALIDATED, by,
               f"Version {upload.version}")
    return upload


def upload_enqueue(*, upload: Upload, by=None, force: bool = False) -> Upload:
    """Request validation; idempotent by file sha256 + ruleset version."""
    job = job_request(
        kind=Upload.JOB_KIND, subject=upload,
        input_hash=sha256_hex(f"{upload.sha256}:{RULESET_VERSION}"),
        requested_by=by, force=force,
    )
    if upload.job_id != job.pk:
        upload.job = job
        upload.save(update_fields=["job"])
    return upload


def _stored(value: Decimal | None) -> Decimal | None:
    if value is None or abs(value) >= _MAX_STORED:
        return None
    return value.quantize(Decimal("0.0001"))


def upload_validate(*, upload: Upload, progress=None) -> Upload:
    """Run the validator on the stored file and replace the upload's lines and findings."""
    submission = upload.submission
    refusal = upload_revalidation_refusal(upload=upload)
    if refusal:
        raise ValidationError(refusal)
    params = params_for(rate_round=submission.rate_round, driftsherre=submission.driftsherre)
    with upload.file.open("rb") as fh:
        data = fh.read()
    result = validate_workbook(data, params, progress=progress)
    suffix = PurePath(upload.original_name).suffix.lower()
    if suffix != ".xlsx" and not result.unreadable:
        # The bytes look fine but the name says otherwise (e.g. a macro-free .xlsm).
        result = ValidationResult(findings=[make_finding(
            "FILE_UNREADABLE", sheet="", cell="", value=suffix,
            message=SUFFIX_MESSAGES.get(suffix, SUFFIX_MESSAGES[""]),
        )])
    findings, sheet = result.findings, result.sheet
    lines = _lines_from_sheet(upload, sheet) if sheet is not None else []
    previous = _previous_acknowledgements(upload)
    with transaction.atomic():
        upload.lines.all().delete()
        upload.findings.all().delete()
        RateLine.objects.bulk_create(lines)
        stored = Finding.objects.bulk_create([
            Finding(
                upload=upload, position=i, code=f.code, severity=f.severity.value,
                sheet=f.sheet[:100], cell=f.cell[:20], tilbud=f.tilbud[:300],
                afdeling=f.afdeling[:300], block_index=f.block, message=f.message,
                value=f.value[:500],
            )
            for i, f in enumerate(findings)
        ])
        # A warning acknowledged on the previous version stays acknowledged.
        Acknowledgement.objects.bulk_create([
            Acknowledgement(finding=f, comment=previous[f.compare_key][0],
                            by=previous[f.compare_key][1])
            for f in stored
            if f.severity == Finding.Severity.WARNING and f.compare_key in previous
        ])
        upload.errors_count = sum(1 for f in stored if f.severity == Finding.Severity.ERROR)
        upload.warnings_count = sum(1 for f in stored if f.severity == Finding.Severity.WARNING)
        upload.infos_count = sum(1 for f in stored if f.severity == Finding.Severity.INFO)
        upload.ruleset_version = RULESET_VERSION
        upload.sheet_driftsherre = (sheet.driftsherre if sheet else "")[:200]
        header_overhead = sheet.overhead.get(upload.submission.rate_round.budget_year) if (
            sheet is not None) else None
        upload.header_overhead_pct = (
            header_overhead.quantize(Decimal("0.01"))
            if header_overhead is not None and Decimal(0) <= header_overhead <= Decimal(100)
            else None
        )
        upload.validated_at = timezone.now()
        upload.save(update_fields=[
            "errors_count", "warnings_count", "infos_count", "ruleset_version",
            "sheet_driftsherre", "header_overhead_pct", "validated_at",
        ])
    return upload


def _previous_acknowledgements(upload: Upload) -> dict:
    """Comments on warnings to keep: the previous version's, and this version's own when it
    is validated again (its own win)."""
    kept = {}
    for source in (upload_previous(upload=upload), upload):
        if source is None or source.pk is None:
            continue
        kept.update({
            a.finding.compare_key: (a.comment, a.by)
            for a in Acknowledgement.objects.filter(finding__upload=source).select_related(
                "finding", "by"
            )
        })
    return kept


def _lines_from_sheet(upload: Upload, sheet) -> list[RateLine]:
    driftsherre = upload.submission.driftsherre
    register = {}
    for tilbud in Tilbud.objects.filter(driftsherre=driftsherre).prefetch_related("afdelinger"):
        register[_name_key(tilbud.name)] = (
            tilbud, {_name_key(a.name): a for a in tilbud.afdelinger.all()}
        )
    lines = []
    for index, block in enumerate(sheet.blocks):
        tilbud, afdelinger = register.get(_name_key(block.tilbud), (None, {}))
        afdeling = afdelinger.get(_name_key(block.afdeling))
        for line in block.lines:
            if not (line.has_data or line is block.year1 or line is block.year2):
                continue  # an empty year row (a new offer's year 1, an ended offer's year 2)
            values = {name: _stored(line.get(name)) for name in NUMBER_FIELDS}
            lines.append(RateLine(
                upload=upload, block_index=index, sheet=block.sheet[:100], row=line.row,
                tilbud_name=block.tilbud[:300], afdeling_name=block.afdeling[:300],
                tilbud=tilbud, afdeling=afdeling, paragraph=block.paragraph[:60],
                unit=block.unit[:30],
                year=line.year if line.year and 1900 < line.year < 3000 else None,
                bemaerkning=line.bemaerkning, saerlige_forhold=block.saerlige_forhold,
                used_places=_places(block.used_places, line.year),
                sold_places=_places(block.sold_places, line.year),
                **values,
            ))
    return lines


def _places(rows: dict, year: int | None) -> list[str | None]:
    """The sheet's used/sold places of one year per takst level, as JSON-safe text."""
    values = rows.get(year) or []
    places = [str(_stored(v)) if _stored(v) is not None else None for v in values]
    while places and places[-1] is None:
        places.pop()
    return places


def upload_previous(*, upload: Upload) -> Upload | None:
    return (
        upload.submission.uploads.filter(version__lt=upload.version).order_by("-version").first()
    )


def upload_compare(*, upload: Upload) -> dict:
    """Findings fixed, new and unchanged compared with the previous version."""
    previous = upload_previous(upload=upload)
    current = list(upload.findings.all())
    before = list(previous.findings.all()) if previous else []
    before_keys = {f.compare_key for f in before}
    current_keys = {f.compare_key for f in current}
    return {
        "previous": previous,
        "fixed": [f for f in before if f.compare_key not in current_keys],
        "new": [f for f in current if f.compare_key not in before_keys],
        "unchanged": [f for f in current if f.compare_key in before_keys],
    }


# --------------------------------------------------------------------------- submitting


def upload_is_submitted(*, upload: Upload) -> bool:
    """This version is the submitted one and is with the secretariat (or beyond)."""
    submission = upload.submission
    return submission.submitted_upload_id == upload.pk and submission.status not in (
        Submission.Status.DRAFT, Submission.Status.RETURNED,
    )


def acknowledgements_save(*, upload: Upload, comments: dict[int, str], by) -> int:
    """Save comments on warnings (finding id -> comment); blank comments remove nothing.

    Once a version is submitted its comments are part of the submission and stay fixed.
    """
    if upload_is_submitted(upload=upload):
        raise ValidationError(
            "Versionen er indsendt, så kommentarerne kan ikke ændres. Upload en ny version, "
            "hvis noget skal rettes."
        )
    saved = 0
    warnings = {
        f.pk: f for f in upload.findings.filter(severity=Finding.Severity.WARNING)
    }
    with transaction.atomic():
        for finding_id, comment in comments.items():
            comment = (comment or "").strip()
            finding = warnings.get(finding_id)
            if finding is None or not comment:
                continue
            Acknowledgement.objects.update_or_create(
                finding=finding, defaults={"comment": comment[:2000], "by": by}
            )
            saved += 1
        if saved:
            _event(upload.submission, SubmissionEvent.Kind.ACKNOWLEDGED, by,
                   f"Version {upload.version}: {plural(saved, 'advarsel', 'advarsler')} kvitteret")
    return saved


def submission_can_submit(*, upload: Upload) -> tuple[bool, str]:
    """Whether this version may be submitted, and if not, why (Danish)."""
    submission = upload.submission
    if not submission.rate_round.is_open and submission.revision == 0:
        return False, "Takstrunden er lukket."
    if submission.status in LOCKED_STATUSES:
        return False, (
            f"Indberetningen er {submission.get_status_display().lower()} og kan ikke "
            "indsendes igen."
        )
    latest = submission.uploads.order_by("-version").first()
    if latest is None or latest.pk != upload.pk:
        return False, "Kun den nyeste version kan indsendes."
    if not upload.is_validated:
        return False, "Skemaet er ikke valideret endnu."
    if submission.status == Submission.Status.SUBMITTED and submission.submitted_upload_id == (
        upload.pk
    ):
        return False, "Denne version er allerede indsendt."
    if submission.status == Submission.Status.RETURNED and submission.submitted_upload_id == (
        upload.pk
    ):
        return False, (
            "Indberetningen er returneret med bemærkninger. Upload en rettet version, og "
            "indsend den."
        )
    if upload.errors_count:
        return False, "Skemaet har fejl. Ret dem, og upload skemaet igen."
    missing = upload.findings.filter(
        severity=Finding.Severity.WARNING, acknowledgement__isnull=True
    ).count()
    if missing:
        return False, (f"{plural(missing, 'advarsel', 'advarsler')} "
                       f"{'mangler en kommentar' if missing == 1 else 'mangler kommentarer'}.")
    return True, ""


def submission_submit(*, upload: Upload, by) -> Submission:
    """Submit a validated version: no errors, and every warning acknowledged."""
    allowed, reason = submission_can_submit(upload=upload)
    if not allowed:
        raise ValidationError(reason)
    submission = upload.submission
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_upload = upload
    submission.submitted_by, submission.submitted_at = by, timezone.now()
    submission.full_clean()
    with transaction.atomic():
        submission.save(
            update_fields=["status", "submitted_upload", "submitted_by", "submitted_at"]
        )
        _event(submission, SubmissionEvent.Kind.SUBMITTED, by, f"Version {upload.version}")
        notifications.submitted(submission=submission)
    return submission


# --------------------------------------------------------------------------- review (issue 6)

S = Submission.Status
LOCKED_STATUSES = (S.RECOMMENDED, S.APPROVED, S.PUBLISHED)
REVIEWABLE = (S.SUBMITTED, S.RECOMMENDED)


def _event(submission: Submission, kind: str, by=None, text: str = "") -> SubmissionEvent:
    return SubmissionEvent.objects.create(submission=submission, kind=kind, by=by, text=text)


def _require_reviewer(by, action: str) -> None:
    from socialaftale.permissions import is_sekretariat

    if by is None or not is_sekretariat(by):
        raise ValidationError(f"Kun sekretariatet kan {action}.")


def submission_current(*, rate_round: RateRound, driftsherre: Driftsherre) -> Submission:
    """The driftsherre's newest submission (revision) in the round, made when missing."""
    submission = (
        Submission.objects.filter(rate_round=rate_round, driftsherre=driftsherre)
        .order_by("-revision")
        .first()
    )
    if submission is None:
        submission, _ = Submission.objects.get_or_create(
            rate_round=rate_round, driftsherre=driftsherre, revision=0
        )
    return submission


def submission_comment(
    *, submission: Submission, by, text: str, line: RateLine | None = None,
    source: str = ReviewComment.Source.SEKRETARIAT,
) -> ReviewComment:
    """A reviewer's remark on one rate line or on the whole submission."""
    _require_reviewer(by, "skrive bemærkninger til en indberetning")
    if submission.status not in REVIEWABLE:
        raise ValidationError("Der kan kun skrives bemærkninger til en indsendt indberetning.")
    if source not in ReviewComment.REVIEWER_SOURCES:
        raise ValidationError(
            "En bemærkning fra gennemgangen er fra sekretariatet eller Styringsaftalegruppen; "
            "driftsherren svarer selv på bemærkningerne."
        )
    comment = ReviewComment(
        submission=submission, line=line, source=source, text=(text or "").strip()[:4000], by=by
    )
    comment.full_clean()
    comment.save()
    where = f" ({line.tilbud_name} / {line.afdeling_name})" if line else ""
    _event(submission, SubmissionEvent.Kind.COMMENTED, by, comment.text[:200] + where)
    return comment


ANSWERABLE = (S.SUBMITTED, S.RETURNED, S.DRAFT)


def comment_answer(*, comment: ReviewComment, by, text: str) -> ReviewComment:
    """The driftsherre's answer to a reviewer's comment; part of the review history."""
    from socialaftale.permissions import check_driftsherre_access

    submission = comment.submission
    check_driftsherre_access(by, submission.driftsherre_id)
    if comment.source not in ReviewComment.REVIEWER_SOURCES:
        raise ValidationError("Man kan kun svare på sekretariatets bemærkninger.")
    if submission.status not in ANSWERABLE:
        raise ValidationError(
            f"Indberetningen er {submission.get_status_display().lower()}; bemærkningerne kan "
            "ikke længere besvares."
        )
    answer = ReviewComment(
        submission=submission, line=comment.line, reply_to=comment,
        source=ReviewComment.Source.DRIFTSHERRE, text=(text or "").strip()[:4000], by=by,
    )
    answer.full_clean()
    with transaction.atomic():
        answer.save()
        _event(submission, SubmissionEvent.Kind.ANSWERED, by,
               f"Svar på “{comment.text[:80]}”: {answer.text[:200]}")
        notifications.answered(answer=answer)
    return answer


def rateline_days_set(*, line: RateLine, by, days: int | None) -> RateLine:
    """The paid days a line's rates are computed on (e.g. 250 for a day offer); empty means
    the year's days. The rate sheet has no column for it, so the reviewer records it."""
    _require_reviewer(by, "ændre betalingsdage")
    submission = line.upload.submission
    if submission.status not in REVIEWABLE or line.upload_id != submission.submitted_upload_id:
        raise ValidationError(
            "Betalingsdage kan kun ændres på den indsendte version under gennemgangen."
        )
    if days is not None and not 1 <= days <= 366:
        raise ValidationError("Betalingsdage skal være mellem 1 og 366.")
    with transaction.atomic():
        line.betalingsdage = days
        line.save(update_fields=["betalingsdage"])
        _event(submission, SubmissionEvent.Kind.DAYS_SET, by,
               f"{line.tilbud_name} / {line.afdeling_name} {line.year or ''}: "
               f"{days or 'årets'} dage")
    return line


def _check_no_errors(submission: Submission, action: str) -> None:
    upload = submission.submitted_upload
    if upload is None:
        raise ValidationError(f"Indberetningen er ikke indsendt og kan ikke {action}.")
    if upload.errors_count:
        raise ValidationError(f"En indberetning med fejl kan ikke {action}.")


def submission_return(*, submission: Submission, by, text: str = "") -> Submission:
    """Send a submitted version back for correction; the comments go with it."""
    _require_reviewer(by, "returnere en indberetning")
    if submission.status != S.SUBMITTED:
        raise ValidationError(
            f"Kun indsendte indberetninger kan returneres (status: "
            f"{submission.get_status_display().lower()})."
        )
    with transaction.atomic():
        if (text or "").strip():
            submission_comment(submission=submission, by=by, text=text)
        # Only remarks from this review cycle count: the reviewers' since it was submitted.
        remarks = list(submission.comments.filter(
            at__gte=submission.submitted_at, source__in=ReviewComment.REVIEWER_SOURCES,
        ).select_related("line").order_by("at", "pk"))
        if not remarks:
            raise ValidationError(
                "Skriv mindst én bemærkning til den indsendte version, før indberetningen "
                "returneres."
            )
        submission.status = S.RETURNED
        submission.save(update_fields=["status"])
        _event(submission, SubmissionEvent.Kind.RETURNED, by)
        notifications.returned(submission=submission, comments=remarks)
    return submission


def submission_recommend(*, submission: Submission, by, text: str = "") -> Submission:
    """The secretariat recommends the submission for approval."""
    _require_reviewer(by, "indstille en indberetning")
    if submission.status == S.RETURNED:
        raise ValidationError(
            "En returneret indberetning kan ikke indstilles, før driftsherren har indsendt igen."
        )
    if submission.status != S.SUBMITTED:
        raise ValidationError(
            f"Kun indsendte indberetninger kan indstilles (status: "
            f"{submission.get_status_display().lower()})."
        )
    _check_no_errors(submission, "indstilles")
    submission.status = S.RECOMMENDED
    submission.save(update_fields=["status"])
    _event(submission, SubmissionEvent.Kind.RECOMMENDED, by, (text or "").strip())
    return submission


def rateline_approve(
    *, line: RateLine, by, approve: bool = True, note: str = ""
) -> RateLine:
    """Approve or reject one rate line; the rest of the submission is not held back."""
    _require_reviewer(by, "godkende takster")
    submission = line.upload.submission
    if submission.status not in REVIEWABLE:
        raise ValidationError(
            "Linjer kan kun godkendes eller afvises i en indsendt eller indstillet indberetning."
        )
    if line.upload_id != submission.submitted_upload_id:
        raise ValidationError("Linjen hører ikke til den indsendte version.")
    if submission.submitted_upload.errors_count:
        raise ValidationError("En indberetning med fejl kan ikke godkendes.")
    was_rejected = line.approval_status == RateLine.Approval.REJECTED
    line.approval_status = RateLine.Approval.APPROVED if approve else RateLine.Approval.REJECTED
    fields = ["approval_status"]
    if note.strip():
        line.approval_note = note.strip()[:2000]
        fields.append("approval_note")
    elif approve and was_rejected:
        line.approval_note = ""  # the reason for the rejection no longer applies
        fields.append("approval_note")
    line.save(update_fields=fields)
    kind = SubmissionEvent.Kind.LINE_APPROVED if approve else SubmissionEvent.Kind.LINE_REJECTED
    reason = f": {line.approval_note}" if not approve and line.approval_note else ""
    _event(submission, kind, by,
           f"{line.tilbud_name} / {line.afdeling_name} {line.year or ''}{reason}"[:1000])
    return line


def submission_approve(
    *, submission: Submission, by, delegated: bool = False, note: str = ""
) -> Submission:
    """Approve all pending lines of the submitted version (rejected lines stay rejected).

    Normally a recommended submission; a late one may be approved directly by delegation,
    which is recorded as such and makes the rates official without a DAS meeting.
    """
    _require_reviewer(by, "godkende takster")
    if delegated:
        if not submission.is_late:
            raise ValidationError(
                "Delegeret godkendelse bruges kun til indberetninger modtaget efter fristen."
            )
        if submission.status not in REVIEWABLE:
            raise ValidationError(
                f"Indberetningen kan ikke godkendes (status: "
                f"{submission.get_status_display().lower()})."
            )
    elif submission.status != S.RECOMMENDED:
        raise ValidationError("Kun indstillede indberetninger kan godkendes.")
    _check_no_errors(submission, "godkendes")
    with transaction.atomic():
        submission.submitted_upload.lines.filter(
            approval_status=RateLine.Approval.PENDING
        ).update(approval_status=RateLine.Approval.APPROVED)
        submission.status = S.APPROVED
        submission.approved_by, submission.approved_at = by, timezone.now()
        submission.delegated = delegated
        submission.save(update_fields=["status", "approved_by", "approved_at", "delegated"])
        text = "Godkendt ved delegation (sen indberetning)" if delegated else ""
        _event(submission, SubmissionEvent.Kind.APPROVED, by, " ".join([text, note]).strip())
        rejected = list(submission.submitted_upload.lines.filter(
            approval_status=RateLine.Approval.REJECTED).order_by("block_index", "year", "row"))
        if rejected:
            notifications.lines_rejected(submission=submission, lines=rejected)
        notifications.approved(submission=submission)
    return submission


def das_approval_record(
    *, submissions, by, date: datetime.date, reference: str, item=None, note: str = "",
) -> DasApproval:
    """DAS Social's approval on a meeting's agenda item: what makes the rates official."""
    from django.contrib.contenttypes.models import ContentType

    from moeder.models import ItemLink

    _require_reviewer(by, "registrere DAS Socials godkendelse")
    submissions = list(submissions)
    if not submissions:
        raise ValidationError("Vælg mindst én indberetning.")
    rounds = {s.rate_round_id for s in submissions}
    if len(rounds) != 1:
        raise ValidationError("Indberetningerne skal høre til samme takstrunde.")
    for submission in submissions:
        if submission.status not in (S.APPROVED, S.PUBLISHED):
            raise ValidationError(
                f"{submission.driftsherre}: kun godkendte indberetninger kan godkendes af DAS "
                f"(status: {submission.get_status_display().lower()})."
            )
    if not (reference or "").strip():
        raise ValidationError("Skriv en henvisning, fx “DAS Social 17.11.2025, pkt. 5”.")
    if date > timezone.localdate():
        raise ValidationError("DAS Socials godkendelse kan ikke dateres i fremtiden.")
    if item is not None and date != item.meeting.date:
        raise ValidationError(
            f"Datoen skal være mødets dato ({item.meeting.date:%d.%m.%Y}), når godkendelsen "
            "står på et dagsordenspunkt."
        )
    # One submission may be approved on several items (rates on one, a budget on another),
    # but the same item or reference twice is a mistake.
    same = DasApproval.objects.filter(submissions__in=submissions).filter(
        Q(item=item) if item is not None else Q(reference__iexact=reference.strip())
    )
    if same.exists():
        raise ValidationError(
            "DAS Socials godkendelse på dette punkt er allerede registreret for indberetningen."
        )
    with transaction.atomic():
        approval = DasApproval(
            rate_round_id=rounds.pop(), item=item, date=date, reference=reference.strip(),
            note=note, created_by=by,
        )
        approval.full_clean()
        approval.save()
        approval.submissions.set(submissions)
        for submission in submissions:
            _event(submission, SubmissionEvent.Kind.DAS_APPROVED, by, approval.reference)
            notifications.das_approved(submission=submission, approval=approval)
        if item is not None:
            names = ", ".join(sorted(s.driftsherre.name for s in submissions))
            ItemLink.objects.get_or_create(
                item=item, content_type=ContentType.objects.get_for_model(DasApproval),
                object_id=approval.pk,
                defaults={"label": f"Takster {approval.rate_round.budget_year} godkendt: "
                                   f"{names}"[:200]},
            )
    return approval


def das_agenda_item_create(*, meeting, title: str, by, case_number: str = ""):
    """A new agenda item on a DAS meeting for approving rates (from the review page); it is
    placed before the closing standard items like any other new item."""
    from moeder.services import item_add

    _require_reviewer(by, "oprette dagsordenspunkter")
    if not (title or "").strip():
        raise ValidationError("Skriv en titel til dagsordenspunktet.")
    if meeting.state == meeting.State.REFERAT_GODKENDT:
        # Adding an item renumbers the closing items of an approved record.
        raise ValidationError(
            f"Referatet af mødet {meeting.date:%d.%m.%Y} er godkendt; der kan ikke tilføjes "
            "punkter. Vælg et senere møde."
        )
    return item_add(meeting=meeting, title=title.strip()[:300], case_number=case_number[:30])


def submission_is_official(submission: Submission) -> bool:
    return submission.status in (S.APPROVED, S.PUBLISHED) and (
        submission.delegated or submission.das_approvals.exists()
    )


def submission_revise(*, submission: Submission, by, reason: str) -> Submission:
    """A new version of an approved submission during the year, with its own approval."""
    if not (reason or "").strip():
        raise ValidationError("Skriv en begrundelse for revisionen.")
    if not submission_is_official(submission):
        raise ValidationError(
            "Kun takster, der er godkendt af DAS Social (eller ved delegation), kan revideres."
        )
    if submission.revisions.exists():
        raise ValidationError("Der er allerede startet en revision af denne indberetning.")
    with transaction.atomic():
        revision = Submission.objects.create(
            rate_round=submission.rate_round, driftsherre=submission.driftsherre,
            revision=submission.revision + 1, revision_of=submission,
            revision_reason=reason.strip(),
        )
        _event(revision, SubmissionEvent.Kind.REVISED, by, reason.strip()[:500])
    return revision


# --------------------------------------------------------------------------- reminders


def _not_submitted(rate_round: RateRound) -> list[Driftsherre]:
    """Driftsherrer whose first submission in the round is not with the secretariat."""
    submitted = set(
        Submission.objects.filter(rate_round=rate_round, revision=0)
        .exclude(status__in=(S.DRAFT, S.RETURNED))
        .values_list("driftsherre_id", flat=True)
    )
    return list(Driftsherre.objects.exclude(pk__in=submitted))


def rate_reminders_send(
    *, rate_round: RateRound, by=None, today: datetime.date | None = None
) -> list[str]:
    """E-mail every driftsherre that has not submitted by the deadline (the button and the
    command: sent each time they are used); returns the names reminded."""
    today = today or timezone.localdate()
    if not (rate_round.is_open and rate_round.past_deadline(today)):
        return []
    names = []
    with transaction.atomic():
        for driftsherre in _not_submitted(rate_round):
            submission = submission_current(rate_round=rate_round, driftsherre=driftsherre)
            sent = notifications.reminder(submission=submission, kind="after", today=today)
            if sent:
                names.append(driftsherre.name)
                _event(submission, SubmissionEvent.Kind.REMINDED, by,
                       ", ".join(n.to for n in sent))
    return names


def deadline_reminders_send(*, today: datetime.date | None = None) -> int:
    """The periodic reminders of every open round: 14 and 3 days before the deadline and
    after it, each kind once per driftsherre (safe to run many times a day)."""
    today = today or timezone.localdate()
    count = 0
    for rate_round in RateRound.objects.filter(status=RateRound.Status.OPEN).select_related(
        "parameters"
    ):
        kind = notifications.reminder_kind(deadline=rate_round.deadline, today=today)
        if kind is None:
            continue
        with transaction.atomic():
            for driftsherre in _not_submitted(rate_round):
                submission = submission_current(rate_round=rate_round, driftsherre=driftsherre)
                sent = notifications.reminder(
                    submission=submission, kind=kind, today=today,
                    key=f"takster.reminder:{rate_round.pk}:{driftsherre.pk}:{kind}",
                )
                if sent:
                    count += 1
                    _event(submission, SubmissionEvent.Kind.REMINDED, None,
                           f"{notifications.REMINDER_LABELS[kind]}: "
                           + ", ".join(n.to for n in sent))
    return count


# --------------------------------------------------------------------------- publication


def submissions_in_force(*, rate_round: RateRound) -> list[Submission]:
    """Per driftsherre the newest official (DAS-approved or delegated) submission."""
    candidates = (
        Submission.objects.filter(rate_round=rate_round, status__in=(S.APPROVED, S.PUBLISHED))
        .filter(models.Q(delegated=True) | models.Q(das_approvals__isnull=False))
        .distinct()
        .order_by("driftsherre_id", "-revision")
    )
    newest: dict[int, Submission] = {}
    for submission in candidates:
        newest.setdefault(submission.driftsherre_id, submission)
    return list(newest.values())


def takstbilag_draft(
    *, rate_round: RateRound, by, label: str = "", render: bool = True
) -> Takstbilag:
    """A new draft version with the submissions in force now; renders PDF and xlsx
    (`render=False` when it is published at once, which renders it anyway).

    There is one draft at a time: asked again, the existing draft is brought up to date with
    the submissions in force now (e.g. a driftsherre DAS approved since), so a stale draft
    never hides rates that are official."""
    _require_reviewer(by, "lave et takstbilag")
    submissions = submissions_in_force(rate_round=rate_round)
    if not submissions:
        raise ValidationError(
            f"Der er ingen takster for {rate_round.budget_year} godkendt af DAS Social endnu."
        )
    with transaction.atomic():
        draft = Takstbilag.objects.select_for_update().filter(
            rate_round=rate_round, status=Takstbilag.Status.DRAFT).first()
        if draft is not None:
            draft.submissions.set(submissions)
            if label:
                draft.label = label
                draft.save(update_fields=["label"])
            if render:
                takstbilag_render(takstbilag=draft, by=by)
            return draft
        version = (
            Takstbilag.objects.filter(rate_round=rate_round).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        takstbilag = Takstbilag.objects.create(
            rate_round=rate_round, version=version, created_by=by,
            label=label or f"Version {version}",
        )
        takstbilag.submissions.set(submissions)
        if render:
            takstbilag_render(takstbilag=takstbilag, by=by)
    return takstbilag


def takstbilag_render(*, takstbilag: Takstbilag, by=None, force: bool = False) -> Takstbilag:
    """Request the PDF and xlsx jobs; unchanged data reuses the finished jobs (unless `force`:
    the secretariat renders them again)."""
    from .publication import data_hash, takstbilag_data

    digest = data_hash(takstbilag_data(takstbilag))
    public = takstbilag.is_published
    takstbilag.pdf_job = job_request(
        kind=Takstbilag.PDF_JOB, subject=takstbilag, input_hash=digest, requested_by=by,
        public=public, force=force,
    )
    takstbilag.xlsx_job = job_request(
        kind=Takstbilag.XLSX_JOB, subject=takstbilag, input_hash=digest, requested_by=by,
        public=public, force=force,
    )
    takstbilag.input_hash = digest
    takstbilag.save(update_fields=["pdf_job", "xlsx_job", "input_hash"])
    return takstbilag


def takstbilag_is_rendering(takstbilag: Takstbilag) -> bool:
    """The PDF or xlsx has been requested and is not finished yet."""
    return any(job is not None and not job.is_finished
               for job in (takstbilag.pdf_job, takstbilag.xlsx_job))


def takstbilag_missing(takstbilag: Takstbilag) -> list[Driftsherre]:
    """Driftsherrer without rates in this version."""
    included = takstbilag.submissions.values_list("driftsherre_id", flat=True)
    return list(Driftsherre.objects.exclude(pk__in=included).order_by("name"))


def takstbilag_publish(
    *, takstbilag: Takstbilag, by, note: str = "",
    published_at: datetime.datetime | None = None,
) -> Takstbilag:
    """Publish a draft: visible to everyone; its submissions become published.

    Not while its files are rendering; without every driftsherre only with a reason
    (`note`), which the document's version note shows. `published_at` records a
    publication made earlier (the demo's 2026 versions)."""
    _require_reviewer(by, "offentliggøre et takstbilag")
    if takstbilag.is_published:
        raise ValidationError("Takstbilaget er allerede offentliggjort.")
    if takstbilag_is_rendering(takstbilag):
        raise ValidationError(
            "PDF og regneark dannes stadig. Vent, til de er færdige, og kontrollér dem, før "
            "takstbilaget offentliggøres."
        )
    note = (note or "").strip()
    missing = takstbilag_missing(takstbilag)
    if missing and not note:
        raise ValidationError(
            f"{len(missing)} driftsherre(r) mangler i takstbilaget "
            f"({', '.join(d.name for d in missing)}). Skriv en begrundelse for at "
            "offentliggøre uden dem; den står i versionsnoten."
        )
    with transaction.atomic():
        takstbilag.status = Takstbilag.Status.PUBLISHED
        takstbilag.published_at, takstbilag.published_by = published_at or timezone.now(), by
        takstbilag.publication_note = note[:2000]
        takstbilag.save(
            update_fields=["status", "published_at", "published_by", "publication_note"]
        )
        for submission in takstbilag.submissions.select_for_update().select_related(
            "driftsherre", "rate_round__parameters"
        ):
            if submission.status != S.PUBLISHED:
                submission.status = S.PUBLISHED
                submission.save(update_fields=["status"])
            _event(submission, SubmissionEvent.Kind.PUBLISHED, by, str(takstbilag))
            notifications.published(submission=submission, takstbilag=takstbilag)
        takstbilag_render(takstbilag=takstbilag, by=by)
    return takstbilag
