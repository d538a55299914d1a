"""Who may see what. Views call these helpers; see README.md "Roller"."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Driftsherre, Profile

Role = Profile.Role
ANONYMOUS = "anonym"


def role_of(user) -> str:
    """The user's role; superusers and staff without a profile count as the secretariat."""
    if not user.is_authenticated:
        return ANONYMOUS
    profile = getattr(user, "profile", None)
    if profile is not None:
        return profile.role
    if user.is_superuser or user.is_staff:
        return Role.SEKRETARIAT
    return ANONYMOUS


def is_sekretariat(user) -> bool:
    return role_of(user) == Role.SEKRETARIAT


def is_das(user) -> bool:
    return role_of(user) == Role.DAS


def driftsherre_of(user) -> Driftsherre | None:
    """The driftsherre a driftsherre user reports for; None for every other role."""
    if role_of(user) != Role.DRIFTSHERRE:
        return None
    return user.profile.driftsherre


def role_required(*roles: str):
    """Anonymous users go to the login page; a logged-in user with another role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in roles:
                raise PermissionDenied("Du har ikke adgang til denne side.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def check_driftsherre_access(user, driftsherre_id: int) -> None:
    """A driftsherre user may only touch its own driftsherre's data: others answer 404."""
    if is_sekretariat(user):
        return
    own = driftsherre_of(user)
    if own is None or own.pk != driftsherre_id:
        raise Http404("Ikke fundet.")
