import hashlib
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Driftsherre(models.Model):
    """One of the 12 operators: the 11 municipalities and Region Nordjylland."""

    class Kind(models.TextChoices):
        KOMMUNE = "kommune", "Kommune"
        REGION = "region", "Region"

    name = models.CharField("navn", max_length=100, unique=True)
    slug = models.SlugField("kortnavn", max_length=50, unique=True)
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    contact_email = models.EmailField("kontakt e-mail", blank=True)

    class Meta:
        verbose_name = "driftsherre"
        verbose_name_plural = "driftsherrer"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_region(self) -> bool:
        return self.kind == self.Kind.REGION


class Styringsparametre(models.Model):
    """Steering parameters for one budget year, used by the rate round and the agreement."""

    budget_year = models.PositiveSmallIntegerField(
        "budgetår", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    pl_kommuner = models.DecimalField(
        "P/L kommuner (%)", max_digits=5, decimal_places=2,
        help_text="Pris- og lønfremskrivning for kommunale tilbud, i procent.",
    )
    pl_regioner = models.DecimalField(
        "P/L regioner (%)", max_digits=5, decimal_places=2,
        help_text="Pris- og lønfremskrivning for regionale tilbud, i procent.",
    )
    rise_threshold_pp = models.DecimalField(
        "stigningsgrænse (procentpoint over P/L)", max_digits=4, decimal_places=2,
        default=Decimal("2.00"),
        help_text="En takst der stiger mere end P/L plus dette antal procentpoint skal begrundes.",
    )
    occupancy_threshold = models.DecimalField(
        "belægningsgrænse (%)", max_digits=5, decimal_places=2, default=Decimal("95.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Budgetteret belægning under denne grænse skal begrundes.",
    )
    days_in_year = models.PositiveSmallIntegerField(
        "dage i året", validators=[MinValueValidator(365), MaxValueValidator(366)],
        help_text="366 i skudår.",
    )

    class Meta:
        verbose_name = "styringsparametre"
        verbose_name_plural = "styringsparametre"
        ordering = ["-budget_year"]

    def __str__(self) -> str:
        return f"Styringsparametre {self.budget_year}"

    def clean(self):
        is_leap = self.budget_year and (
            self.budget_year % 4 == 0
            and (self.budget_year % 100 != 0 or self.budget_year % 400 == 0)
        )
        expected_days = 366 if is_leap else 365
        if self.budget_year and self.days_in_year and self.days_in_year != expected_days:
            raise ValidationError(
                {"days_in_year": f"{self.budget_year} har {expected_days} dage."}
            )

    def pl_for(self, driftsherre: Driftsherre) -> Decimal:
        return self.pl_regioner if driftsherre.is_region else self.pl_kommuner


class Profile(models.Model):
    """A user's role in the system; a driftsherre user is bound to exactly one driftsherre."""

    class Role(models.TextChoices):
        SEKRETARIAT = "sekretariat", "Sekretariatet"
        DRIFTSHERRE = "driftsherre", "Driftsherre-indberetter"
        DAS = "das", "DAS-medlem"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile",
        verbose_name="bruger",
    )
    role = models.CharField("rolle", max_length=20, choices=Role.choices)
    driftsherre = models.ForeignKey(
        Driftsherre, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
        verbose_name="driftsherre",
    )

    class Meta:
        verbose_name = "brugerprofil"
        verbose_name_plural = "brugerprofiler"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="driftsherre", driftsherre__isnull=False)
                    | (~models.Q(role="driftsherre") & models.Q(driftsherre__isnull=True))
                ),
                name="profile_driftsherre_iff_driftsherre_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def clean(self):
        if self.role == self.Role.DRIFTSHERRE and not self.driftsherre_id:
            raise ValidationError(
                {"driftsherre": "En driftsherre-indberetter skal have en driftsherre."}
            )
        if self.role != self.Role.DRIFTSHERRE and self.driftsherre_id:
            raise ValidationError(
                {"driftsherre": "Kun driftsherre-indberettere har en driftsherre."}
            )


class Job(models.Model):
    """A long-running background job and its visible state.

    Every Celery-backed piece of work (validating a rate sheet, rendering a PDF) is a
    row here, so a user can follow its progress and a failed or lost job can be retried.
    The same (kind, subject, input_hash) is one job: asking again reuses the row.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "I kø"
        RUNNING = "running", "Kører"
        DONE = "done", "Færdig"
        FAILED = "failed", "Fejlet"

    kind = models.CharField("type", max_length=80, db_index=True)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name="emnetype"
    )
    subject_id = models.PositiveBigIntegerField("emne-id", null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    input_hash = models.CharField("input-hash", max_length=64)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        "fremdrift (%)", default=0, validators=[MaxValueValidator(100)]
    )
    attempts = models.PositiveSmallIntegerField("forsøg", default=0)
    output = models.FileField("resultatfil", upload_to="jobs/%Y/%m/", blank=True)
    error = models.TextField("fejl", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="bestilt af",
    )
    is_public = models.BooleanField(
        "offentlig", default=False,
        help_text="Alle må følge jobbet (fx PDF af den offentliggjorte aftale).",
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    queued_at = models.DateTimeField("sat i kø", null=True, blank=True)
    started_at = models.DateTimeField("startet", null=True, blank=True)
    finished_at = models.DateTimeField("afsluttet", null=True, blank=True)

    class Meta:
        verbose_name = "baggrundsjob"
        verbose_name_plural = "baggrundsjob"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id", "input_hash"],
                name="job_unique_kind_subject_input",
            )
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()
