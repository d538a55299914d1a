from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from .models import Driftsherre, Profile

SEKRETARIAT_GROUP = "Sekretariat"


def sekretariat_group_sync() -> Group:
    """The secretariat group holds every permission: it runs the whole system in the admin."""
    group, _ = Group.objects.get_or_create(name=SEKRETARIAT_GROUP)
    group.permissions.set(Permission.objects.all())
    return group


@transaction.atomic
def profile_assign(*, user: User, role: str, driftsherre: Driftsherre | None = None) -> Profile:
    """Give a user a role; the secretariat also gets admin access through its group."""
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    profile.role, profile.driftsherre = role, driftsherre
    profile.full_clean()
    profile.save()
    user.is_staff = role == Profile.Role.SEKRETARIAT
    user.save(update_fields=["is_staff"])
    if user.is_staff:
        user.groups.add(sekretariat_group_sync())
    else:
        user.groups.remove(*Group.objects.filter(name=SEKRETARIAT_GROUP))
    return profile
