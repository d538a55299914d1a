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


class InviteForm(forms.Form):
    """The secretariat invites a user; the user chooses the password through a link."""

    email = forms.EmailField(label="E-mailadresse")
    first_name = forms.CharField(label="Fornavn", max_length=150, required=False)
    last_name = forms.CharField(label="Efternavn", max_length=150, required=False)
    role = forms.ChoiceField(label="Rolle")
    driftsherre = forms.ModelChoiceField(
        label="Driftsherre", queryset=None, required=False,
        help_text="Kun for driftsherre-indberettere.",
    )

    def __init__(self, *args, **kwargs):
        from .models import Driftsherre, Profile

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Profile.Role.choices
        self.fields["role"].initial = Profile.Role.DRIFTSHERRE
        self.fields["driftsherre"].queryset = Driftsherre.objects.order_by("name")

    def clean(self):
        from .models import Profile

        data = super().clean()
        is_driftsherre = data.get("role") == Profile.Role.DRIFTSHERRE
        if is_driftsherre and not data.get("driftsherre"):
            self.add_error("driftsherre", "Vælg den driftsherre, brugeren indberetter for.")
        if not is_driftsherre and data.get("driftsherre"):
            self.add_error("driftsherre", "Kun driftsherre-indberettere har en driftsherre.")
        return data
