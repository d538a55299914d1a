from django.core.exceptions import ValidationError
from django.db import models

from socialaftale.models import Driftsherre


class Paragraf(models.Model):
    """A legal basis from the rate-sheet dropdown (e.g. "SEL § 104", "BL § 43")."""

    code = models.CharField("§§", max_length=40, unique=True)
    description = models.CharField("beskrivelse", max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        verbose_name = "lovgrundlag (§§)"
        verbose_name_plural = "lovgrundlag (§§)"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.code


class Tilbud(models.Model):
    """An offer covered by the agreement, named exactly as on Tilbudsportalen."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Aktiv"
        NEW = "new", "Nyt"
        ENDED = "ended", "Udgået"

    class Unit(models.TextChoices):
        DAG = "Dag", "Dag"
        DOEGN = "Døgn", "Døgn"
        UGE = "Uge", "Uge"
        MAANED = "Måned", "Måned"
        AAR = "År", "År"
        STK = "Stk.", "Stk."
        TIME = "Time", "Time"
        TRAEKNINGSRET = "Trækningsret", "Trækningsret"
        OBJEKTIV = "Objektiv", "Objektiv"

    name = models.CharField("navn (som på Tilbudsportalen)", max_length=200)
    tilbudsportalen_id = models.PositiveIntegerField(
        "Tilbudsportalen-id", null=True, blank=True, unique=True
    )
    driftsherre = models.ForeignKey(
        Driftsherre, on_delete=models.PROTECT, related_name="tilbud", verbose_name="driftsherre"
    )
    paragraphs = models.ManyToManyField(
        Paragraf, related_name="tilbud", verbose_name="lovgrundlag (§§)", blank=True
    )
    target_group = models.CharField("målgruppe", max_length=300, blank=True)
    unit = models.CharField("enhed", max_length=20, choices=Unit.choices, default=Unit.DOEGN)
    places = models.PositiveIntegerField("pladser", null=True, blank=True)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    status_year = models.PositiveSmallIntegerField(
        "status fra år", null=True, blank=True,
        help_text="For nye tilbud: første år; for udgåede: året det ophører.",
    )
    forstaerket_samarbejde = models.BooleanField("forstærket samarbejde", default=False)
    address = models.CharField("adresse", max_length=200, blank=True)
    municipality = models.CharField("beliggenhedskommune", max_length=100, blank=True)
    contact = models.CharField("kontakt", max_length=200, blank=True)
    is_demo = models.BooleanField(
        "demodata", default=False, help_text="Opdigtet tilbud til demonstration."
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    updated_at = models.DateTimeField("ændret", auto_now=True)

    class Meta:
        verbose_name = "tilbud"
        verbose_name_plural = "tilbud"
        ordering = ["driftsherre__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["driftsherre", "name"], name="tilbud_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.status in {self.Status.NEW, self.Status.ENDED} and not self.status_year:
            raise ValidationError({"status_year": "Angiv året for et nyt eller udgået tilbud."})

    @property
    def is_new(self) -> bool:
        return self.status == self.Status.NEW

    @property
    def is_ended(self) -> bool:
        return self.status == self.Status.ENDED


class Afdeling(models.Model):
    """A department of an offer; rates are set per department when it has any."""

    tilbud = models.ForeignKey(
        Tilbud, on_delete=models.CASCADE, related_name="afdelinger", verbose_name="tilbud"
    )
    name = models.CharField("navn (som på Tilbudsportalen)", max_length=200)
    tilbudsportalen_id = models.PositiveIntegerField("Tilbudsportalen-id", null=True, blank=True)
    paragraphs = models.ManyToManyField(
        Paragraf, related_name="afdelinger", verbose_name="lovgrundlag (§§)", blank=True
    )
    unit = models.CharField("enhed", max_length=20, choices=Tilbud.Unit.choices, blank=True)
    places = models.PositiveIntegerField("pladser", null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        verbose_name = "afdeling"
        verbose_name_plural = "afdelinger"
        ordering = ["tilbud", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tilbud", "name"], name="afdeling_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.tilbud.name} – {self.name}"
