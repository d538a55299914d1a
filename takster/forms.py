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
                label=f"Kommentar til {finding.title} ({finding.code}) i {where}",
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
            (line.pk, f"{line.tilbud_name} / {line.afdeling_name} {line.year or ''}".strip())
            for line in lines
        ]
        self.fields["source"].choices = ReviewComment.Source.choices


class TextForm(forms.Form):
    text = forms.CharField(label="Bemærkning (valgfri)", max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DasApprovalForm(forms.Form):
    item = forms.ModelChoiceField(label="Dagsordenspunkt", queryset=None, required=False,
                                  empty_label="Intet punkt (kun dato og henvisning)")
    date = forms.DateField(label="Mødedato", widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label="Henvisning", max_length=200,
                                help_text="Fx “DAS Social 17.11.2025, pkt. 5”.")
    note = forms.CharField(label="Bemærkning til godkendelsen", required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from moeder.models import AgendaItem

        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.select_related(
            "meeting__body").order_by("-meeting__date", "number")
        self.fields["item"].label_from_instance = (
            lambda i: f"{i.meeting.body.name} {i.meeting.date:%d.%m.%Y}, pkt. {i.number}: "
                      f"{i.title}"[:120]
        )


class ReviseForm(forms.Form):
    reason = forms.CharField(label="Begrundelse for revisionen", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
