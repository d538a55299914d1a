"""factory_boy factories for the offer register (tilbud, afdelinger, §§).

They look rows up by their natural keys (a paragraph's code, an offer's name under its
driftsherre, a department's name under its offer) and create them only when missing, so a
test may build the same offer twice, or on top of another fixture's register, without
duplicates. Never with explicit primary keys: those collide with PostgreSQL's sequences,
which are not rolled back between tests (and on SQLite silently overwrite other rows).

    kaervej = TilbudFactory(driftsherre=mariagerfjord, name="Bo og Aktivitetstilbud Kærvej",
                            paragraphs=["ABL § 105"])
    AfdelingFactory(tilbud=kaervej, name="Kærvej Hus Nord", paragraphs=["SEL § 108"])
"""

import factory

from socialaftale.models import Driftsherre
from tilbud.models import Afdeling, Paragraf, Tilbud


class TilbudParagrafFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paragraf
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"SEL § {200 + n}")


def _paragraphs(obj, create, codes):
    """`paragraphs=["SEL § 104", ...]`: the §§ by code (made when missing)."""
    if create and codes:
        obj.paragraphs.add(*(TilbudParagrafFactory(code=code) for code in codes))


class TilbudFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tilbud
        django_get_or_create = ("driftsherre", "name")
        skip_postgeneration_save = True  # the §§ are a many-to-many: no second save

    driftsherre = factory.LazyFunction(lambda: Driftsherre.objects.get(slug="aalborg"))
    name = factory.Sequence(lambda n: f"Testtilbud {n}")
    unit = Tilbud.Unit.DOEGN
    paragraphs = factory.PostGeneration(_paragraphs)


class AfdelingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Afdeling
        django_get_or_create = ("tilbud", "name")
        skip_postgeneration_save = True

    tilbud = factory.SubFactory(TilbudFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")
    paragraphs = factory.PostGeneration(_paragraphs)
