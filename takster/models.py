"""Rate rounds: one per budget year; one submission per driftsherre; versioned uploads.

An upload is immutable once stored (file, sha256, size, uploader). Its validation runs as a
`socialaftale.Job` (kind "takster.validate_upload"); the job row carries status, progress
and error, and the upload points at its latest job.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from socialaftale.models import Driftsherre, Job, Styringsparametre
from tilbud.models import Afdeling, Tilbud

from .validation import FINDING_CODES

DECIMAL = {"max_digits": 18, "decimal_places": 4, "null": True, "blank": True}

FIRST_TEMPLATE_YEAR = 2027  # takstrunde 2027 is the first with the new rate sheet


class RateRound(models.Model):
    """The yearly rate round for one budget year."""

    class Status(models.TextChoices):
        OPEN = "open", "Åben"
        CLOSED = "closed", "Lukket"

    parameters = models.OneToOneField(
        Styringsparametre, on_delete=models.PROTECT, related_name="rate_round",
        verbose_name="budgetår (styringsparametre)",
        help_text="P/L og grænseværdier hentes fra budgetårets styringsparametre.",
    )
    deadline = models.DateField("frist for indberetning")
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True)

    class Meta:
        verbose_name = "takstrunde"
        verbose_name_plural = "takstrunder"
        ordering = ["-parameters__budget_year"]

    def __str__(self) -> str:
        return f"Takstrunde {self.budget_year}"

    @property
    def budget_year(self) -> int:
        return self.parameters.budget_year

    @property
    def is_first_template_year(self) -> bool:
        """The first round with the new template (DAS Social 23.02.2026, pkt. 4): year 1 is
        not prefilled from last year's figures, only Pladser from the register."""
        return self.budget_year == FIRST_TEMPLATE_YEAR

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def past_deadline(self, day=None) -> bool:
        """`day` (today by default) is after the deadline; the deadline day itself is in time."""
        return (day or timezone.localdate()) > self.deadline

    @property
    def reminders_due(self) -> bool:
        """The secretariat can send the after-the-deadline reminder: open and past the deadline."""
        return self.is_open and self.past_deadline()


