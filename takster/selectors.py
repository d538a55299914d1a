"""Reads for the rate-round pages: who may see which upload, the report, the overview."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from socialaftale.models import Driftsherre
from socialaftale.permissions import check_driftsherre_access

from .models import (
    RateLine,
    RateRound,
    ReviewComment,
    Submission,
    SubmissionEvent,
    Takstbilag,
    Upload,
)
from .validation import FINDING_CODES
from .validation.numbers import format_da, rise_pct
from .validation.params import COLUMN_TITLES, RATE_FIELDS

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def open_rounds():
    return RateRound.objects.filter(status=RateRound.Status.OPEN).select_related("parameters")


def review_rounds():
    """Rounds the secretariat follows: open ones and closed ones not fully published."""
    return RateRound.objects.select_related("parameters").order_by(
        "-parameters__budget_year")[:3]


def round_get(round_id: int) -> RateRound:
    return get_object_or_404(RateRound.objects.select_related("parameters"), pk=round_id)


def driftsherre_for(user, driftsherre_id: int) -> Driftsherre:
    """The driftsherre a user may act for; another driftsherre's id answers 404."""
    check_driftsherre_access(user, driftsherre_id)
    return get_object_or_404(Driftsherre, pk=driftsherre_id)


def upload_for(user, upload_id: int) -> Upload:
    """An upload the user may see: its own driftsherre's, or any for the secretariat."""
    upload = get_object_or_404(
        Upload.objects.select_related(
            "job", "uploaded_by", "submission__driftsherre", "submission__rate_round__parameters"
        ),
        pk=upload_id,
    )
    check_driftsherre_access(user, upload.submission.driftsherre_id)
    return upload


def submission_for(user, submission_id: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related(
            "driftsherre", "rate_round__parameters", "submitted_upload", "revision_of"
        ),
        pk=submission_id,
    )
    check_driftsherre_access(user, submission.driftsherre_id)
    return submission


def latest_uploads(submissions) -> dict[int, Upload]:
    """Latest upload per submission id, in one query."""
    latest: dict[int, Upload] = {}
    uploads = Upload.objects.filter(submission__in=submissions).select_related("job").order_by(
        "submission_id", "-version"
    )
    for upload in uploads:
        latest.setdefault(upload.submission_id, upload)
    return latest


class State:
    """The overview's states of a driftsherre in a round (label, badge class)."""

    NOT_STARTED = ("Ikke startet", "")
    ERRORS = ("Uploadet med fejl", "error")
    UPLOADED = ("Uploadet, ikke indsendt", "warning")
    SUBMITTED = ("Indsendt", "info")
    RETURNED = ("Returneret med bemærkninger", "warning")
    RECOMMENDED = ("Indstillet", "info")
    APPROVED = ("Godkendt", "ok")
    PUBLISHED = ("Offentliggjort", "ok")


def submission_state(submission: Submission | None, upload: Upload | None) -> tuple[str, str]:
    if submission is None or upload is None:
        return State.NOT_STARTED
    if submission.status == Submission.Status.DRAFT:
        return State.ERRORS if upload.errors_count else State.UPLOADED
    return getattr(State, submission.status.upper())


def round_overview(rate_round: RateRound) -> list[dict]:
    """Every driftsherre with its newest submission (revision), latest upload, state and
    last event (secretariat's table); a fixed number of queries."""
    submissions: dict[int, Submission] = {}
    queryset = (
        Submission.objects.filter(rate_round=rate_round)
        .select_related("driftsherre", "rate_round")
        .prefetch_related(
            Prefetch("events", queryset=SubmissionEvent.objects.select_related("by").order_by(
                "at", "pk")),
            "das_approvals",
        )
        .order_by("driftsherre_id", "-revision")
    )
    for submission in queryset:
        submissions.setdefault(submission.driftsherre_id, submission)
    latest = latest_uploads(list(submissions.values()))
    today = timezone.localdate()
    rows = []
    for driftsherre in Driftsherre.objects.all():
        submission = submissions.get(driftsherre.pk)
        upload = latest.get(submission.pk) if submission else None
        state = submission_state(submission, upload)
        events = list(submission.events.all()) if submission else []
        rows.append({
            "driftsherre": driftsherre,
            "submission": submission,
            "upload": upload,
            "state": state[0], "badge": state[1], "state_key": state,
            "last_event": events[-1] if events else None,
            "late": rate_round.is_open and today > rate_round.deadline and state in (
                State.NOT_STARTED, State.ERRORS, State.UPLOADED, State.RETURNED
            ) and (submission is None or submission.revision == 0),
            "official": bool(submission and (
                submission.delegated or list(submission.das_approvals.all())
            )),
        })
    return rows


