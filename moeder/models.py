"""DAS Social's meetings: bodies, members, attendance, agenda items and their decisions."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from socialaftale.models import Driftsherre

ATTACHMENT_EXTENSIONS = ["pdf", "xlsx", "docx"]


def validate_attachment_size(file) -> None:
    if file.size > settings.MAX_UPLOAD_BYTES:
        limit_mb = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(f"Bilaget er for stort: højst {limit_mb} MB.")


def validate_attachment_content(file) -> None:
    """The extension must match the bytes: PDF starts with %PDF, xlsx/docx are zip files."""
    name = file.name.lower()
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if name.endswith(".pdf") and not head.startswith(b"%PDF-"):
        raise ValidationError("Filen er ikke en PDF-fil.")
    if name.endswith((".xlsx", ".docx")) and not head.startswith(b"PK\x03\x04"):
        raise ValidationError("Filen er ikke en gyldig Excel- eller Word-fil.")


class Body(models.Model):
    """A meeting body: DAS Social, Styringsaftalegruppen, Forretningsudvalget …"""

    name = models.CharField("navn", max_length=100, unique=True)
    slug = models.SlugField("kortnavn", max_length=50, unique=True)
    description = models.TextField("beskrivelse", blank=True)

    class Meta:
        verbose_name = "mødeforum"
        verbose_name_plural = "mødefora"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A member or participant; organisation is a driftsherre or a named organisation."""

    name = models.CharField("navn", max_length=120)
    title = models.CharField("stilling", max_length=200, blank=True)
    driftsherre = models.ForeignKey(
        Driftsherre, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="driftsherre",
    )
    organisation = models.CharField(
        "organisation", max_length=150, blank=True,
        help_text="Udfyldes når personen ikke kommer fra en driftsherre, "
                  "fx KKR Nordjylland eller Sekretariat for Nordjysk Socialaftale.",
    )

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_label})" if self.organisation_label else self.name

    @property
    def organisation_label(self) -> str:
        return self.driftsherre.name if self.driftsherre_id else self.organisation

    def clean(self):
        if self.driftsherre_id and self.organisation:
            raise ValidationError("Angiv enten en driftsherre eller en organisation, ikke begge.")


class Membership(models.Model):
    class Role(models.TextChoices):
        FORMAND = "formand", "Formand"
        NAESTFORMAND = "naestformand", "Næstformand"
        MEDLEM = "medlem", "Medlem"
        FAST_DELTAGER = "fast_deltager", "Fast deltager (uden stemme)"

    VOTING_ROLES = (Role.FORMAND, Role.NAESTFORMAND, Role.MEDLEM)

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name="mødeforum")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships",
                               verbose_name="person")
    role = models.CharField("rolle", max_length=20, choices=Role.choices, default=Role.MEDLEM)
    start_date = models.DateField("medlem fra")
    end_date = models.DateField("medlem til", null=True, blank=True)

    class Meta:
        verbose_name = "medlemskab"
        verbose_name_plural = "medlemskaber"
        ordering = ["body", "person__name"]

    def __str__(self) -> str:
        return f"{self.person.name} – {self.get_role_display()} i {self.body}"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Slutdatoen ligger før startdatoen."})


class Meeting(models.Model):
    class State(models.TextChoices):
        PLANLAGT = "planlagt", "Planlagt"
        DAGSORDEN_UDSENDT = "dagsorden_udsendt", "Dagsorden udsendt"
        AFHOLDT = "afholdt", "Afholdt"
        REFERAT_GODKENDT = "referat_godkendt", "Referat godkendt"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings",
                             verbose_name="mødeforum")
    date = models.DateField("dato", db_index=True)
    start_time = models.TimeField("starttid")
    end_time = models.TimeField("sluttid")
    place = models.CharField("sted", max_length=200, default="Virtuelt")
    state = models.CharField("status", max_length=20, choices=State.choices,
                             default=State.PLANLAGT)
    note = models.TextField("øvrige oplysninger", blank=True)
    updated_at = models.DateTimeField("ændret", auto_now=True)

    class Meta:
        verbose_name = "møde"
        verbose_name_plural = "møder"
        ordering = ["-date", "-start_time"]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("moeder:meeting", args=[self.pk])

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "Sluttiden skal ligge efter starttiden."})

    @property
    def is_held(self) -> bool:
        return self.state in {self.State.AFHOLDT, self.State.REFERAT_GODKENDT}

    NO_MINUTES_LABEL = "Afholdt – referat ikke registreret"

    @property
    def state_label(self) -> str:
        """The state as readers should see it: a past meeting is never "Planlagt"."""
        if not self.is_held and self.date < timezone.localdate():
            return self.NO_MINUTES_LABEL
        return self.get_state_display()

    @property
    def next_meeting(self) -> "Meeting | None":
        return (Meeting.objects.filter(body_id=self.body_id, date__gt=self.date)
                .order_by("date", "start_time").first())


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        BESLUTNING = "beslutning", "Beslutning"
        DROEFTELSE = "droeftelse", "Drøftelse"
        ORIENTERING = "orientering", "Orientering"

    class Standard(models.TextChoices):
        NONE = "", "—"
        DAGSORDEN = "dagsorden", "Godkendelse af dagsorden"
        REFERAT = "referat", "Godkendelse af referat"
        EVENTUELT = "eventuelt", "Eventuelt"
        NAESTE_MOEDE = "naeste_moede", "Næste møde"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items",
                                verbose_name="møde")
    number = models.PositiveSmallIntegerField("punkt nr.")
    title = models.CharField("titel", max_length=300)
    case_number = models.CharField("sagsnummer", max_length=30, blank=True, db_index=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices,
                            default=Kind.BESLUTNING)
    is_closed = models.BooleanField(
        "lukket punkt", default=False,
        help_text="Lukkede punkter ses kun af sekretariatet og DAS-medlemmer.",
    )
    standard = models.CharField("standardpunkt", max_length=20, choices=Standard.choices,
                                blank=True, default="")
    resume = models.TextField("resumé", blank=True)
    sagsfremstilling = models.TextField("sagsfremstilling", blank=True)
    indstilling_intro = models.CharField(
        "indstilling (indledning)", max_length=200, blank=True,
        default="Det indstilles, at Den Administrative Styregruppe",
    )
    beslutning = models.TextField("beslutning", blank=True)
    beslutning_summary = models.BooleanField(
        "beslutningen er en sammenfatning", default=False,
        help_text="Markér, når beslutningen er skrevet sammen i egne ord og ikke ordret; "
                  "referatet skriver det ved punktet.",
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies",
        verbose_name="kopieret fra",
    )

    class Meta:
        verbose_name = "dagsordenspunkt"
        verbose_name_plural = "dagsordenspunkter"
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agendaitem_number_unique")
        ]

    def __str__(self) -> str:
        return f"Punkt {self.number}. {self.title}"

    @property
    def autocomplete_label(self) -> str:
        """The admin's choice label: every meeting has a "Punkt 1. Godkendelse af dagsorden"."""
        return f"{self.meeting} · {self}"


