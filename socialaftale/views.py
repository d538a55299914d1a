from datetime import date

from django.conf import settings
from django.shortcuts import redirect, render
from django.templatetags.static import static

from .models import Styringsparametre
from .permissions import role_of


def home(request):
    """Start page: what this role can do here."""
    return render(request, "socialaftale/home.html", {
        "role": role_of(request.user),
        "parameters": Styringsparametre.objects.order_by("-budget_year")[:2],
    })


def accessibility_statement(request):
    """Tilgængelighedserklæring: public, linked from every page's footer."""
    return render(request, "socialaftale/accessibility.html", {
        "official_url": settings.ACCESSIBILITY_STATEMENT_URL,
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
        "reviewed": date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_DATE),
    })


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the static file."""
    return redirect(static("favicon.ico"), permanent=True)