class Submission(models.Model):
    """One driftsherre's rate submission in a round; its uploads are the versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Kladde"
        SUBMITTED = "submitted", "Indsendt"
        RETURNED = "returned", "Returneret med bemærkninger"
        RECOMMENDED = "recommended", "Indstillet til godkendelse"
        APPROVED = "approved", "Godkendt"
        PUBLISHED = "published", "Offentliggjort"

    rate_round = models.ForeignKey(
        RateRound, on_delete=models.PROTECT, related_name="submissions", verbose_name="takstrunde"
    )
    driftsherre = models.ForeignKey(
        Driftsherre, on_delete=models.PROTECT, related_name="rate_submissions",
        verbose_name="driftsherre",
    )
    status = models.CharField(
        "status", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_upload = models.ForeignKey(
        "Upload", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="indsendt version",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="indsendt af",
    )
    submitted_at = models.DateTimeField("indsendt", null=True, blank=True)
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    revision = models.PositiveSmallIntegerField(
        "revision", default=0, help_text="0 er årets første indberetning; 1, 2 … er revisioner."
    )
    revision_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions",
        verbose_name="reviderer",
    )
    revision_reason = models.TextField("begrundelse for revisionen", blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="godkendt af",
    )
    approved_at = models.DateTimeField("godkendt", null=True, blank=True)
    delegated = models.BooleanField(
        "godkendt ved delegation", default=False,
        help_text="Sen indberetning godkendt af sekretariatet på DAS Socials vegne.",
    )

    class Meta:
        verbose_name = "indberetning"
        verbose_name_plural = "indberetninger"
        ordering = ["rate_round", "driftsherre__name", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["rate_round", "driftsherre", "revision"],
                name="submission_one_per_driftsherre_revision",
            )
        ]

    def __str__(self) -> str:
        suffix = f" (revision {self.revision})" if self.revision else ""
        return f"{self.driftsherre} – {self.rate_round}{suffix}"

    @property
    def revision_reason_bare(self) -> str:
        """The reason without its final full stop, for use inside a sentence."""
        return (self.revision_reason or "").strip().rstrip(".")

    @property
    def is_late(self) -> bool:
        """Submitted after the deadline, or not yet submitted and the deadline has passed."""
        if self.revision != 0:
            return False
        if self.submitted_at is None:
            return self.rate_round.past_deadline()
        return self.rate_round.past_deadline(timezone.localtime(self.submitted_at).date())

    def clean(self):
        if self.status == self.Status.SUBMITTED and not self.submitted_upload_id:
            raise ValidationError(
                {"submitted_upload": "En indsendt indberetning skal have en version."}
            )


class Upload(models.Model):
    """One uploaded version of a submission's workbook; never changed after it is stored."""

    class Status(models.TextChoices):
        PENDING = "pending", "Venter"
        RUNNING = "running", "Valideres"
        DONE = "done", "Valideret"
        FAILED = "failed", "Fejlet"

    JOB_KIND = "takster.validate_upload"
    _FROM_JOB = {
        Job.Status.QUEUED: Status.PENDING,
        Job.Status.RUNNING: Status.RUNNING,
        Job.Status.DONE: Status.DONE,
        Job.Status.FAILED: Status.FAILED,
    }

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="uploads", verbose_name="indberetning"
    )
    version = models.PositiveSmallIntegerField("version")
    file = models.FileField("fil", upload_to="takster/uploads/%Y/")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveIntegerField("størrelse (bytes)")
    original_name = models.CharField("oprindeligt filnavn", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="uploadet af",
    )
    uploaded_at = models.DateTimeField("uploadet", auto_now_add=True)
    job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="valideringsjob",
    )
    ruleset_version = models.CharField("regelsæt", max_length=20, blank=True)
    validated_at = models.DateTimeField("valideret", null=True, blank=True)
    errors_count = models.PositiveIntegerField("fejl", default=0)
    warnings_count = models.PositiveIntegerField("advarsler", default=0)
    infos_count = models.PositiveIntegerField("oplysninger", default=0)
    sheet_driftsherre = models.CharField("driftsherre i skemaet", max_length=200, blank=True)
    header_overhead_pct = models.DecimalField(
        "overhead driftsherre (budgetår) i skemaet", max_digits=7, decimal_places=2, null=True,
        blank=True, help_text="Skemaets overheadprocent for budgetåret; forudfylder næste år.",
    )

    class Meta:
        verbose_name = "upload"
        verbose_name_plural = "uploads"
        ordering = ["submission", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "version"], name="upload_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.submission} – version {self.version}"

    @property
    def status(self) -> str:
        if self.job is None:
            return self.Status.PENDING
        return self._FROM_JOB[self.job.status]

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def progress(self) -> int:
        return self.job.progress if self.job else 0

    @property
    def error(self) -> str:
        return self.job.error if self.job else ""

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.DONE and self.validated_at is not None

    @property
    def verdict(self) -> str:
        if not self.is_validated:
            return ""
        if self.errors_count:
            return "Skemaet har fejl og kan ikke indsendes, før de er rettet."
        if self.warnings_count:
            return "Ingen fejl. Advarslerne skal kvitteres med en kommentar før indsendelse."
        return "Ingen fejl eller advarsler. Skemaet kan indsendes."


