"""From the approved rate lines to the model-free takstbilag data (`takstbilag.py`).

`takstbilag_data(takstbilag)` reads one `Takstbilag` version: its submissions in force, their
approved lines (budget year and the year before), the DAS approvals and the earlier published
versions as the history. The result is plain data; its sha256 (`data_hash`) is the render
jobs' input hash, so unchanged content reuses the finished PDF and xlsx.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal
from statistics import mean

from django.db.models import Prefetch

from .models import DasApproval, RateLine, Submission, Takstbilag
from .takstbilag import (
    OBJECTIVE_UNIT,
    DriftsherreSection,
    Offer,
    OfferYear,
    TakstbilagData,
    TakstbilagVersion,
)

_DAS = Prefetch("das_approvals", queryset=DasApproval.objects.order_by("date", "pk"))


def data_hash(data: TakstbilagData) -> str:
    """sha256 of the data (dataclass repr is stable: Decimals, dates, strings, tuples)."""
    return hashlib.sha256(repr(data).encode()).hexdigest()


def _year(line: RateLine, days_in_year: int) -> OfferYear:
    objective = line.unit == OBJECTIVE_UNIT
    return OfferYear(
        year=line.year, pladser=line.pladser,
        belaegning=Decimal(100) if objective and line.belaegning is None else line.belaegning,
        budget=line.budget, regulering=line.regulering, oh_pct=line.oh_pct, basis=line.basis,
        time=line.time, takster=tuple(line.takster), tomgang=line.tomgang,
        days=1 if objective else (line.betalingsdage or days_in_year),
    )


def _rates_text(year: OfferYear | None) -> str:
    if year is None:
        return "–"
    from .takstbilag import fmt_amount

    rates = [fmt_amount(r) for r in (year.basis, year.time, *year.takster) if r is not None]
    if not rates:
        return "–"
    return "/".join(rates) + f" kr. på {year.days} dage"


def _structure(year: OfferYear) -> tuple[bool, ...]:
    """Which rates the year has (basis, time, takst 1-10): its rate structure."""
    takster = tuple(year.takster) + (None,) * (10 - len(year.takster))
    return tuple(r is not None for r in (year.basis, year.time, *takster))


def _has_rates(year: OfferYear | None) -> bool:
    return year is not None and any(_structure(year))


def _match(candidates: list[tuple], unit: str, year: OfferYear, position: int):
    """The earlier block a revised block replaces, among the earlier blocks with the same
    tilbud/afdeling (several when the rate structure changed): the same unit and rate
    structure, else the same unit, else the same position in block order."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    structure = _structure(year)
    for test in (
        lambda c: c[0] == unit and _structure(c[1]) == structure,
        lambda c: c[0] == unit,
    ):
        found = [c for c in candidates if test(c)]
        if len(found) == 1:
            return found[0]
    return candidates[position] if position < len(candidates) else None


def _offers(submission: Submission, budget_year: int, days_in_year: int,
            replaced: dict[tuple[str, str], OfferYear] | None, revision_ref: str) -> list[Offer]:
    blocks: dict[int, dict[int, RateLine]] = defaultdict(dict)
    for line in submission.submitted_upload.lines.all():
        blocks[line.block_index][line.year] = line
    offers = []
    positions: dict[tuple[str, str], int] = defaultdict(int)
    for index in sorted(blocks):
        years = blocks[index]
        current = years.get(budget_year)
        previous = years.get(budget_year - 1)
        head = current or previous
        if current is not None and current.approval_status != RateLine.Approval.APPROVED:
            continue  # rejected or not approved: not in force
        cur = _year(current, days_in_year) if current else None
        revision_note = ""
        approval_note = current.approval_note if current else ""
        if replaced is not None and _has_rates(cur):
            key = (head.tilbud_name, head.afdeling_name)
            match = _match(replaced.get(key, []), head.unit, cur, positions[key])
            positions[key] += 1
            _, before, before_note = match or (None, None, "")
            approval_note = approval_note or before_note
            if _has_rates(before) and before != cur:
                revision_note = (
                    f"Revideret ({revision_ref}): takst {budget_year} var {_rates_text(before)}; "
                    f"nu {_rates_text(cur)}."
                )
        offers.append(Offer(
            tilbud=head.tilbud_name, afdeling=head.afdeling_name, paragraphs=head.paragraph,
            unit=head.unit, previous=_year(previous, days_in_year) if previous else None,
            current=cur, bemaerkning=_remark(previous, current),
            saerlige_forhold=head.saerlige_forhold,
            approval_note=approval_note,
            revision_note=revision_note,
        ))
    return offers


def _remark(*lines: RateLine | None) -> str:
    """Every Bemærkning of the block (the rule book: a remark in either year's row explains
    the rise or the low belægning), so the takstbilag never drops the justification."""
    parts = [line.bemaerkning for line in lines if line is not None and line.bemaerkning]
    return "\n".join(dict.fromkeys(parts))


def _replaced_years(submission: Submission, budget_year: int, days_in_year: int):
    previous = submission.revision_of
    if previous is None or previous.submitted_upload_id is None:
        return None
    replaced: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for line in previous.submitted_upload.lines.filter(year=budget_year).order_by(
        "block_index", "row"
    ):
        year = _year(line, days_in_year)
        if _has_rates(year):  # an empty year row (an old rate structure) replaces nothing
            replaced[(line.tilbud_name, line.afdeling_name)].append(
                (line.unit, year, line.approval_note)
            )
    return replaced


