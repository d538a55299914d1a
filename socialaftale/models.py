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
    sent_at = models.DateTimeField(
        "sendt til køen", null=True, blank=True,
        help_text="Tom, når køen (Redis) ikke kunne nås; jobbet sendes så automatisk senere.",
    )
    started_at = models.DateTimeField("startet", null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        "sidste livstegn", null=True, blank=True,
        help_text="Workeren melder sig jævnligt, mens jobbet kører; uden livstegn køres det igen.",
    )
    interruptions = models.PositiveSmallIntegerField(
        "afbrudt", default=0,
        help_text="Gange en worker døde midt i jobbet siden sidste bestilling.",
    )
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
    def waits_for_queue(self) -> bool:
        """Queued, but the broker could not be reached; the sweep sends it when it is back."""
        return self.status == self.Status.QUEUED and self.sent_at is None

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


# --- The agreement itself: periods and their content -------------------------------------
# Totals and shares of the places table are computed (socialaftale.selectors), never stored.


class AftalePeriode(models.Model):
    """One agreement period (e.g. Nordjysk Socialaftale 2025-2026) and its front matter."""

    title = models.CharField("titel", max_length=200)
    subtitle = models.CharField("undertitel", max_length=300, blank=True)
    start_year = models.PositiveSmallIntegerField(
        "første år", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        "sidste år", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    summary = models.TextField("resumé", blank=True, help_text="Afsnit adskilles af en tom linje.")
    vision = models.TextField("vision", help_text="Visionen som citat.")
    vision_text = models.TextField("om visionen", blank=True)
    coordination_text = models.TextField("udvikling og koordinering", blank=True)
    forstaerket_text = models.TextField("om det forstærkede samarbejde", blank=True)
    styringsaftale_text = models.TextField("om styringsaftalen", blank=True)
    places_text = models.TextField(
        "om pladstabellen", blank=True,
        help_text="Fx hvor mange pladser aftalen omfatter. Totaler beregnes af systemet.",
    )
    printed_kommunale = models.PositiveIntegerField(
        "kommunale pladser i alt (som trykt)", null=True, blank=True,
        help_text="Totalen, som den står i den trykte aftale. Afviger den fra summen af "
                  "rækkerne, får tabellen en fodnote.",
    )
    printed_private = models.PositiveIntegerField(
        "private pladser i alt (som trykt)", null=True, blank=True)
    printed_socialaftale = models.PositiveIntegerField(
        "Socialaftale-pladser i alt (som trykt)", null=True, blank=True)
    signed_text = models.CharField(
        "dateret", max_length=100, blank=True, help_text="Fx “August 2020”."
    )
    is_published = models.BooleanField(
        "offentliggjort", default=False, help_text="Kun offentliggjorte perioder vises offentligt."
    )
    updated_at = models.DateTimeField("ændret", auto_now=True)

    class Meta:
        verbose_name = "aftaleperiode"
        verbose_name_plural = "aftaleperioder"
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["start_year", "end_year"], name="aftaleperiode_unique"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="aftaleperiode_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("socialaftale:period_detail", kwargs={
            "start_year": self.start_year, "end_year": self.end_year,
        })

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "Sidste år kan ikke ligge før første år."})

    @property
    def label(self) -> str:
        return f"{self.start_year}-{self.end_year}"


class _PeriodChild(models.Model):
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class Fokusomraade(_PeriodChild):
    """A focus area of a period; its initiatives carry the concrete work."""

    period = models.ForeignKey(
        AftalePeriode, on_delete=models.CASCADE, related_name="fokusomraader",
        verbose_name="aftaleperiode",
    )
    title = models.CharField("titel", max_length=200)
    vision = models.TextField("vision", blank=True)
    description = models.TextField("beskrivelse", blank=True)

    class Meta(_PeriodChild.Meta):
        verbose_name = "fokusområde"
        verbose_name_plural = "fokusområder"

    def __str__(self) -> str:
        return f"Fokusområde {self.order}: {self.title}"


class Initiativ(_PeriodChild):
    fokusomraade = models.ForeignKey(
        Fokusomraade, on_delete=models.CASCADE, related_name="initiativer",
        verbose_name="fokusområde",
    )
    letter = models.CharField("bogstav", max_length=3, blank=True, help_text="Fx A, B, C.")
    title = models.CharField("titel", max_length=200)
    description = models.TextField("beskrivelse", blank=True)

    class Meta(_PeriodChild.Meta):
        verbose_name = "initiativ"
        verbose_name_plural = "initiativer"

    def __str__(self) -> str:
        return f"{self.letter} {self.title}".strip()


