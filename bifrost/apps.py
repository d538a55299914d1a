from django.apps import AppConfig


class BifrostConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bifrost"
    verbose_name = "Bifrost"