class RateLine(models.Model):
    """One parsed year row of a block; issue 6 approves lines one by one (approval_status)."""

    class Approval(models.TextChoices):
        PENDING = "pending", "Afventer"
        APPROVED = "approved", "Godkendt"
        REJECTED = "rejected", "Afvist"

    upload = models.ForeignKey(
        Upload, on_delete=models.CASCADE, related_name="lines", verbose_name="upload"
    )
    block_index = models.PositiveIntegerField("blok nr.")
    sheet = models.CharField("ark", max_length=100)
    row = models.PositiveIntegerField("række")
    tilbud_name = models.CharField("tilbud (som i skemaet)", max_length=300)
    afdeling_name = models.CharField("afdeling (som i skemaet)", max_length=300, blank=True)
    tilbud = models.ForeignKey(
        Tilbud, on_delete=models.SET_NULL, null=True, blank=True, related_name="rate_lines",
        verbose_name="tilbud i registret",
    )
    afdeling = models.ForeignKey(
        Afdeling, on_delete=models.SET_NULL, null=True, blank=True, related_name="rate_lines",
        verbose_name="afdeling i registret",
    )
    paragraph = models.CharField("§§", max_length=60, blank=True)
    unit = models.CharField("enhed", max_length=30, blank=True)
    year = models.PositiveSmallIntegerField("år", null=True, blank=True)
    pladser = models.DecimalField("pladser", **DECIMAL)
    belaegning = models.DecimalField("belægning (%)", **DECIMAL)
    budget = models.DecimalField("budget i alt", **DECIMAL)
    regulering = models.DecimalField("regulering", **DECIMAL)
    oh_pct = models.DecimalField("OH %", **DECIMAL)
    basis = models.DecimalField("basis", **DECIMAL)
    time = models.DecimalField("time", **DECIMAL)
    takst_1 = models.DecimalField("takst 1", **DECIMAL)
    takst_2 = models.DecimalField("takst 2", **DECIMAL)
    takst_3 = models.DecimalField("takst 3", **DECIMAL)
    takst_4 = models.DecimalField("takst 4", **DECIMAL)
    takst_5 = models.DecimalField("takst 5", **DECIMAL)
    takst_6 = models.DecimalField("takst 6", **DECIMAL)
    takst_7 = models.DecimalField("takst 7", **DECIMAL)
    takst_8 = models.DecimalField("takst 8", **DECIMAL)
    takst_9 = models.DecimalField("takst 9", **DECIMAL)
    takst_10 = models.DecimalField("takst 10", **DECIMAL)
    tomgang = models.DecimalField("tomgang", **DECIMAL)
    bemaerkning = models.TextField("bemærkning", blank=True)
    saerlige_forhold = models.TextField("særlige forhold", blank=True)
    used_places = models.JSONField(
        "anvendte pladser", default=list, blank=True,
        help_text="Anvendte pladser for året pr. takstniveau (takst 1 …) som i skemaet.",
    )
    sold_places = models.JSONField(
        "heraf solgte pladser", default=list, blank=True,
        help_text="Heraf solgte pladser for året pr. takstniveau som i skemaet.",
    )
    approval_status = models.CharField(
        "godkendelse", max_length=10, choices=Approval.choices, default=Approval.PENDING
    )
    approval_note = models.TextField(
        "bemærkning til godkendelsen", blank=True,
        help_text="Vises i takstbilaget, fx DAS Socials bemærkning til tilbuddet.",
    )
    betalingsdage = models.PositiveSmallIntegerField(
        "betalingsdage", null=True, blank=True,
        help_text="Dage taksten er beregnet på, hvis ikke årets dage (fx 250 for dagtilbud).",
    )

    class Meta:
        verbose_name = "takstlinje"
        verbose_name_plural = "takstlinjer"
        ordering = ["upload", "block_index", "row"]

    def __str__(self) -> str:
        return f"{self.tilbud_name} / {self.afdeling_name} {self.year or ''}".strip()

    @property
    def offer_name(self) -> str:
        """"Syrenhuset", "Botilbud A / Afdeling A": the afdeling only where it differs."""
        if self.afdeling_name and self.afdeling_name != self.tilbud_name:
            return f"{self.tilbud_name} / {self.afdeling_name}"
        return self.tilbud_name

    @property
    def takster(self) -> list:
        return [getattr(self, f"takst_{i}") for i in range(1, 11)]


