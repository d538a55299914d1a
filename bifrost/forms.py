from django import forms

from socialaftale.models import Driftsherre

from .models import Referral, ScreeningAnswer


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


EDITOR_FIELDS = [
    "code", "municipality", "received_on", "age_band", "target_group", "north_jutland_priority",
    "exclusion_checked", "excl_iq_below_85", "excl_substance_primary", "excl_dangerous",
    "outcome", "outcome_on", "admitted_on", "notice_given_on", "discharged_on", "note",
]
# A municipality registers its own enquiries; matching, admission and discharge are the
# region's (Specialsektoren) to record.
MUNICIPALITY_FIELDS = ["code", "received_on", "age_band", "target_group", "note"]
DATE_FIELDS = ["received_on", "outcome_on", "admitted_on", "notice_given_on", "discharged_on"]


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = EDITOR_FIELDS
        widgets = {name: DateInput() for name in DATE_FIELDS} | {
            "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, municipality: Driftsherre | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_municipality = municipality
        if municipality is not None:
            for name in list(self.fields):
                if name not in MUNICIPALITY_FIELDS:
                    del self.fields[name]
            self.instance.municipality = municipality
        else:
            self.fields["municipality"].queryset = Driftsherre.objects.filter(
                kind=Driftsherre.Kind.KOMMUNE).order_by("name")


class ScreeningAnswerForm(forms.ModelForm):
    class Meta:
        model = ScreeningAnswer
        fields = ["primary_count", "secondary_count", "answered_on", "comment"]
        widgets = {"answered_on": DateInput(), "comment": forms.Textarea(attrs={"rows": 3})}
