from django.apps import AppConfig


class TilbudConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tilbud"
    verbose_name = "Tilbud"

    def ready(self):
        from . import cache  # noqa: F401  (connects the signals that invalidate cached pages)
