"""Ungehjemmet Bifrost: intake plans, milestones, municipal screenings and referrals.

Everything here is pseudonymous: a referral is a code, a municipality, dates and
categories. Every free-text field refuses what looks like a CPR number.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from socialaftale.models import Driftsherre

from .validators import REFERRAL_CODE_PATTERN, no_cpr

PLACES = 10
PRIMARY_TARGET_SHARE = 70  # percent, bilag 3


def _text(verbose_name: str, max_length: int = 200, **kwargs) -> models.CharField:
    return models.CharField(verbose_name, max_length=max_length, validators=[no_cpr], **kwargs)


class IntakePlan(models.Model):
    """A version of the intake plan: planned admissions per date. One version is in force."""

    name = _text("navn")
    source = _text("kilde", max_length=300, blank=True,
                   help_text="Hvor planen står, fx bilag og mødedato.")
    approved_on = models.DateField("godkendt den", null=True, blank=True)
    in_force = models.BooleanField("gældende", default=False)
    description = models.TextField("beskrivelse", blank=True, validators=[no_cpr])

    class Meta:
        verbose_name = "indskrivningsplan"
        verbose_name_plural = "indskrivningsplaner"
        ordering = ["-in_force", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_force"], condition=models.Q(in_force=True),
                name="bifrost_one_plan_in_force",
            )
        ]

    def __str__(self) -> str:
        return self.name + (" (gældende)" if self.in_force else "")


class PlannedIntake(models.Model):
    plan = models.ForeignKey(IntakePlan, on_delete=models.CASCADE, related_name="entries",
                             verbose_name="plan")
    date = models.DateField("dato")
    count = models.PositiveSmallIntegerField("antal unge", validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = "planlagt indskrivning"
        verbose_name_plural = "planlagte indskrivninger"
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="bifrost_plan_date_unique")
        ]

    def __str__(self) -> str:
        return f"{self.count} pr. {self.date:%d.%m.%Y}"


class Milestone(models.Model):
    """A milestone or communication event from the plan (theme day, inauguration, …)."""

    class Kind(models.TextChoices):
        KOMMUNIKATION = "kommunikation", "Kommunikation"
        MILEPAEL = "milepael", "Milepæl"
        BESLUTNING = "beslutning", "Beslutning"

    date = models.DateField("dato", help_text="Ved et omtrentligt tidspunkt: den tidligste dato.")
    date_label = _text("tidspunkt som tekst", max_length=100, blank=True,
                       help_text="Fx »forventeligt medio maj/start juni 2026«.")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    title = _text("titel")
    audience = _text("målgruppe", max_length=300, blank=True)
    description = models.TextField("beskrivelse", blank=True, validators=[no_cpr])

    class Meta:
        verbose_name = "milepæl"
        verbose_name_plural = "milepæle og kommunikation"
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.title}"


class ScreeningRound(models.Model):
    """A round of afdækning: every municipality reports how many young people it has."""

    title = _text("titel")
    opened_on = models.DateField("udsendt den")
    deadline = models.DateField("svarfrist")
    description = models.TextField("beskrivelse", blank=True, validators=[no_cpr])

    class Meta:
        verbose_name = "afdækningsrunde"
        verbose_name_plural = "afdækningsrunder"
        ordering = ["-deadline"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.opened_on and self.deadline and self.deadline < self.opened_on:
            raise ValidationError({"deadline": "Svarfristen ligger før udsendelsen."})


class ScreeningAnswer(models.Model):
    """One municipality's answer in a round: counts only."""

    round = models.ForeignKey(ScreeningRound, on_delete=models.CASCADE, related_name="answers",
                              verbose_name="afdækningsrunde")
    municipality = models.ForeignKey(
        Driftsherre, on_delete=models.PROTECT, related_name="bifrost_screening_answers",
        limit_choices_to={"kind": Driftsherre.Kind.KOMMUNE}, verbose_name="kommune",
    )
    primary_count = models.PositiveSmallIntegerField(
        "antal unge i primær målgruppe", validators=[MaxValueValidator(500)])
    secondary_count = models.PositiveSmallIntegerField(
        "antal unge i sekundær målgruppe", validators=[MaxValueValidator(500)])
    answered_on = models.DateField("besvaret den")
    comment = models.TextField("bemærkning", blank=True, validators=[no_cpr],
                               help_text="Ingen navne eller CPR-numre.")

    class Meta:
        verbose_name = "afdækningssvar"
        verbose_name_plural = "afdækningssvar"
        ordering = ["round", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "municipality"],
                                    name="bifrost_one_answer_per_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.round}"

    def clean(self):
        if self.municipality_id and self.municipality.kind != Driftsherre.Kind.KOMMUNE:
            raise ValidationError({"municipality": "Kun kommuner besvarer afdækningen."})

    @property
    def is_late(self) -> bool:
        return self.answered_on > self.round.deadline


