"""The public offer pages' cache group: which changes invalidate them.

The offer list and the free-places overview show offers, their departments, §§, driftsherre
names and capacity reports; any save or delete of those bumps the "tilbud" generation
(socialaftale/page_cache.py), so the next request renders afresh. The offer page is not
cached: it also shows approved rates from takster.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from socialaftale.models import Driftsherre
from socialaftale.page_cache import bump_generation, cached_public_page

from .models import Afdeling, LedigKapacitet, Paragraf, Tilbud

GROUP = "tilbud"
cached_offer_page = cached_public_page(GROUP)


def _changed(sender, **kwargs):
    bump_generation(GROUP)


for _model in (Tilbud, Afdeling, LedigKapacitet, Paragraf, Driftsherre):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"tilbud-cache-save-{_model.__name__}")
    post_delete.connect(_changed, sender=_model,
                        dispatch_uid=f"tilbud-cache-delete-{_model.__name__}")
for _through in (Tilbud.paragraphs.through, Afdeling.paragraphs.through):
    m2m_changed.connect(_changed, sender=_through,
                        dispatch_uid=f"tilbud-cache-m2m-{_through.__name__}")