class CentralUdmelding(_PeriodChild):
    """A central announcement (central udmelding) from the national coordination."""

    period = models.ForeignKey(
        AftalePeriode, on_delete=models.CASCADE, related_name="centrale_udmeldinger",
        verbose_name="aftaleperiode",
    )
    title = models.CharField("målgruppe", max_length=300)
    years = models.CharField("udsendt", max_length=100, blank=True, help_text="Fx “2019 og 2023”.")
    description = models.TextField("beskrivelse", blank=True)

    class Meta(_PeriodChild.Meta):
        verbose_name = "central udmelding"
        verbose_name_plural = "centrale udmeldinger"

    def __str__(self) -> str:
        return self.title


class ForstaerketSamarbejde(_PeriodChild):
    """An offer in the forstærket samarbejde of a period, linked to the register when it is there.

    Together these rows are the period ↔ tilbud many-to-many; the name is kept as printed
    in the agreement, so offers that are not (or no longer) in the register still show.
    """

    period = models.ForeignKey(
        AftalePeriode, on_delete=models.CASCADE, related_name="forstaerket_samarbejde",
        verbose_name="aftaleperiode",
    )
    tilbud = models.ForeignKey(
        "tilbud.Tilbud", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="forstaerket_perioder", verbose_name="tilbud i registret",
    )
    name = models.CharField("navn i aftalen", max_length=200)
    target_group = models.TextField("målgruppe", blank=True)

    class Meta(_PeriodChild.Meta):
        verbose_name = "tilbud i det forstærkede samarbejde"
        verbose_name_plural = "tilbud i det forstærkede samarbejde"

    def __str__(self) -> str:
        return self.name


class Styringsprincip(_PeriodChild):
    """One of the principles the styringsaftale rests on."""

    period = models.ForeignKey(
        AftalePeriode, on_delete=models.CASCADE, related_name="styringsprincipper",
        verbose_name="aftaleperiode",
    )
    title = models.CharField("princip", max_length=200)
    description = models.TextField("beskrivelse", blank=True)

    class Meta(_PeriodChild.Meta):
        verbose_name = "styringsprincip"
        verbose_name_plural = "styringsprincipper"

    def __str__(self) -> str:
        return self.title


