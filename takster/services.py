"""Domain writes of the rate round: open, template, store, validate, acknowledge, submit."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from socialaftale.jobs import job_request
from socialaftale.models import Driftsherre, Styringsparametre, sha256_hex
from tilbud.models import Tilbud

from .models import Acknowledgement, Finding, RateLine, RateRound, Submission, Upload
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
    rate_round.save()
    return rate_round


def _previous_lines(*, driftsherre: Driftsherre, rate_round: RateRound) -> list[RateLine]:
    """Budget-year lines from last year's round: approved lines if any, else the latest
    validated upload of that round (until approval exists, issue 6)."""
    previous = (
        Submission.objects.filter(
            driftsherre=driftsherre,
            rate_round__parameters__budget_year=rate_round.budget_year - 1,
        )
        .select_related("submitted_upload")
        .first()
    )
    if previous is None:
        return []
    lines = RateLine.objects.filter(
        upload__submission=previous, year=rate_round.budget_year - 1,
        approval_status=RateLine.Approval.APPROVED,
    )
    if lines.exists():
        return list(lines)
    upload = previous.submitted_upload or (
        previous.uploads.filter(validated_at__isnull=False).order_by("-version").first()
    )
    if upload is None:
        return []
    return list(upload.lines.filter(year=rate_round.budget_year - 1))


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


def template_build_for(*, driftsherre: Driftsherre, rate_round: RateRound) -> bytes:
    """The driftsherre's prefilled .xlsx template for the round."""
    budget_year = rate_round.budget_year
    previous = {
        (_name_key(line.tilbud_name), _name_key(line.afdeling_name)): line
        for line in _previous_lines(driftsherre=driftsherre, rate_round=rate_round)
    }
    blocks = []
    for tilbud, afdeling in _register_blocks(driftsherre=driftsherre, budget_year=budget_year):
        afdeling_name = afdeling.name if afdeling else tilbud.name
        paragraphs = list(afdeling.paragraphs.all() if afdeling else []) or list(
            tilbud.paragraphs.all()
        )
        places = (afdeling.places if afdeling else None) or tilbud.places
        line = previous.get((_name_key(tilbud.name), _name_key(afdeling_name)))
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
    return build_template(
        driftsherre_name=driftsherre.name,
        driftsherre_kind=driftsherre.kind,
        budget_year=budget_year,
        pl_kommuner=parameters.pl_kommuner,
        pl_regioner=parameters.pl_regioner,
        overhead_by_year={budget_year - 1: None, budget_year: None},
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
        for tilbud in Tilbud.objects.filter(driftsherre=driftsherre).prefetch_related(
            "afdelinger"
        ):
            offers[tilbud.name] = {tilbud.name} | {a.name for a in tilbud.afdelinger.all()}
        # An empty register cannot tell right from wrong names: skip the check then.
        known_offers = offers or None
        if rate_round is not None:
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
    if not rate_round.is_open:
        raise ValidationError("Takstrunden er lukket; der kan ikke uploades flere skemaer.")
    digest = sha256_hex(content)
    with transaction.atomic():
        submission, _ = Submission.objects.get_or_create(
            rate_round=rate_round, driftsherre=driftsherre
        )
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        latest = submission.uploads.order_by("-version").first()
        if latest is not None and latest.sha256 == digest:
            return latest
        version = (submission.uploads.aggregate(v=Max("version"))["v"] or 0) + 1
        safe_name = PurePath(original_name or "takstskema.xlsx").name[:200]
        upload = Upload(
            submission=submission, version=version, sha256=digest, size=len(content),
            original_name=safe_name, uploaded_by=by,
        )
        upload.file.save(
            f"{driftsherre.slug}-{rate_round.budget_year}-v{version}-{digest[:12]}.xlsx",
            ContentFile(content), save=False,
        )
        upload.save()
        if submission.status == Submission.Status.SUBMITTED:
            # A new version reopens the submission; the submitted version stays recorded.
            submission.status = Submission.Status.DRAFT
            submission.save(update_fields=["status"])
        upload_enqueue(upload=upload, by=by)
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
                afdeling=f.afdeling[:300], message=f.message, value=f.value[:500],
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
        upload.validated_at = timezone.now()
        upload.save(update_fields=[
            "errors_count", "warnings_count", "infos_count", "ruleset_version",
            "sheet_driftsherre", "validated_at",
        ])
    return upload


def _previous_acknowledgements(upload: Upload) -> dict:
    previous = upload_previous(upload=upload)
    if previous is None:
        return {}
    return {
        a.finding.compare_key: (a.comment, a.by)
        for a in Acknowledgement.objects.filter(finding__upload=previous).select_related(
            "finding", "by"
        )
    }


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
            values = {name: _stored(line.get(name)) for name in NUMBER_FIELDS}
            lines.append(RateLine(
                upload=upload, block_index=index, sheet=block.sheet[:100], row=line.row,
                tilbud_name=block.tilbud[:300], afdeling_name=block.afdeling[:300],
                tilbud=tilbud, afdeling=afdeling, paragraph=block.paragraph[:60],
                unit=block.unit[:30],
                year=line.year if line.year and 1900 < line.year < 3000 else None,
                bemaerkning=line.bemaerkning, saerlige_forhold=block.saerlige_forhold,
                **values,
            ))
    return lines


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


def acknowledgements_save(*, upload: Upload, comments: dict[int, str], by) -> int:
    """Save comments on warnings (finding id -> comment); blank comments remove nothing."""
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
    return saved


def submission_can_submit(*, upload: Upload) -> tuple[bool, str]:
    """Whether this version may be submitted, and if not, why (Danish)."""
    submission = upload.submission
    if not submission.rate_round.is_open:
        return False, "Takstrunden er lukket."
    latest = submission.uploads.order_by("-version").first()
    if latest is None or latest.pk != upload.pk:
        return False, "Kun den nyeste version kan indsendes."
    if not upload.is_validated:
        return False, "Skemaet er ikke valideret endnu."
    if submission.status == Submission.Status.SUBMITTED and submission.submitted_upload_id == (
        upload.pk
    ):
        return False, "Denne version er allerede indsendt."
    if upload.errors_count:
        return False, "Skemaet har fejl. Ret dem, og upload skemaet igen."
    missing = upload.findings.filter(
        severity=Finding.Severity.WARNING, acknowledgement__isnull=True
    ).count()
    if missing:
        return False, f"{missing} advarsel(er) mangler en kommentar."
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
    submission.save(update_fields=["status", "submitted_upload", "submitted_by", "submitted_at"])
    return submission
