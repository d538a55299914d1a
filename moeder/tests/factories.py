"""Test data for meetings (factory_boy); class names say which app they belong to."""

from datetime import date, time

import factory

from moeder.models import Body, Meeting


class MoederBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("slug",)

    name = "DAS Social"
    slug = "das-social"


class MoederMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(MoederBodyFactory)
    date = date(2026, 5, 22)
    start_time = time(12)
    end_time = time(16)
    place = "Virtuelt"
