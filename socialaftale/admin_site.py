"""The admin site: Danish titles, and years shown as years everywhere.

With Danish number formatting on, Django's admin shows an integer year column as "2.027".
The site rewrites every `*_year`/`year` column of every registered admin into a plain
column, so no app has to remember it.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db import models
from django.db.models.base import ModelBase


class SocialaftaleAdminSite(admin.AdminSite):
    site_header = "Nordjysk Socialaftale – sekretariatet"
    site_title = "Nordjysk Socialaftale"
    index_title = "Administration"

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        if isinstance(model_or_iterable, ModelBase):
            model_or_iterable = [model_or_iterable]
        for model in model_or_iterable:
            model_admin = self._registry[model]
            model_admin.list_display = [
                _plain_year_column(model_admin, name) for name in model_admin.list_display
            ]


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete choices use a model's `autocomplete_label` where it has one."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(obj, "autocomplete_label", None)
        return {**result, "text": str(label)} if label else result


def _is_year_field(model, name) -> bool:
    if not isinstance(name, str) or not (name == "year" or name.endswith("_year")):
        return False
    try:
        field = model._meta.get_field(name)
    except Exception:
        return False
    return isinstance(field, models.IntegerField)


def _plain_year_column(model_admin, name):
    keep_as_field = set(model_admin.list_editable or ()) | set(model_admin.list_display_links or ())
    if name in keep_as_field or not _is_year_field(model_admin.model, name):
        return name
    field = model_admin.model._meta.get_field(name)

    @admin.display(description=field.verbose_name, ordering=name)
    def column(obj):
        value = getattr(obj, name)
        return "—" if value is None else str(value)

    column.__name__ = name
    return column
