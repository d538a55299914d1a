from django.apps import AppConfig


class TilbudConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tilbud"
    verbose_name = "Tilbud"