def round_overviews(rounds) -> list[tuple[RateRound, list[dict], dict]]:
    """Per round: the overview rows (each with its summary) and the progress counts."""
    result = []
    for rate_round in rounds:
        rows = round_overview(rate_round)
        summaries = round_summaries(rate_round, rows)
        for row in rows:
            row["summary"] = summaries.get(row["submission"].pk) if row["submission"] else None
        result.append((rate_round, rows, round_progress(rows)))
    return result


def round_progress(rows: list[dict]) -> dict:
    """x of n submitted, reviewed (recommended or further) and approved, from the overview."""
    states = [r["state_key"] for r in rows]
    return {
        "total": len(rows),
        "submitted": sum(s in (State.SUBMITTED, State.RECOMMENDED, State.APPROVED,
                               State.PUBLISHED) for s in states),
        "reviewed": sum(s in (State.RECOMMENDED, State.APPROVED, State.PUBLISHED)
                        for s in states),
        "approved": sum(s in (State.APPROVED, State.PUBLISHED) for s in states),
        "late": sum(bool(r["late"]) for r in rows),
    }


def review_lines(submission: Submission) -> list[dict]:
    """The submitted version's lines grouped per offer, each with its comments."""
    upload = submission.submitted_upload
    if upload is None:
        return []
    lines = upload.lines.prefetch_related(
        Prefetch("comments", queryset=ReviewComment.objects.select_related("by"))
    ).order_by("block_index", "year", "row")
    return list(lines)


def submission_comments(submission: Submission):
    """The reviewers' comments on the submission (whole and per line), oldest first, each
    with the driftsherre's answers (`answers`)."""
    return submission.comments.filter(reply_to__isnull=True).select_related(
        "by", "line").prefetch_related(
        Prefetch("answers", queryset=ReviewComment.objects.select_related("by").order_by(
            "at", "pk"))
    ).order_by("at", "pk")


def comment_for(user, comment_id: int) -> ReviewComment:
    """A comment the user may answer: on its own driftsherre's submission (else 404)."""
    comment = get_object_or_404(
        ReviewComment.objects.select_related("submission__driftsherre", "line"), pk=comment_id
    )
    check_driftsherre_access(user, comment.submission.driftsherre_id)
    return comment


def takstbilag_publication_check(takstbilag: Takstbilag) -> dict:
    """What the publish confirmation shows: included and missing driftsherrer, the rejected
    lines left out, and whether the files are still rendering."""
    from .services import takstbilag_is_rendering, takstbilag_missing

    included = list(takstbilag.submissions.select_related("driftsherre").order_by(
        "driftsherre__name"))
    rejected = list(RateLine.objects.filter(
        upload__in=[s.submitted_upload_id for s in included],
        year=takstbilag.budget_year, approval_status=RateLine.Approval.REJECTED,
    ).select_related("upload__submission__driftsherre").order_by(
        "upload__submission__driftsherre__name", "block_index"))
    in_force = Takstbilag.objects.filter(
        rate_round=takstbilag.rate_round, status=Takstbilag.Status.PUBLISHED
    ).order_by("-version").first()
    same_as = in_force if in_force is not None and set(
        in_force.submissions.values_list("pk", flat=True)) == {s.pk for s in included} else None
    return {
        "included": included, "missing": takstbilag_missing(takstbilag),
        "rejected": rejected, "rendering": takstbilag_is_rendering(takstbilag),
        # The version in force already holds exactly these submissions: nothing new.
        "same_as": same_as,
    }


def submission_events(submission: Submission):
    return submission.events.select_related("by").order_by("at", "pk")


def rejected_lines(submission: Submission) -> list[RateLine]:
    """The submitted version's rejected lines with the reviewer's reason."""
    if submission.submitted_upload_id is None:
        return []
    return list(submission.submitted_upload.lines.filter(
        approval_status=RateLine.Approval.REJECTED
    ).order_by("block_index", "year", "row"))


def comments_for_upload(upload: Upload) -> list[ReviewComment]:
    """Comments the driftsherre sees on its report: those on this submission."""
    return list(submission_comments(upload.submission))


def takstbilag_for_year(user, budget_year: int) -> list[Takstbilag]:
    """Published versions for everyone; drafts too for the secretariat. Newest first."""
    from socialaftale.permissions import is_sekretariat

    queryset = Takstbilag.objects.filter(
        rate_round__parameters__budget_year=budget_year
    ).select_related("rate_round__parameters", "pdf_job", "xlsx_job").order_by("-version")
    if not is_sekretariat(user):
        queryset = queryset.filter(status=Takstbilag.Status.PUBLISHED)
    return list(queryset)


