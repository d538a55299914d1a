"""Reads for the public offer pages; each returns one queryset with a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower, Replace

from socialaftale.models import Driftsherre

from .models import Afdeling, LedigKapacitet, Paragraf, Tilbud


def _latest_report(field: str) -> Subquery:
    return Subquery(
        LedigKapacitet.objects.filter(tilbud=OuterRef("pk"))
        .order_by("-as_of", "-created_at")
        .values(field)[:1]
    )


def with_latest_kapacitet(queryset: QuerySet[Tilbud]) -> QuerySet[Tilbud]:
    """Annotate each offer with its latest free-places report (`latest_free`, `latest_as_of`)."""
    return queryset.annotate(
        latest_free=_latest_report("free_places"), latest_as_of=_latest_report("as_of")
    )


# Search folding: "born" finds "børn", "aa" "å", "ae" "æ", "oe" "ø", and the other way round.
# Digraphs first, then the letters, in the same order in Python and in SQL. The upper-case
# letters are listed because SQLite's LOWER() (and PostgreSQL's under the C locale) only
# lowers A-Z.
FOLDS: tuple[tuple[str, str], ...] = (
    ("aa", "a"), ("ae", "a"), ("oe", "o"),
    ("å", "a"), ("Å", "a"), ("æ", "a"), ("Æ", "a"), ("ø", "o"), ("Ø", "o"),
)


def fold(text: str) -> str:
    """A search text as the folded columns read: lower case, æ/ø/å and their digraphs folded."""
    text = text.lower()
    for old, new in FOLDS:
        text = text.replace(old, new)
    return text


def folded(field: str):
    """The database expression that folds a column like `fold` (no stored copy to keep)."""
    expression = Lower(field)
    for old, new in FOLDS:
        expression = Replace(expression, Value(old), Value(new))
    return expression


def tilbud_search(
    *,
    q: str = "",
    driftsherre: Driftsherre | None = None,
    paragraf: Paragraf | None = None,
    status: str = "",
    forstaerket: bool = False,
) -> QuerySet[Tilbud]:
    """Offers matching the public list's filters; §§ match the offer or any of its departments."""
    offers = Tilbud.objects.select_related("driftsherre").prefetch_related("paragraphs")
    if q:
        needle = fold(q.strip())
        in_department = Afdeling.objects.alias(folded_name=folded("name")).filter(
            tilbud=OuterRef("pk"), folded_name__contains=needle
        )
        offers = offers.alias(
            folded_name=folded("name"), folded_target=folded("target_group"),
            folded_municipality=folded("municipality"),
        ).filter(
            Q(folded_name__contains=needle) | Q(folded_target__contains=needle)
            | Q(folded_municipality__contains=needle) | Exists(in_department)
        )
    if driftsherre is not None:
        offers = offers.filter(driftsherre=driftsherre)
    if paragraf is not None:
        offer_has = Tilbud.paragraphs.through.objects.filter(
            tilbud_id=OuterRef("pk"), paragraf=paragraf
        )
        department_has = Afdeling.paragraphs.through.objects.filter(
            afdeling__tilbud_id=OuterRef("pk"), paragraf=paragraf
        )
        offers = offers.filter(Exists(offer_has) | Exists(department_has))
    if status:
        offers = offers.filter(status=status)
    if forstaerket:
        offers = offers.filter(forstaerket_samarbejde=True)
    # A correlated count instead of Count(): no GROUP BY over the whole register per page.
    department_count = (
        Afdeling.objects.filter(tilbud=OuterRef("pk")).order_by()
        .values("tilbud").annotate(n=Count("pk")).values("n")
    )
    offers = offers.annotate(afdeling_count=Coalesce(Subquery(department_count), 0))
    return with_latest_kapacitet(offers).order_by("name", "driftsherre__name")


def tilbud_detail(*, pk: int) -> Tilbud:
    """One offer with its driftsherre, §§ and departments (raises DoesNotExist)."""
    return with_latest_kapacitet(
        Tilbud.objects.select_related("driftsherre").prefetch_related(
            "paragraphs", "afdelinger__paragraphs"
        )
    ).get(pk=pk)


def kapacitet_overview(
    *, driftsherre: Driftsherre | None = None, only_free: bool = False
) -> QuerySet[Tilbud]:
    """Offers that are not ended, each with its latest report; reported offers first."""
    offers = with_latest_kapacitet(
        Tilbud.objects.exclude(status=Tilbud.Status.ENDED).select_related("driftsherre")
    )
    if driftsherre is not None:
        offers = offers.filter(driftsherre=driftsherre)
    if only_free:
        offers = offers.filter(latest_free__gt=0)
    return offers.order_by(
        "driftsherre__name", "name"
    )
