from django.apps import AppConfig


class TaksterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "takster"
    verbose_name = "Takster"
