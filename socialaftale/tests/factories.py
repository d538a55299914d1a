"""Test data for the socialaftale app (factory_boy)."""

import factory

from socialaftale.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """A recorded e-mail; `status` as needed (pending, sent, failed)."""

    class Meta:
        model = Notification

    kind = "takster.returned"
    to = factory.Sequence(lambda n: f"modtager{n}@example.dk")
    subject = factory.Sequence(lambda n: f"Returneret med bemærkninger: takster 2027 ({n})")
    body = "Kære Aalborg Kommune\n\nSe bemærkningerne."
    status = Notification.Status.SENT
    attempts = 1
