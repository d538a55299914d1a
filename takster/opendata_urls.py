"""/data/: open data (a public interface — these URLs must not change)."""

from django.urls import path, register_converter

from . import opendata_views as views


class DataFormat:
    regex = "json|csv"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DataFormat, "dataformat")

app_name = "data"
urlpatterns = [
    path("", views.index, name="index"),
    path("katalog.jsonld", views.catalog, name="catalog"),
    path("takster/<int:year>.<dataformat:fmt>", views.takster_data, name="takster"),
    path("takster/<int:year>/v<int:version>.<dataformat:fmt>", views.takster_data,
         name="takster_version"),
]