class Referral(models.Model):
    """A municipality's enquiry (henvendelse) about a young person, by pseudonymous code."""

    class AgeBand(models.TextChoices):
        A14_15 = "14-15", "14–15 år"
        A16_17 = "16-17", "16–17 år"
        A18_20 = "18-20", "18–20 år"
        A21_23 = "21-23", "21–23 år"

    class TargetGroup(models.TextChoices):
        PRIMARY = "primaer", "Primær målgruppe"
        SECONDARY = "sekundaer", "Sekundær målgruppe"

    class Outcome(models.TextChoices):
        PENDING = "afventer", "Afventer matchning"
        ACCEPTED = "accepteret", "Kommunen accepterer og indgår kontrakt"
        DECLINED = "kommunen_nej", "Kommunen takker nej"
        REJECTED = "afvist", "Specialsektoren afviser"

    code = models.CharField(
        "pseudonym kode", max_length=20, unique=True,
        validators=[RegexValidator(REFERRAL_CODE_PATTERN, "Koden skal have formen BF-ÅÅÅÅ-NNN."),
                    no_cpr],
        help_text="Formen BF-ÅÅÅÅ-NNN. Aldrig navn eller CPR-nummer.",
    )
    municipality = models.ForeignKey(
        Driftsherre, on_delete=models.PROTECT, related_name="bifrost_referrals",
        limit_choices_to={"kind": Driftsherre.Kind.KOMMUNE}, verbose_name="kommune",
    )
    received_on = models.DateField("henvendelse modtaget")
    age_band = models.CharField("aldersgruppe", max_length=5, choices=AgeBand.choices)
    target_group = models.CharField("målgruppe", max_length=10, choices=TargetGroup.choices)
    exclusion_checked = models.BooleanField(
        "eksklusionskriterier gennemgået", default=False)
    excl_iq_below_85 = models.BooleanField("begavelse under normalområdet (IQ under 85)",
                                           default=False)
    excl_substance_primary = models.BooleanField("forbrug af rusmidler som primær udfordring",
                                                 default=False)
    excl_dangerous = models.BooleanField("intenderet personfarlig adfærd", default=False)
    north_jutland_priority = models.BooleanField(
        "forrang til nordjyske unge", default=True,
        help_text="Unge fra de nordjyske kommuner har forrang til pladserne.")
    outcome = models.CharField("udfald af matchning", max_length=15, choices=Outcome.choices,
                               default=Outcome.PENDING)
    outcome_on = models.DateField("udfald den", null=True, blank=True)
    admitted_on = models.DateField("indskrevet den", null=True, blank=True)
    notice_given_on = models.DateField("opsagt den", null=True, blank=True)
    discharged_on = models.DateField("udskrevet den", null=True, blank=True)
    note = models.TextField("bemærkning", blank=True, validators=[no_cpr],
                            help_text="Ingen navne, CPR-numre eller helbredsoplysninger.")

    class Meta:
        verbose_name = "henvendelse"
        verbose_name_plural = "henvendelser"
        ordering = ["-received_on", "-code"]
        indexes = [models.Index(fields=["municipality", "received_on"])]

    def __str__(self) -> str:
        return self.code

    @property
    def exclusion_hit(self) -> bool:
        return self.excl_iq_below_85 or self.excl_substance_primary or self.excl_dangerous

    @property
    def move_out_by(self) -> date | None:
        """Last day of the notice period (running month + one month), if notice is given."""
        from .services import discharge_notice_end

        if self.notice_given_on is None:
            return None
        return discharge_notice_end(notice_given_on=self.notice_given_on)

    def clean(self):
        errors = {}
        if self.outcome != self.Outcome.PENDING and not self.outcome_on:
            errors["outcome_on"] = "Angiv datoen for udfaldet."
        if self.outcome == self.Outcome.PENDING and self.outcome_on:
            errors["outcome_on"] = "En henvendelse der afventer, har ingen udfaldsdato."
        if self.outcome_on and self.received_on and self.outcome_on < self.received_on:
            errors["outcome_on"] = "Udfaldet ligger før henvendelsen."
        if self.outcome == self.Outcome.ACCEPTED and not self.exclusion_checked:
            errors["exclusion_checked"] = (
                "Eksklusionskriterierne skal være gennemgået før kontrakt.")
        if self.admitted_on and self.outcome != self.Outcome.ACCEPTED:
            errors["admitted_on"] = "Kun en accepteret henvendelse kan føre til indskrivning."
        if self.admitted_on and self.received_on and self.admitted_on < self.received_on:
            errors["admitted_on"] = "Indskrivningen ligger før henvendelsen."
        if self.notice_given_on and not self.admitted_on:
            errors["notice_given_on"] = "Kun en indskrevet ung kan opsiges."
        elif self.notice_given_on and self.notice_given_on < self.admitted_on:
            errors["notice_given_on"] = "Opsigelsen ligger før indskrivningen."
        if self.discharged_on and not self.admitted_on:
            errors["discharged_on"] = "Kun en indskrevet ung kan udskrives."
        elif self.discharged_on and self.discharged_on < self.admitted_on:
            errors["discharged_on"] = "Udskrivningen ligger før indskrivningen."
        if self.municipality_id and self.municipality.kind != Driftsherre.Kind.KOMMUNE:
            errors["municipality"] = "Henvendelser kommer fra en kommune."
        if errors:
            raise ValidationError(errors)


class StatusReport(models.Model):
    """The quarterly status report for DAS; its URL is stable, its PDF is a job."""

    year = models.PositiveSmallIntegerField(
        "år", validators=[MinValueValidator(2026), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(
        "kvartal", validators=[MinValueValidator(1), MaxValueValidator(4)])
    as_of = models.DateField(
        "statusdato", null=True, blank=True,
        help_text="Datoen tallene sidst blev opgjort pr. (kvartalets sidste dag eller i dag).")

    class Meta:
        verbose_name = "statusrapport"
        verbose_name_plural = "statusrapporter"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="bifrost_report_unique")
        ]

    def __str__(self) -> str:
        return f"Statusrapport {self.quarter}. kvartal {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year}-k{self.quarter}"

    @property
    def period_end(self) -> date:
        from .services import quarter_end

        return quarter_end(year=self.year, quarter=self.quarter)
