from django import forms


class CompareForm(forms.Form):
    """Choose two agreement periods (by label, e.g. "2021-2022") to compare."""

    fra = forms.ChoiceField(label="Fra periode")
    til = forms.ChoiceField(label="Til periode")

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.label: p for p in periods}
        choices = [(label, p.title) for label, p in self.periods.items()]
        self.fields["fra"].choices = choices
        self.fields["til"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("fra") == data.get("til"):
            raise forms.ValidationError("Vælg to forskellige perioder.")
        return data