def _reference(submission: Submission) -> str:
    approvals = list(submission.das_approvals.all())
    if approvals:
        return approvals[0].reference
    return "godkendt ved delegation" if submission.delegated else ""


def _section(submission: Submission, budget_year: int, days_in_year: int) -> DriftsherreSection:
    reference = _reference(submission)
    replaced = _replaced_years(submission, budget_year, days_in_year)
    offers = _offers(submission, budget_year, days_in_year, replaced, reference)
    lines = list(submission.submitted_upload.lines.all())

    def overhead(year: int) -> Decimal | None:
        values = [ln.oh_pct for ln in lines if ln.year == year and ln.oh_pct is not None]
        return Decimal(mean(values)).quantize(Decimal("0.1")) if values else None

    remark_parts = []
    earlier = submission.revision_of
    while earlier is not None:
        references = "; ".join(a.reference for a in earlier.das_approvals.all())
        if references:
            remark_parts.insert(0, f"Godkendt: {references}.")
        earlier = earlier.revision_of
    approvals = "; ".join(a.reference for a in submission.das_approvals.all())
    if approvals:
        remark_parts.append(
            f"{'Revision godkendt' if submission.revision else 'Godkendt'}: {approvals}."
        )
    if submission.delegated:
        remark_parts.append("Sen indberetning godkendt af sekretariatet ved delegation.")
    left_out = [
        line for line in lines
        if line.year == budget_year and line.approval_status == RateLine.Approval.REJECTED
    ]
    for line in left_out:
        name = line.tilbud_name + (
            f" / {line.afdeling_name}"
            if line.afdeling_name and line.afdeling_name != line.tilbud_name else ""
        )
        reason = f": {line.approval_note.rstrip('.')}" if line.approval_note else ""
        remark_parts.append(f"Ikke med (takst afvist): {name}{reason}.")
    if submission.revision:
        remark_parts.append(
            f"Revision {submission.revision}: {submission.revision_reason_bare}."
        )
    driftsherre = submission.driftsherre
    return DriftsherreSection(
        name=driftsherre.name, kind=driftsherre.kind, slug=driftsherre.slug, offers=tuple(offers),
        overhead_pct=overhead(budget_year), overhead_pct_previous=overhead(budget_year - 1),
        remark=" ".join(remark_parts),
    )


def _version(takstbilag: Takstbilag) -> TakstbilagVersion:
    approvals = [a for s in takstbilag.submissions.all() for a in s.das_approvals.all()]
    latest = max((a.date for a in approvals), default=None)
    references = sorted({a.reference for a in approvals if a.date == latest})
    return TakstbilagVersion(
        number=takstbilag.version, label=takstbilag.label or f"Version {takstbilag.version}",
        approved_on=latest, approved_by="; ".join(references),
        published_on=takstbilag.published_at.date() if takstbilag.published_at else None,
        note=_sentences([*sorted({a.note for a in approvals if a.note}),
                         *([takstbilag.publication_note] if takstbilag.publication_note else [])]),
    )


def _sentences(parts: list[str]) -> str:
    """Notes as one text: each a sentence ending in a full stop, separated by a space
    ("… Aalborg Kommune. Demodata: …", not "… Aalborg Kommune.; Demodata: …")."""
    parts = [p.strip() for p in parts if p and p.strip()]
    return " ".join(p if p[-1] in ".!?" else p + "." for p in parts)


def _submissions_queryset():
    return Submission.objects.select_related(
        "driftsherre", "submitted_upload", "revision_of__submitted_upload"
    ).prefetch_related(
        _DAS, Prefetch("submitted_upload__lines", queryset=RateLine.objects.order_by(
            "block_index", "year", "row"))
    ).order_by("driftsherre__name")


def takstbilag_data(takstbilag: Takstbilag) -> TakstbilagData:
    """The document data for one takstbilag version (draft or published)."""
    rate_round = takstbilag.rate_round
    parameters = rate_round.parameters
    budget_year = parameters.budget_year
    days_in_year = getattr(parameters, "days_in_year", None) or 365
    submissions = list(_submissions_queryset().filter(takstbilag=takstbilag))
    sections = tuple(
        _section(s, budget_year, days_in_year) for s in submissions if s.submitted_upload_id
    )
    history = list(
        Takstbilag.objects.filter(
            rate_round=rate_round, version__lte=takstbilag.version
        ).filter(status=Takstbilag.Status.PUBLISHED).prefetch_related(
            Prefetch("submissions", queryset=Submission.objects.prefetch_related(_DAS))
        ).order_by("version")
    )
    if not takstbilag.is_published:
        history.append(takstbilag)
    published_on = takstbilag.published_at.date() if takstbilag.published_at else None
    return TakstbilagData(
        budget_year=budget_year, pl_kommuner=parameters.pl_kommuner,
        pl_regioner=parameters.pl_regioner, driftsherrer=sections,
        rise_threshold_pp=parameters.rise_threshold_pp,
        occupancy_threshold=parameters.occupancy_threshold,
        version_number=takstbilag.version,
        version_label=takstbilag.label or f"Version {takstbilag.version}",
        published_on=published_on,
        versions=tuple(_version(t) for t in history),
    )
