"""No CPR number gets into Bifrost: every free-text field refuses one."""

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from bifrost import models as bifrost_models
from bifrost.forms import ReferralForm, ScreeningAnswerForm
from bifrost.validators import looks_like_cpr, no_cpr

CPR_LIKE = ["010190-1234", "0101901234", "ung 311299-4321 fra Aalborg", "010190 1234",
            "født 01.02.03 - 1234", "01.02.03-1234", "01 02 03 1234"]
NOT_CPR = ["BF-2026-001", "20 60 76 58", "1.234.567 kr.", "2026-09-01", "12345678901",
           "indskrevet 01.09.2026", ""]


@pytest.mark.parametrize("text", CPR_LIKE)
def test_text_with_a_cpr_number_is_recognised(text):
    assert looks_like_cpr(text)


@pytest.mark.parametrize("text", NOT_CPR)
def test_ordinary_text_and_codes_pass(text):
    assert not looks_like_cpr(text)


def test_every_free_text_field_in_bifrost_carries_the_cpr_validator():
    text_fields = [
        (model.__name__, field.name)
        for model in (bifrost_models.IntakePlan, bifrost_models.Milestone,
                      bifrost_models.ScreeningRound, bifrost_models.ScreeningAnswer,
                      bifrost_models.Referral)
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]
    assert len(text_fields) >= 10
    for model_name, name in text_fields:
        field = getattr(bifrost_models, model_name)._meta.get_field(name)
        assert no_cpr in field.validators, f"{model_name}.{name} mangler CPR-kontrollen"


@pytest.mark.parametrize("cpr", ["010190-1234", "0101901234"])
def test_model_validation_refuses_a_cpr_number_in_each_text_field(cpr):
    for model in (bifrost_models.IntakePlan, bifrost_models.Milestone,
                  bifrost_models.ScreeningRound, bifrost_models.ScreeningAnswer,
                  bifrost_models.Referral):
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                obj = model(**{field.name: f"ref {cpr}"[-field.max_length:]
                               if field.max_length else f"ref {cpr}"})
                with pytest.raises(ValidationError) as exc:
                    obj.clean_fields()
                assert "CPR-nummer" in str(exc.value.message_dict[field.name]), field


REFERRAL = {"code": "BF-2026-101", "received_on": "2026-11-20", "age_band": "16-17",
            "target_group": "primaer", "note": ""}


@pytest.mark.parametrize("cpr", ["010190-1234", "0101901234"])
@pytest.mark.parametrize("field", ["code", "note"])
def test_referral_form_refuses_a_cpr_number_in_every_text_field(bifrost_data, kommune, cpr,
                                                                 field):
    form = ReferralForm(data={**REFERRAL, field: f"{cpr}" if field == "code" else f"x {cpr}"},
                        municipality=kommune("aalborg"))
    assert not form.is_valid()
    assert "CPR-nummer" in str(form.errors[field])


def test_referral_form_accepts_a_pseudonymous_code(bifrost_data, kommune):
    form = ReferralForm(data=REFERRAL, municipality=kommune("aalborg"))
    assert form.is_valid(), form.errors


def test_a_name_is_not_a_referral_code(bifrost_data, kommune):
    form = ReferralForm(data={**REFERRAL, "code": "Jens Hansen"}, municipality=kommune("aalborg"))
    assert not form.is_valid() and "code" in form.errors


@pytest.mark.parametrize("cpr", ["010190-1234", "0101901234"])
def test_screening_answer_comment_refuses_a_cpr_number(bifrost_data, cpr):
    form = ScreeningAnswerForm(data={"primary_count": 1, "secondary_count": 0,
                                     "answered_on": "2026-04-01", "comment": f"fx {cpr}"})
    assert not form.is_valid() and "CPR-nummer" in str(form.errors["comment"])