class Finding(models.Model):
    """One finding of the validator, pointing at a sheet and cell."""

    class Severity(models.TextChoices):
        ERROR = "error", "Fejl"
        WARNING = "warning", "Advarsel"
        INFO = "info", "Oplysning"

    upload = models.ForeignKey(
        Upload, on_delete=models.CASCADE, related_name="findings", verbose_name="upload"
    )
    position = models.PositiveIntegerField("rækkefølge", default=0)
    code = models.CharField(
        "kode", max_length=40, choices=[(c, c) for c in FINDING_CODES], db_index=True
    )
    severity = models.CharField("alvor", max_length=10, choices=Severity.choices)
    sheet = models.CharField("ark", max_length=100, blank=True)
    cell = models.CharField("celle", max_length=20, blank=True)
    tilbud = models.CharField("tilbud", max_length=300, blank=True)
    afdeling = models.CharField("afdeling", max_length=300, blank=True)
    block_index = models.PositiveIntegerField(
        "blok nr.", null=True, blank=True,
        help_text="Blokken i skemaet, som fundet handler om (som på takstlinjerne).",
    )
    message = models.TextField("besked")
    value = models.CharField("fundet værdi", max_length=500, blank=True)

    class Meta:
        verbose_name = "fund"
        verbose_name_plural = "fund"
        ordering = ["upload", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.sheet}!{self.cell}"

    @property
    def title(self) -> str:
        return FINDING_CODES[self.code][1] if self.code in FINDING_CODES else self.code

    @property
    def value_display(self) -> str:
        from takster.formatting import finding_value_display

        return finding_value_display(self.value, self.message)

    @property
    def compare_key(self) -> tuple[str, str, str, str, str]:
        return (self.code, self.sheet, self.cell, self.tilbud, self.afdeling)


class Acknowledgement(models.Model):
    """The driftsherre's comment on a warning; every warning needs one before submitting."""

    finding = models.OneToOneField(
        Finding, on_delete=models.CASCADE, related_name="acknowledgement", verbose_name="fund"
    )
    comment = models.TextField("kommentar")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="kvitteret af",
    )
    at = models.DateTimeField("kvitteret", auto_now_add=True)

    class Meta:
        verbose_name = "kvittering for advarsel"
        verbose_name_plural = "kvitteringer for advarsler"

    def __str__(self) -> str:
        return f"Kvittering for {self.finding}"

    def clean(self):
        if self.finding_id and self.finding.severity != Finding.Severity.WARNING:
            raise ValidationError("Kun advarsler kvitteres.")
        if not (self.comment or "").strip():
            raise ValidationError({"comment": "Skriv en kommentar til advarslen."})


class SubmissionEvent(models.Model):
    """Who did what and when to a submission: the round overview's log."""

    class Kind(models.TextChoices):
        UPLOADED = "uploaded", "Uploadet"
        SUBMITTED = "submitted", "Indsendt"
        COMMENTED = "commented", "Bemærkning"
        RETURNED = "returned", "Returneret"
        RECOMMENDED = "recommended", "Indstillet"
        LINE_APPROVED = "line_approved", "Linje godkendt"
        LINE_REJECTED = "line_rejected", "Linje afvist"
        APPROVED = "approved", "Godkendt"
        DAS_APPROVED = "das_approved", "Godkendt af DAS Social"
        PUBLISHED = "published", "Offentliggjort"
        REVISED = "revised", "Revision startet"
        REMINDED = "reminded", "Påmindelse sendt"
        ACKNOWLEDGED = "acknowledged", "Advarsler kvitteret"
        ANSWERED = "answered", "Svar fra driftsherren"
        REVALIDATED = "revalidated", "Valideret igen"
        DAYS_SET = "days_set", "Betalingsdage ændret"

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", verbose_name="indberetning"
    )
    kind = models.CharField("hændelse", max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="af",
    )
    at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)
    text = models.TextField("tekst", blank=True)

    class Meta:
        verbose_name = "hændelse"
        verbose_name_plural = "hændelser"
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.submission}"