class IndstillingPoint(models.Model):
    class Outcome(models.TextChoices):
        NONE = "", "Ikke angivet"
        GODKENDT = "godkendt", "Godkendt"
        GODKENDT_AENDRINGER = "godkendt_med_aendringer", "Godkendt med ændringer"
        DROEFTET = "droeftet", "Drøftet"
        TAGET_TIL_EFTERRETNING = "taget_til_efterretning", "Taget til efterretning"
        UDSAT = "udsat", "Udsat"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="points",
                             verbose_name="dagsordenspunkt")
    number = models.PositiveSmallIntegerField("nr.")
    text = models.TextField("indstilling")
    outcome = models.CharField("udfald", max_length=30, choices=Outcome.choices, blank=True,
                               default="")

    class Meta:
        verbose_name = "indstillingspunkt"
        verbose_name_plural = "indstillingspunkter"
        ordering = ["item", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Attachment(models.Model):
    """A bilag. Without a file it is only listed (the seed names bilag we do not have)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments",
                             verbose_name="dagsordenspunkt")
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    title = models.CharField("titel", max_length=300)
    file = models.FileField(
        "fil", upload_to="moeder/bilag/%Y/", blank=True,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_attachment_size,
                    validate_attachment_content],
        help_text="PDF, Excel (xlsx) eller Word (docx).",
    )
    sha256 = models.CharField("sha256", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "bilag"
        verbose_name_plural = "bilag"
        ordering = ["item", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pdf(self) -> bool:
        return bool(self.file) and self.file.name.lower().endswith(".pdf")


class ItemLink(models.Model):
    """What an item decided: a rate approval, a Bifrost report, a period, meetings …

    A generic link so later apps can be linked without this app importing their models.
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="links",
                             verbose_name="dagsordenspunkt")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE,
                                     verbose_name="type")
    object_id = models.PositiveBigIntegerField("objekt-id")
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField("tekst", max_length=200)

    class Meta:
        verbose_name = "henvisning"
        verbose_name_plural = "henvisninger"
        ordering = ["item", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.label


class Attendance(models.Model):
    class Status(models.TextChoices):
        TIL_STEDE = "til_stede", "Til stede"
        FRAVAERENDE = "fravaerende", "Fraværende"
        STEDFORTRAEDER = "stedfortraeder", "Stedfortræder"
        OEVRIG = "oevrig", "Øvrig deltager"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name="møde")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendance",
                               verbose_name="person")
    status = models.CharField("status", max_length=20, choices=Status.choices)
    substitute_for = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="substituted_by",
        verbose_name="i stedet for",
    )
    items = models.ManyToManyField(
        AgendaItem, blank=True, related_name="guests", verbose_name="deltager i punkt",
        help_text="Kun for gæster, der deltager i bestemte punkter.",
    )
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        verbose_name = "deltagelse"
        verbose_name_plural = "deltagelse"
        ordering = ["meeting", "status", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"],
                                    name="attendance_one_row_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}: {self.get_status_display()}"

    def clean(self):
        if self.status == self.Status.STEDFORTRAEDER and not self.substitute_for_id:
            raise ValidationError({"substitute_for": "Angiv hvem stedfortræderen afløser."})
        if self.status != self.Status.STEDFORTRAEDER and self.substitute_for_id:
            raise ValidationError({"substitute_for": "Kun stedfortrædere deltager i stedet for."})
        if self.substitute_for_id and self.substitute_for_id == self.person_id:
            raise ValidationError({"substitute_for": "En person kan ikke afløse sig selv."})
