from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

socialaftale_patterns = ("socialaftale.agreement_urls", "socialaftale")

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility"),
    path("log-ind/", auth_views.LoginView.as_view(), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("socialaftale/", include(socialaftale_patterns)),
    path("jobs/", include("socialaftale.job_urls")),
    path("tilbud/", include("tilbud.urls")),
    path("takster/", include("takster.urls")),
    path("moeder/", include("moeder.urls")),
    path("bifrost/", include("bifrost.urls")),
    path("data/", include("takster.opendata_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
