from django.apps import AppConfig


class SocialaftaleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "socialaftale"
    verbose_name = "Socialaftalen"
