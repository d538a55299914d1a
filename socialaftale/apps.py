from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SocialaftaleConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "socialaftale"
    verbose_name = "Socialaftalen"

    def ready(self):
        from . import (
            agreement_jobs,  # noqa: F401  (registers the agreement PDF job handler)
            uploads,  # noqa: F401  (raises Django's multipart header limit)
        )


class SocialaftaleAdminConfig(admin_apps.AdminConfig):
    """Installed instead of django.contrib.admin: our admin site is the default site."""

    default = False
    default_site = "socialaftale.admin_site.SocialaftaleAdminSite"
