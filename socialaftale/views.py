from django.shortcuts import render

from .models import Styringsparametre
from .permissions import role_of


def home(request):
    """Start page: what this role can do here."""
    return render(request, "socialaftale/home.html", {
        "role": role_of(request.user),
        "parameters": Styringsparametre.objects.order_by("-budget_year")[:2],
    })
