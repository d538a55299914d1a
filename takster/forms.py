from pathlib import PurePath

from django import forms
from django.conf import settings

from socialaftale.uploads import filename_error

# The validator explains .xlsm and .xls precisely (macros, old format); anything else is
# refused here before it is stored.
ACCEPTED_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Udfyldt takstskema (.xlsx)",
        help_text="Excel-projektmappe (.xlsx) uden makroer, højst "
        f"{settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if message := filename_error(upload):
            raise forms.ValidationError(message)
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in ACCEPTED_SUFFIXES:
            raise forms.ValidationError(
                "Kun Excel-projektmapper (.xlsx) kan uploades. Gem skemaet som "
                "'Excel-projektmappe (.xlsx)', og prøv igen."
            )
        limit = settings.MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"Filen er for stor ({upload.size / 1024 / 1024:.1f} MB). Grænsen er "
                f"{limit / 1024 / 1024:.0f} MB. Fjern billeder og ekstra ark, og prøv igen."
            )
        return upload


class AcknowledgementForm(forms.Form):
    """One comment field per unacknowledged or acknowledged warning."""

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = list(warnings)
        for finding in self.warnings:
            ack = getattr(finding, "acknowledgement", None)
            where = f"{finding.sheet}!{finding.cell}" + (
                f", {finding.tilbud}" if finding.tilbud else ""
            )
            self.fields[f"comment_{finding.pk}"] = forms.CharField(
                label=f"Kommentar til {finding.title} i {where}",  # no code: Danish UI
                required=False, max_length=2000,
                initial=ack.comment if ack else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def comments(self) -> dict[int, str]:
        return {f.pk: self.cleaned_data.get(f"comment_{f.pk}", "") for f in self.warnings}


class CommentForm(forms.Form):
    """A reviewer's remark on the whole submission or on one of its lines."""

    line = forms.TypedChoiceField(
        label="Gælder", coerce=int, required=False, empty_value=None,
    )
    source = forms.ChoiceField(label="Fra", choices=())
    text = forms.CharField(label="Bemærkning", max_length=4000, widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, lines=(), **kwargs):
        from .models import ReviewComment

        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "Hele indberetningen")] + [
            (line.pk, f"{line.offer_name} {line.year or ''}".strip()) for line in lines
        ]
        # The driftsherre answers in its own name (comment_answer); a reviewer writes for the
        # secretariat or records Styringsaftalegruppen's remark.
        self.fields["source"].choices = [
            (s.value, s.label) for s in ReviewComment.REVIEWER_SOURCES
        ]


class TextForm(forms.Form):
    text = forms.CharField(label="Bemærkning (valgfri)", max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


def das_items(rate_round):
    """Agenda items of DAS Social's meetings for recording an approval: the items about this
    round's rates first (title with "takst" and the budget year), then by date, newest first."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from moeder.models import AgendaItem

    year = str(rate_round.budget_year) if rate_round is not None else ""
    about_rates = Q(title__icontains="takst") & Q(title__contains=year) if year else Q(
        title__icontains="takst")
    return (
        AgendaItem.objects.filter(meeting__body__slug__in=DAS_BODIES)
        .select_related("meeting__body")
        .annotate(_first=Case(When(about_rates, then=Value(0)), default=Value(1),
                              output_field=IntegerField()))
        .order_by("_first", "-meeting__date", "number")
    )


DAS_BODIES = ("das-social",)


class DasApprovalForm(forms.Form):
    item = forms.ModelChoiceField(label="Dagsordenspunkt", queryset=None, required=False,
                                  empty_label="Intet punkt (kun dato og henvisning)",
                                  help_text="Punkter om årets takster står først.")
    date = forms.DateField(label="Mødedato", required=False,
                           widget=forms.DateInput(attrs={"type": "date"}),
                           help_text="Udfyldes af punktets møde, hvis du vælger et punkt.")
    reference = forms.CharField(label="Henvisning", max_length=200, required=False,
                                help_text="Fx “DAS Social 17.11.2025, pkt. 5”; dannes af "
                                          "punktet, hvis feltet er tomt.")
    note = forms.CharField(label="Bemærkning til godkendelsen", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rate_round=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = das_items(rate_round)
        self.fields["item"].label_from_instance = (
            lambda i: f"{i.meeting.body.name} {i.meeting.date:%d.%m.%Y}, pkt. {i.number}: "
                      f"{i.title}"[:120]
        )

    def clean(self):
        data = super().clean()
        item = data.get("item")
        if item is not None:
            data["date"] = data.get("date") or item.meeting.date
            data["reference"] = data.get("reference") or (
                f"{item.meeting.body.name} {item.meeting.date:%d.%m.%Y}, pkt. {item.number}"
            )
        if not data.get("date"):
            self.add_error("date", "Vælg et dagsordenspunkt, eller skriv mødedatoen.")
        if not data.get("reference"):
            self.add_error("reference", "Skriv en henvisning, fx “DAS Social 17.11.2025, "
                                        "pkt. 5”.")
        return data


class AgendaItemForm(forms.Form):
    """A new agenda item on a DAS meeting, made from the review page."""

    meeting = forms.ModelChoiceField(label="Møde", queryset=None, empty_label=None)
    title = forms.CharField(label="Titel på punktet", max_length=300)

    def __init__(self, *args, rate_round=None, **kwargs):
        from moeder.models import Meeting

        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            body__slug__in=DAS_BODIES).exclude(state=Meeting.State.REFERAT_GODKENDT).select_related(
            "body").order_by("-date")  # an approved record gets no new items
        self.fields["meeting"].label_from_instance = lambda m: f"{m.body.name} {m.date:%d.%m.%Y}"
        if rate_round is not None:
            self.fields["title"].initial = f"Godkendelse af takster {rate_round.budget_year}"


class AnswerForm(forms.Form):
    text = forms.CharField(label="Svar", max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DaysForm(forms.Form):
    days = forms.IntegerField(label="Betalingsdage", min_value=1, max_value=366, required=False)


class PublishForm(forms.Form):
    note = forms.CharField(
        label="Begrundelse (påkrævet, når driftsherrer mangler)", max_length=2000,
        required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Står i takstbilagets versionsnote, fx “Hjørring Kommunes takster "
                  "behandles på næste møde”.",
    )


class ReviseForm(forms.Form):
    reason = forms.CharField(label="Begrundelse for revisionen", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
