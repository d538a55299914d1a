from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from socialaftale.models import Driftsherre
from socialaftale.permissions import (
    Role,
    check_driftsherre_access,
    driftsherre_of,
    is_sekretariat,
    role_required,
)
from takster.history import tilbud_rate_history
from takster.history_charts import rate_history_context

from . import selectors, services
from .cache import cached_offer_page
from .forms import (
    KapacitetDateForm,
    KapacitetFilterForm,
    KapacitetForm,
    TilbudFilterForm,
    kapacitet_row_forms,
)
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


def offer_detail(request, pk: int):  # not cached: it also shows approved rates (takster)
    try:
        tilbud = selectors.tilbud_detail(pk=pk)
    except Tilbud.DoesNotExist:
        raise Http404("Tilbuddet findes ikke.") from None
    return render(request, "tilbud/detail.html", {
        "tilbud": tilbud, "can_report": _may_report(request.user, tilbud),
        "kapacitet_stale": services.kapacitet_is_stale(as_of=tilbud.latest_as_of),
        **rate_history_context(tilbud_rate_history(tilbud=tilbud), name=tilbud.name),
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
        "stale_before": services.kapacitet_stale_before(),
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


@role_required(Role.DRIFTSHERRE, Role.SEKRETARIAT)
def kapacitet_bulk(request):
    """A driftsherre reports free places for all its own offers in one form."""
    driftsherre = _bulk_driftsherre(request)
    if driftsherre is None:  # the secretariat chooses whom to report for
        return render(request, "tilbud/kapacitet_bulk.html", {
            "choose": Driftsherre.objects.order_by("name")})
    offers = list(selectors.kapacitet_overview(driftsherre=driftsherre))
    data = request.POST if request.method == "POST" else None
    date_form = KapacitetDateForm(data)
    rows = kapacitet_row_forms(offers, data)
    if data is not None and all([date_form.is_valid(), *[r.is_valid() for r in rows]]):
        try:
            reports = services.kapacitet_report_many(
                driftsherre=driftsherre, as_of=date_form.cleaned_data["as_of"], by=request.user,
                rows=[(r.tilbud, r.cleaned_data["free_places"], r.cleaned_data["note"])
                      for r in rows],
            )
        except ValidationError as exc:
            by_pk = {str(r.tilbud.pk): r for r in rows}
            for key, errors in exc.message_dict.items():
                for error in errors:
                    if key in by_pk:
                        by_pk[key].add_error("free_places", error)
                    else:
                        date_form.add_error("as_of" if key == "as_of" else None, error)
        else:
            messages.success(request, f"Ledig kapacitet er gemt for {len(reports)} tilbud.")
            return redirect(request.get_full_path())
    return render(request, "tilbud/kapacitet_bulk.html", {
        "driftsherre": driftsherre, "date_form": date_form, "rows": rows,
        "has_errors": data is not None and (date_form.errors or any(r.errors for r in rows)),
        "stale_before": services.kapacitet_stale_before(),
    })


def _bulk_driftsherre(request) -> Driftsherre | None:
    """A driftsherre user's own; the secretariat's choice (?driftsherre=id) or None."""
    own = driftsherre_of(request.user)
    wanted = request.GET.get("driftsherre", "")
    if own is not None:
        if wanted and wanted != str(own.pk):
            raise Http404("Ikke fundet.")
        return own
    if not wanted.isdigit():
        return None
    return get_object_or_404(Driftsherre, pk=int(wanted))


def _may_report(user, tilbud: Tilbud) -> bool:
    own = driftsherre_of(user)
    return is_sekretariat(user) or (own is not None and own.pk == tilbud.driftsherre_id)
