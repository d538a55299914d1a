"""The secretariat runs Bifrost's data in the admin, too."""

from django.urls import reverse

from bifrost.models import IntakePlan


def test_admin_lists_open_for_the_secretariat(client, bifrost_data, users,
                                              django_assert_max_num_queries):
    client.force_login(users["sekretariat"])
    for model in ("intakeplan", "milestone", "screeninground", "referral", "statusreport"):
        with django_assert_max_num_queries(12):
            response = client.get(reverse(f"admin:bifrost_{model}_changelist"))
        assert response.status_code == 200, model
    listing = client.get(reverse("admin:bifrost_referral_changelist")).content.decode()
    assert "BF-2026-003" in listing
    assert client.get(reverse("admin:bifrost_intakeplan_change", args=[1])).status_code == 200


def test_admin_action_makes_a_plan_in_force(client, bifrost_data, users):
    client.force_login(users["sekretariat"])
    client.post(reverse("admin:bifrost_intakeplan_changelist"),
                {"action": "make_in_force", "_selected_action": ["2"]})
    assert IntakePlan.objects.get(in_force=True).pk == 2


def test_das_members_have_no_admin(client, bifrost_data, users):
    client.force_login(users["das"])
    response = client.get(reverse("admin:bifrost_referral_changelist"))
    assert response.status_code == 302
