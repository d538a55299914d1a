from django import forms
from django.utils import timezone

from socialaftale.models import Driftsherre

from .models import LedigKapacitet, Paragraf, Tilbud


class TilbudFilterForm(forms.Form):
    q = forms.CharField(
        label="Søg", required=False, max_length=100,
        help_text="Navn, målgruppe, afdeling eller beliggenhedskommune. Store og små bogstaver "
        "er ligegyldige, og æ, ø og å kan skrives ae, oe og aa (eller a og o).",
    )
    driftsherre = forms.ModelChoiceField(
        label="Driftsherre", queryset=Driftsherre.objects.order_by("name"), required=False,
        empty_label="Alle driftsherrer",
    )
    paragraf = forms.ModelChoiceField(
        label="Lovgrundlag (§§)", queryset=Paragraf.objects.all(), required=False,
        empty_label="Alle §§",
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Alle")] + Tilbud.Status.choices, required=False
    )
    forstaerket = forms.BooleanField(label="Kun forstærket samarbejde", required=False)

    def filters(self) -> dict:
        """The cleaned filters for `selectors.tilbud_search`; empty when the form is invalid."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in ("", None)}


class KapacitetFilterForm(forms.Form):
    driftsherre = forms.ModelChoiceField(
        label="Driftsherre", queryset=Driftsherre.objects.order_by("name"), required=False,
        empty_label="Alle driftsherrer",
    )
    only_free = forms.BooleanField(label="Kun tilbud med ledige pladser", required=False)


class KapacitetForm(forms.ModelForm):
    class Meta:
        model = LedigKapacitet
        fields = ["free_places", "as_of", "note"]
        widgets = {"as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "free_places": "Antal pladser, der kan tilbydes nu (0 hvis tilbuddet er fuldt).",
            "note": "Fx hvilke afdelinger pladserne er i, eller hvornår en plads bliver ledig.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()
        self.fields["as_of"].input_formats = ["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"]


class KapacitetDateForm(forms.Form):
    """The date a bulk report counts for (one date for every row)."""

    as_of = forms.DateField(
        label="Opgjort pr.", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"],
        help_text="Gælder alle rækker. Højst 31 dage gammel og ikke i fremtiden.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()


class KapacitetRowForm(forms.Form):
    """One offer's row in the bulk form: free places (empty = leave out) and a note."""

    free_places = forms.IntegerField(
        label="Ledige pladser", required=False, min_value=0, max_value=10_000,
        error_messages={"min_value": "Antallet kan ikke være negativt.",
                        "invalid": "Skriv et helt tal."},
    )
    note = forms.CharField(label="Bemærkning", required=False, max_length=300)

    def __init__(self, *args, tilbud, **kwargs):
        self.tilbud = tilbud
        super().__init__(*args, **kwargs)
        self.fields["free_places"].label = f"Ledige pladser, {tilbud.name}"
        self.fields["note"].label = f"Bemærkning, {tilbud.name}"

    def clean_free_places(self):
        value = self.cleaned_data.get("free_places")
        places = self.tilbud.places
        if value is not None and places is not None and value > places:
            raise forms.ValidationError(f"Tilbuddet har kun {places} pladser i alt.")
        return value


def kapacitet_row_forms(offers, data=None) -> list[KapacitetRowForm]:
    """One row form per offer, prefilled with its latest report (saving confirms it)."""
    return [
        KapacitetRowForm(
            data, prefix=f"t{t.pk}", tilbud=t,
            initial={"free_places": t.latest_free} if t.latest_free is not None else None,
        )
        for t in offers
    ]
