from django.urls import reverse

from .permissions import ANONYMOUS, Role, driftsherre_of, role_of

# (label, url name, roles that see it). Public pages are seen by everybody.
NAVIGATION = [
    ("Forside", "home", None),
    ("Tilbud", "tilbud:list", None),
    ("Socialaftalen", "socialaftale:period_list", None),
    ("Takster", "takster:index", None),
    ("Møder", "moeder:index", {Role.SEKRETARIAT, Role.DAS}),
    ("Bifrost", "bifrost:index", {Role.SEKRETARIAT, Role.DAS, Role.DRIFTSHERRE}),
]


def navigation(request):
    role = role_of(request.user)
    path = request.path
    items = []
    for label, url_name, roles in NAVIGATION:
        if roles is not None and role not in roles:
            continue
        url = reverse(url_name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    if role == Role.SEKRETARIAT:
        items.append({"label": "Administration", "url": reverse("admin:index"),
                      "active": path.startswith(reverse("admin:index"))})
    return {
        "nav_items": items,
        "user_role": role,
        "user_role_label": dict(Role.choices).get(role, "Ikke logget ind") if role != ANONYMOUS
        else "Ikke logget ind",
        "user_driftsherre": driftsherre_of(request.user),
    }
