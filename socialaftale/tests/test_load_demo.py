"""The demo accounts made by `load_demo`."""

import pytest
from django.contrib.auth.models import User

from socialaftale.management.commands.load_demo import Command
from socialaftale.notifications import sekretariat_recipients


@pytest.mark.django_db
def test_demo_users_have_addresses_so_the_secretariat_is_told_of_submissions(
    reference_data, settings
):
    settings.DEBUG = True
    settings.SEKRETARIAT_EMAIL = ""
    Command().create_demo_users()
    assert sekretariat_recipients() == ["sekretariat@demo.socialaftale.example.dk"]
    assert User.objects.get(username="aalborg").email == "aalborg@demo.socialaftale.example.dk"