class Regelaendring(_PeriodChild):
    """A rule the period's styringsaftale introduced or changed (e.g. leap years: 366 days)."""

    period = models.ForeignKey(
        AftalePeriode, on_delete=models.CASCADE, related_name="regelaendringer",
        verbose_name="aftaleperiode",
    )
    key = models.SlugField(
        "nøgle", max_length=60,
        help_text="Samme nøgle i to perioder betyder samme regel (bruges til sammenligning).",
    )
    title = models.CharField("regel", max_length=300)
    description = models.TextField("beskrivelse", blank=True)
    effective = models.CharField("gælder fra", max_length=100, blank=True)

    class Meta(_PeriodChild.Meta):
        verbose_name = "regel i styringsaftalen"
        verbose_name_plural = "regler i styringsaftalen"
        constraints = [
            models.UniqueConstraint(fields=["period", "key"], name="regelaendring_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class Bilag(_PeriodChild):
    class Group(models.TextChoices):
        KOORDINERING = "koordinering", "Udvikling og koordinering"
        STYRING = "styring", "Styring og økonomi"

    period = models.ForeignKey(
        AftalePeriode, on_delete=models.CASCADE, related_name="bilag", verbose_name="aftaleperiode"
    )
    number = models.PositiveSmallIntegerField("nummer")
    title = models.CharField("titel", max_length=300)
    group = models.CharField("gruppe", max_length=20, choices=Group.choices)
    description = models.TextField("beskrivelse", blank=True)

    class Meta(_PeriodChild.Meta):
        verbose_name = "bilag"
        verbose_name_plural = "bilag"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Bilag {self.number}: {self.title}"


class Underskriver(_PeriodChild):
    period = models.ForeignKey(
        AftalePeriode, on_delete=models.CASCADE, related_name="underskrivere",
        verbose_name="aftaleperiode",
    )
    name = models.CharField("navn", max_length=150)
    role = models.CharField("rolle", max_length=150)

    class Meta(_PeriodChild.Meta):
        verbose_name = "underskriver"
        verbose_name_plural = "underskrivere"

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"


class Pladsfordeling(_PeriodChild):
    """Day and residential places located in one municipality, as printed in the agreement."""

    period = models.ForeignKey(
        AftalePeriode, on_delete=models.CASCADE, related_name="pladser",
        verbose_name="aftaleperiode",
    )
    kommune = models.ForeignKey(
        Driftsherre, on_delete=models.PROTECT, related_name="+", verbose_name="kommune",
        limit_choices_to={"kind": Driftsherre.Kind.KOMMUNE},
    )
    kommunale = models.PositiveIntegerField("kommunale pladser")
    private = models.PositiveIntegerField("private pladser")
    socialaftale = models.PositiveIntegerField("Nordjysk Socialaftale-pladser")

    class Meta(_PeriodChild.Meta):
        verbose_name = "pladser i en kommune"
        verbose_name_plural = "pladser pr. beliggenhedskommune"
        constraints = [
            models.UniqueConstraint(fields=["period", "kommune"], name="pladsfordeling_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kommune} {self.period.label}"

    def clean(self):
        if self.kommune_id and self.kommune.kind != Driftsherre.Kind.KOMMUNE:
            raise ValidationError({"kommune": "Pladser opgøres pr. beliggenhedskommune."})


class CacheGeneration(models.Model):
    """A counter per group of cached public pages (see socialaftale/page_cache.py).

    Every change to the data behind a group bumps its counter in the same transaction; the
    cache keys carry the counter, so each web process sees the change at its next request
    without a shared cache, and a rolled-back change invalidates nothing.
    """

    name = models.CharField("gruppe", max_length=40, primary_key=True)
    value = models.BigIntegerField("generation")

    class Meta:
        verbose_name = "cachegeneration"
        verbose_name_plural = "cachegenerationer"

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"
class Notification(models.Model):
    """One e-mail the system sends (or tried to): what, to whom, and whether it went out.

    Rows are created by `socialaftale.notifications.notify` and sent by a Celery task after
    the transaction commits; a failed row can be sent again from the admin. `key` makes a
    message idempotent (e.g. one deadline reminder per driftsherre and kind).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Venter"
        SENT = "sent", "Sendt"
        FAILED = "failed", "Fejlet"

    class Kind(models.TextChoices):
        """Every kind of message, named as the secretariat reads them in the admin."""

        ROUND_OPENED = "takster.round_opened", "Takstrunde åbnet"
        REMINDER_14 = "takster.reminder_14", "Påmindelse 14 dage før fristen"
        REMINDER_3 = "takster.reminder_3", "Påmindelse 3 dage før fristen"
        REMINDER_AFTER = "takster.reminder_after", "Påmindelse efter fristen"
        SUBMITTED = "takster.submitted", "Takster indsendt"
        RETURNED = "takster.returned", "Returneret med bemærkninger"
        ANSWERED = "takster.answered", "Svar på bemærkning"
        LINES_REJECTED = "takster.lines_rejected", "Takstlinjer afvist"
        APPROVED = "takster.approved", "Takster godkendt"
        DAS_APPROVED = "takster.das_approved", "Godkendt af DAS Social"
        PUBLISHED = "takster.published", "Takstbilag offentliggjort"
        CAPACITY_REMINDER = "kapacitet_reminder", "Påmindelse om ledig kapacitet"
        JOB_FAILED = "job_failed", "Baggrundsjob fejlede"
        ACCOUNT_INVITE = "account.invite", "Invitation til ny bruger"
        ACCOUNT_PASSWORD_RESET = "account.password_reset", "Nulstilling af adgangskode"

    kind = models.CharField("type", max_length=60, db_index=True, choices=Kind.choices)
    to = models.EmailField("modtager")
    subject = models.CharField("emne", max_length=300)
    body = models.TextField("tekst")
    url = models.CharField("link", max_length=500, blank=True)
    key = models.CharField(
        "nøgle", max_length=200, blank=True,
        help_text="Samme nøgle og modtager sendes kun én gang (fx en påmindelse).",
    )
    driftsherre = models.ForeignKey(
        Driftsherre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="driftsherre",
    )
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("forsøg", default=0)
    error = models.TextField("fejl", blank=True)
    created_at = models.DateTimeField("oprettet", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("sendt", null=True, blank=True)

    class Meta:
        verbose_name = "besked"
        verbose_name_plural = "beskeder (e-mail)"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "to"], condition=~models.Q(key=""),
                name="notification_once_per_key_and_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
