from django.apps import AppConfig


class BifrostConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bifrost"
    verbose_name = "Bifrost"

    def ready(self):
        from . import jobs  # noqa: F401  (job kinds, and documents rendered on change)
