from django.apps import AppConfig


class SocialaftaleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "socialaftale"
    verbose_name = "Socialaftalen"

    def ready(self):
        from . import agreement_jobs  # noqa: F401  (registers the agreement PDF job handler)