class ReviewComment(models.Model):
    """A reviewer's comment on one rate line or (line empty) on the whole submission.

    Written by secretariat users; `source` says whether it is the secretariat's own remark or
    one from Styringsaftalegruppen that the secretariat records. The driftsherre answers a
    comment with a comment of its own (`source` Driftsherren, `reply_to` the comment).
    """

    class Source(models.TextChoices):
        SEKRETARIAT = "sekretariat", "Sekretariatet"
        STYRINGSAFTALEGRUPPEN = "styringsaftalegruppen", "Styringsaftalegruppen"
        DRIFTSHERRE = "driftsherre", "Driftsherren"

    REVIEWER_SOURCES = (Source.SEKRETARIAT, Source.STYRINGSAFTALEGRUPPEN)

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="comments", verbose_name="indberetning"
    )
    line = models.ForeignKey(
        RateLine, on_delete=models.CASCADE, null=True, blank=True, related_name="comments",
        verbose_name="takstlinje",
    )
    source = models.CharField(
        "fra", max_length=30, choices=Source.choices, default=Source.SEKRETARIAT
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="answers",
        verbose_name="svar på",
    )
    text = models.TextField("bemærkning")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="skrevet af",
    )
    at = models.DateTimeField("skrevet", auto_now_add=True)

    class Meta:
        verbose_name = "bemærkning til indberetning"
        verbose_name_plural = "bemærkninger til indberetninger"
        ordering = ["submission", "at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    def clean(self):
        if not (self.text or "").strip():
            raise ValidationError({"text": "Skriv en bemærkning."})
        if self.line_id and self.submission_id and (
            self.line.upload.submission_id != self.submission_id
        ):
            raise ValidationError({"line": "Linjen hører ikke til indberetningen."})


class DasApproval(models.Model):
    """DAS Social's approval of submissions, recorded on the meeting's agenda item."""

    rate_round = models.ForeignKey(
        RateRound, on_delete=models.PROTECT, related_name="das_approvals",
        verbose_name="takstrunde",
    )
    item = models.ForeignKey(
        "moeder.AgendaItem", on_delete=models.PROTECT, null=True, blank=True,
        related_name="rate_approvals", verbose_name="dagsordenspunkt",
    )
    date = models.DateField("mødedato")
    reference = models.CharField(
        "henvisning", max_length=200, help_text="Fx “DAS Social 17.11.2025, pkt. 5”."
    )
    note = models.TextField("bemærkning", blank=True)
    submissions = models.ManyToManyField(
        Submission, related_name="das_approvals", verbose_name="indberetninger"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="registreret af",
    )
    created_at = models.DateTimeField("registreret", auto_now_add=True)

    class Meta:
        verbose_name = "godkendelse i DAS Social"
        verbose_name_plural = "godkendelser i DAS Social"
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("takster:takstbilag_year", args=[self.rate_round.budget_year])


class Takstbilag(models.Model):
    """One version of a budget year's takstbilag; PDF and xlsx are rendered as jobs."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Udkast"
        PUBLISHED = "published", "Offentliggjort"

    PDF_JOB = "takster.takstbilag_pdf"
    XLSX_JOB = "takster.takstbilag_xlsx"

    rate_round = models.ForeignKey(
        RateRound, on_delete=models.PROTECT, related_name="takstbilag", verbose_name="takstrunde"
    )
    version = models.PositiveSmallIntegerField("version")
    label = models.CharField("betegnelse", max_length=200, blank=True)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submissions = models.ManyToManyField(
        Submission, related_name="takstbilag", verbose_name="gældende indberetninger"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="oprettet af",
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    published_at = models.DateTimeField("offentliggjort", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="offentliggjort af",
    )
    publication_note = models.TextField(
        "begrundelse ved offentliggørelse", blank=True,
        help_text="Hvorfor versionen offentliggøres uden alle driftsherrer; står i "
                  "versionsnoten.",
    )
    input_hash = models.CharField("input-hash", max_length=64, blank=True)
    pdf_job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="PDF-job",
    )
    xlsx_job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="xlsx-job",
    )

    class Meta:
        verbose_name = "takstbilag"
        verbose_name_plural = "takstbilag"
        ordering = ["rate_round", "version"]
        constraints = [
            models.UniqueConstraint(fields=["rate_round", "version"], name="takstbilag_version")
        ]

    def __str__(self) -> str:
        return f"Takstbilag {self.budget_year}, version {self.version}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("takster:takstbilag_year", args=[self.budget_year])

    @property
    def budget_year(self) -> int:
        return self.rate_round.budget_year

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
