from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from socialaftale.permissions import (
    Role,
    check_driftsherre_access,
    driftsherre_of,
    is_sekretariat,
    role_required,
)

from . import selectors, services
from .cache import cached_offer_page
from .forms import KapacitetFilterForm, KapacitetForm, TilbudFilterForm
from .models import Tilbud

PAGE_SIZE = 50


@cached_offer_page
def offer_list(request):
    """Public, searchable list of the offers the agreement covers."""
    form = TilbudFilterForm(request.GET or None)
    offers = selectors.tilbud_search(**form.filters())
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "tilbud/list.html", {
        "form": form, "page": page, "query": query.urlencode(),
    })


@cached_offer_page
def offer_detail(request, pk: int):
    try:
        tilbud = selectors.tilbud_detail(pk=pk)
    except Tilbud.DoesNotExist:
        raise Http404("Tilbuddet findes ikke.") from None
    return render(request, "tilbud/detail.html", {
        "tilbud": tilbud, "can_report": _may_report(request.user, tilbud),
    })


@cached_offer_page
def kapacitet_overview(request):
    """Public overview: the latest free-places report per offer."""
    form = KapacitetFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    offers = selectors.kapacitet_overview(
        driftsherre=filters.get("driftsherre"), only_free=filters.get("only_free", False)
    )
    page = Paginator(offers, 100).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    own = driftsherre_of(request.user)
    return render(request, "tilbud/kapacitet.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "own_driftsherre_id": own.pk if own else None,
        "is_sekretariat": is_sekretariat(request.user),
    })


@role_required(Role.DRIFTSHERRE, Role.SEKRETARIAT)
def kapacitet_report(request, pk: int):
    """A driftsherre reports free places for one of its own offers (others answer 404)."""
    tilbud = get_object_or_404(Tilbud.objects.select_related("driftsherre"), pk=pk)
    check_driftsherre_access(request.user, tilbud.driftsherre_id)
    form = KapacitetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.kapacitet_report(tilbud=tilbud, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Ledig kapacitet for {tilbud.name} er gemt.")
            return redirect("tilbud:detail", pk=tilbud.pk)
    return render(request, "tilbud/kapacitet_form.html", {"form": form, "tilbud": tilbud})


def _may_report(user, tilbud: Tilbud) -> bool:
    own = driftsherre_of(user)
    return is_sekretariat(user) or (own is not None and own.pk == tilbud.driftsherre_id)