def takstbilag_files_rendering(versions: list[Takstbilag]) -> list[dict]:
    """The versions' files being made, each with its job and a label for its progress box."""
    return [
        {"job": job, "label": f"Version {t.version}, {name}"}
        for t in versions
        for job, name in ((t.pdf_job, "PDF"), (t.xlsx_job, "regneark"))
        if job is not None and not job.is_finished
    ]


def takstbilag_get(user, budget_year: int, version: int) -> Takstbilag:
    for takstbilag in takstbilag_for_year(user, budget_year):
        if takstbilag.version == version:
            return takstbilag
    raise Http404("Takstbilaget findes ikke.")


def published_years() -> list[int]:
    return sorted(
        set(
            Takstbilag.objects.filter(status=Takstbilag.Status.PUBLISHED).values_list(
                "rate_round__parameters__budget_year", flat=True
            )
        ),
        reverse=True,
    )


def report_groups(upload: Upload) -> list[dict]:
    """Findings grouped by code, errors first, with the code's explanation and source."""
    findings = upload.findings.select_related("acknowledgement").order_by("position")
    groups: dict[str, dict] = {}
    for finding in findings:
        severity, title, explanation, source = FINDING_CODES.get(
            finding.code, (finding.severity, finding.code, "", "")
        )
        group = groups.setdefault(finding.code, {
            "code": finding.code, "severity": finding.severity, "title": title,
            "explanation": explanation, "source": source, "findings": [],
        })
        group["findings"].append(finding)
    return sorted(groups.values(), key=lambda g: (SEVERITY_ORDER.get(g["severity"], 9), g["code"]))


def versions(submission: Submission):
    return submission.uploads.select_related("job", "uploaded_by").order_by("-version")


# --------------------------------------------------------------------------- review on screen

FIXED_FIELDS = (  # (field, label, kind): the template's columns before the rates
    ("pladser", "Pladser", "count"),
    ("belaegning", "Belægning", "pct"),
    ("budget", "Budget i alt", "amount"),
    ("regulering", "Regulering", "amount"),
    ("oh_pct", "OH %", "pct"),
    ("tomgang", "Tomgang", "count"),  # empty places (seed)
)


def _show(value, kind: str) -> str:
    from .takstbilag import fmt_amount, fmt_pct

    if value is None:
        return ""
    if kind == "pct":
        return fmt_pct(value)
    if kind == "count":
        return format_da(value, 0 if value == value.to_integral_value() else 1)
    return fmt_amount(value)


def _show_diff(old, new, kind: str) -> str:
    """The template's Ændring for a non-rate column: the difference (pp for percentages)."""
    from .takstbilag import fmt_signed

    if old is None or new is None:
        return ""
    diff = new - old
    if kind == "pct":
        return f"{fmt_signed(diff, 1)} pp"
    if kind == "count":
        return fmt_signed(diff, 0 if diff == diff.to_integral_value() else 1)
    return fmt_signed(diff, 0)


@dataclass
class ReviewRow:
    """One column of an offer (Pladser, Takst 1 …) with both years and the change."""

    key: str
    label: str
    old: str
    new: str
    change: str  # kr. (rates) or the difference (other columns)
    change_pct: str = ""  # rates only: the template's Ændring in %
    last_year: str = ""  # last year's approved figure for year 1, when it differs
    above_limit: bool = False


@dataclass
class ReviewOffer:
    """One tilbud/afdeling block of the submitted version, as the reviewer reads it."""

    index: int
    tilbud: str
    afdeling: str
    paragraph: str
    unit: str
    previous: RateLine | None
    current: RateLine | None
    fixed: list[ReviewRow]
    rates: list[ReviewRow]
    above_limit: bool
    low_occupancy: bool
    findings: list
    comments: list
    used_places: list[tuple[str, str, str]]  # (label, used, sold) per takst level
    last_year_differs: bool = False

    @property
    def name(self) -> str:
        if self.afdeling and self.afdeling != self.tilbud:
            return f"{self.tilbud} / {self.afdeling}"
        return self.tilbud

    @property
    def warnings(self) -> list:
        """The findings to read: warnings (a submitted version has no errors), not info."""
        return [f for f in self.findings if f.severity != "info"]

    @property
    def needs_attention(self) -> bool:
        return bool(self.above_limit or self.low_occupancy or self.warnings or self.comments
                    or self.last_year_differs)

    @property
    def lines(self) -> list[RateLine]:
        return [x for x in (self.previous, self.current) if x is not None]

    @property
    def bemaerkning(self) -> str:
        parts = [x.bemaerkning for x in self.lines if x.bemaerkning]
        return "\n".join(dict.fromkeys(parts))

    @property
    def saerlige_forhold(self) -> str:
        return next((x.saerlige_forhold for x in self.lines if x.saerlige_forhold), "")


