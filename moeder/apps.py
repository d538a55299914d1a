from django.apps import AppConfig


class MoederConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "moeder"
    verbose_name = "Møder"
