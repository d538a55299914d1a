from django.apps import AppConfig


class MoederConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "moeder"
    verbose_name = "Møder"

    def ready(self):
        from . import jobs  # noqa: F401  (job kinds, and documents rendered on change)