def _key(tilbud: str, afdeling: str) -> tuple[str, str]:
    return (" ".join((tilbud or "").split()).casefold(),
            " ".join((afdeling or "").split()).casefold())


def _last_year_lines(submission: Submission) -> dict[tuple[str, str], RateLine]:
    """Last year's approved budget-year lines of this driftsherre, by tilbud/afdeling."""
    from .services import _previous_source

    _, lines = _previous_source(
        driftsherre=submission.driftsherre, rate_round=submission.rate_round
    )
    return {
        _key(x.tilbud_name, x.afdeling_name): x for x in lines
        if x.approval_status == RateLine.Approval.APPROVED
    }


def review_offers(submission: Submission) -> list[ReviewOffer]:
    """The submitted version per offer: year 1 beside year 2 with the change, the rule
    book's marks, the findings with their acknowledgements and the comments with answers."""
    from .validation.rules import occupancy_below_threshold, rise_above_limit

    upload = submission.submitted_upload
    if upload is None:
        return []
    parameters = submission.rate_round.parameters
    budget_year = parameters.budget_year
    pl_pct = parameters.pl_for(submission.driftsherre)
    threshold_pp = parameters.rise_threshold_pp
    lines = list(upload.lines.prefetch_related(
        Prefetch("comments", queryset=ReviewComment.objects.filter(reply_to__isnull=True)
                 .select_related("by").prefetch_related(
                     Prefetch("answers", queryset=ReviewComment.objects.select_related("by")
                              .order_by("at", "pk"))).order_by("at", "pk"))
    ).order_by("block_index", "year", "row"))
    last_year = _last_year_lines(submission)
    blocks: dict[int, dict[int | None, RateLine]] = {}
    for line in lines:
        blocks.setdefault(line.block_index, {})[line.year] = line
    findings = _findings_by_block(
        upload.findings.select_related("acknowledgement__by").order_by("position"), blocks)
    offers = []
    for index, years in blocks.items():
        current = years.get(budget_year)
        previous = years.get(budget_year - 1)
        head = current or previous or next(iter(years.values()))
        approved = last_year.get(_key(head.tilbud_name, head.afdeling_name))

        def last(field: str, kind: str, approved=approved, previous=previous) -> str:
            """Last year's approved figure where year 1 shows another."""
            if approved is None or previous is None:
                return ""
            value = getattr(approved, field)
            return _show(value, kind) if value is not None and value != getattr(
                previous, field) else ""

        fixed = [
            ReviewRow(
                key=f, label=label, old=_show(getattr(previous, f, None), kind),
                new=_show(getattr(current, f, None), kind),
                change=_show_diff(getattr(previous, f, None), getattr(current, f, None), kind),
                last_year=last(f, kind),
            )
            for f, label, kind in FIXED_FIELDS
        ]
        rates = []
        for f in RATE_FIELDS:
            old, new = getattr(previous, f, None), getattr(current, f, None)
            if old is None and new is None:
                continue
            pct = rise_pct(old, new) if old is not None and new is not None else None
            rates.append(ReviewRow(
                key=f, label=COLUMN_TITLES[f], old=_show(old, "amount"),
                new=_show(new, "amount"),
                change=_show_diff(old, new, "amount"),
                change_pct=f"{format_da(pct, 1)} %" if pct is not None else "",
                last_year=last(f, "amount"),
                above_limit=rise_above_limit(rise=pct, pl_pct=pl_pct, threshold_pp=threshold_pp,
                                             unit=head.unit),
            ))
        used = []
        source = current or previous
        for i, (u, s) in enumerate(zip(source.used_places or [], source.sold_places or [],
                                       strict=False), start=1):
            if u is not None or s is not None:
                used.append((f"Takst {i}", _show(_dec(u), "count"), _show(_dec(s), "count")))
        offers.append(ReviewOffer(
            index=index, tilbud=head.tilbud_name, afdeling=head.afdeling_name,
            paragraph=head.paragraph, unit=head.unit, previous=previous, current=current,
            fixed=fixed, rates=rates, above_limit=any(r.above_limit for r in rates),
            low_occupancy=current is not None and occupancy_below_threshold(
                belaegning=current.belaegning, threshold=parameters.occupancy_threshold),
            findings=findings.get(index, []),
            comments=[c for x in (previous, current) if x for c in x.comments.all()],
            used_places=used,
            last_year_differs=any(r.last_year for r in (*fixed, *rates)),
        ))
    return offers


