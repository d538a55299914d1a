from pathlib import PurePath

from django import forms
from django.conf import settings

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
