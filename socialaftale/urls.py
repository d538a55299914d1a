from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import account_views, health, views

socialaftale_patterns = ("socialaftale.agreement_urls", "socialaftale")

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility"),
    path("healthz", health.healthz, name="healthz"),
    path("log-ind/", auth_views.LoginView.as_view(), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/inviter/", account_views.invite, name="invite"),
    path("konto/glemt-adgangskode/", account_views.password_reset, name="password_reset"),
    path("konto/glemt-adgangskode/sendt/", account_views.password_reset_done,
         name="password_reset_done"),
    path("konto/adgangskode/<uidb64>/<token>/", account_views.password_reset_confirm,
         name="password_reset_confirm"),
    path("konto/adgangskode/valgt/", account_views.password_reset_complete,
         name="password_reset_complete"),
    path("socialaftale/", include(socialaftale_patterns)),
    path("jobs/", include("socialaftale.job_urls")),
    path("tilbud/", include("tilbud.urls")),
    path("takster/", include("takster.urls")),
    path("moeder/", include("moeder.urls")),
    path("bifrost/", include("bifrost.urls")),
    path("data/", include("takster.opendata_urls")),
    path("admin/", admin.site.urls),
]
# MEDIA_ROOT is never served by URL, not even with DEBUG on: every stored file goes through a
# permission-checked view and socialaftale.downloads.send_stored_file.