def _findings_by_block(findings, blocks: dict[int, dict]) -> dict[int, list]:
    """Each finding under the block it is about: the block the validator found it in, or, for
    findings stored before blocks were recorded and for a duplicate block's copy (which has no
    lines), the first block with the offer's name. Findings that name no block are left out."""
    by_name: dict[tuple[str, str], int] = {}
    for index, years in blocks.items():
        first = next(iter(years.values()))
        by_name.setdefault(_key(first.tilbud_name, first.afdeling_name), index)
    placed: dict[int, list] = {}
    for finding in findings:
        index = finding.block_index if finding.block_index in blocks else by_name.get(
            _key(finding.tilbud, finding.afdeling))
        if index is not None:
            placed.setdefault(index, []).append(finding)
    return placed


def _dec(value):
    """A stored places value (JSON text) as a Decimal; None when empty or unreadable."""
    from decimal import InvalidOperation

    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def review_general_findings(submission: Submission, offers: list[ReviewOffer]) -> list:
    """Findings that belong to no offer (the sheet's header, unknown blocks)."""
    upload = submission.submitted_upload
    if upload is None:
        return []
    placed = {f.pk for o in offers for f in o.findings}
    return [f for f in upload.findings.select_related("acknowledgement__by").order_by(
        "position") if f.pk not in placed and f.severity != "info"]


def _summary(driftsherre, parameters, blocks: list[tuple]):
    """`takstbilag.summarise` on (previous line, current line) pairs of one driftsherre."""
    from statistics import mean

    from .publication import _year
    from .takstbilag import DriftsherreSection, Offer, TakstbilagData, summarise

    days = parameters.days_in_year or 365
    budget_year = parameters.budget_year

    def overhead(year):
        values = [x.oh_pct for pair in blocks for x in pair
                  if x is not None and x.year == year and x.oh_pct is not None]
        return Decimal(mean(values)).quantize(Decimal("0.1")) if values else None

    offers = []
    for previous, current in blocks:
        head = current or previous
        offers.append(Offer(
            tilbud=head.tilbud_name, afdeling=head.afdeling_name, paragraphs=head.paragraph,
            unit=head.unit, previous=_year(previous, days) if previous else None,
            current=_year(current, days) if current else None,
        ))
    section = DriftsherreSection(
        name=driftsherre.name, kind=driftsherre.kind, slug=driftsherre.slug,
        offers=tuple(offers), overhead_pct=overhead(budget_year),
        overhead_pct_previous=overhead(budget_year - 1),
    )
    data = TakstbilagData(
        budget_year=budget_year, pl_kommuner=parameters.pl_kommuner,
        pl_regioner=parameters.pl_regioner, driftsherrer=(section,),
        rise_threshold_pp=parameters.rise_threshold_pp,
        occupancy_threshold=parameters.occupancy_threshold,
    )
    return summarise(section, data)


def review_summary(submission: Submission, offers: list[ReviewOffer]):
    """The per-driftsherre summary of the takstbilag's overview (`takstbilag.summarise`),
    for the submitted figures: offers, average change vs P/L, over the limit, overhead."""
    return _summary(submission.driftsherre, submission.rate_round.parameters,
                    [(o.previous, o.current) for o in offers])


def round_summaries(rate_round: RateRound, rows: list[dict]) -> dict[int, object]:
    """The same summary for every submitted submission of the overview, in one query."""
    submissions = {
        r["submission"].submitted_upload_id: r["submission"] for r in rows
        if r["submission"] is not None and r["submission"].submitted_upload_id
    }
    if not submissions:
        return {}
    budget_year = rate_round.budget_year
    blocks: dict[int, dict[int, dict]] = {}
    for line in RateLine.objects.filter(upload_id__in=list(submissions)).order_by(
        "upload_id", "block_index", "year", "row"
    ):
        blocks.setdefault(line.upload_id, {}).setdefault(line.block_index, {})[line.year] = line
    return {
        submissions[upload_id].pk: _summary(
            submissions[upload_id].driftsherre, rate_round.parameters,
            [(years.get(budget_year - 1), years.get(budget_year)) for years in by_block.values()
             if years.get(budget_year - 1) or years.get(budget_year)],
        )
        for upload_id, by_block in blocks.items()
    }
