from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from socialaftale.models import Driftsherre

from .folding import folded


def _search_column(field: str, label: str) -> models.GeneratedField:
    """A folded copy of `field` for the offer search, kept by the database itself."""
    return models.GeneratedField(
        expression=folded(field), output_field=models.TextField(), db_persist=True,
        verbose_name=f"søgetekst ({label})",
    )


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
    description = models.TextField(
        "beskrivelse", blank=True, help_text="Kort om tilbuddet og særlige forhold."
    )
    is_demo = models.BooleanField(
        "demodata", default=False, help_text="Opdigtet tilbud til demonstration."
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    updated_at = models.DateTimeField("ændret", auto_now=True)
    search_name = _search_column("name", "navn")
    search_target_group = _search_column("target_group", "målgruppe")
    search_municipality = _search_column("municipality", "beliggenhedskommune")

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
    def tilbudsportalen_url(self) -> str:
        """The offer on Tilbudsportalen (settings.TILBUDSPORTALEN_URL), empty without an id."""
        if not self.tilbudsportalen_id:
            return ""
        return settings.TILBUDSPORTALEN_URL.format(id=self.tilbudsportalen_id)

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
    search_name = _search_column("name", "navn")

    class Meta:
        verbose_name = "afdeling"
        verbose_name_plural = "afdelinger"
        ordering = ["tilbud", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tilbud", "name"], name="afdeling_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.tilbud.name} – {self.name}"


class TilbudChange(models.Model):
    """One change to an offer: who, when, how, and each field's old and new value."""

    class Action(models.TextChoices):
        CREATED = "created", "Oprettet"
        CHANGED = "changed", "Ændret"
        IMPORTED = "imported", "Importeret"
        DELETED = "deleted", "Slettet"

    tilbud = models.ForeignKey(
        Tilbud, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes",
        verbose_name="tilbud",
    )
    tilbud_name = models.CharField(
        "tilbudsnavn", max_length=200, help_text="Navnet da ændringen skete (bevares ved sletning)."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="ændret af",
    )
    changed_at = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)
    action = models.CharField("handling", max_length=10, choices=Action.choices)
    changes = models.JSONField(
        "ændringer", default=list, blank=True,
        help_text='Liste af {"field": feltnavn, "old": gammel værdi, "new": ny værdi}.',
    )

    class Meta:
        verbose_name = "ændring af tilbud"
        verbose_name_plural = "ændringshistorik for tilbud"
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.tilbud_name}: {self.get_action_display()} {self.changed_at:%d.%m.%Y %H:%M}"


class LedigKapacitet(models.Model):
    """Free places in an offer on a given date, reported by its driftsherre or the secretariat."""

    tilbud = models.ForeignKey(
        Tilbud, on_delete=models.CASCADE, related_name="kapacitet", verbose_name="tilbud"
    )
    free_places = models.PositiveIntegerField("ledige pladser")
    as_of = models.DateField("opgjort pr.")
    note = models.CharField("bemærkning", max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name="indberettet af",
    )
    created_at = models.DateTimeField("indberettet", auto_now_add=True)

    class Meta:
        verbose_name = "ledig kapacitet"
        verbose_name_plural = "ledig kapacitet"
        ordering = ["-as_of", "-created_at"]
        indexes = [models.Index(fields=["tilbud", "-as_of", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.tilbud.name}: {self.free_places} ledige pr. {self.as_of:%d.%m.%Y}"

    def clean(self):
        places = self.tilbud.places if self.tilbud_id else None
        if places is not None and self.free_places is not None and self.free_places > places:
            raise ValidationError(
                {"free_places": f"Tilbuddet har kun {places} pladser i alt."}
            )
