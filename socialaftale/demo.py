"""Demo data built in code (called by `manage.py load_demo` after the fixtures are loaded)."""

from .models import ForstaerketSamarbejde

# Offers of the forstærket samarbejde that should point at the register when it has them.
FORSTAERKET_NAMES = [
    "Neurocenter Østerskoven", "Specialbørnehjemmet Kvisten", "Institut for Syn og Hørelse",
]


def forstaerket_link_to_register() -> int:
    """Link forstærket samarbejde rows to the offer of the same name in the register."""
    from tilbud.models import Tilbud

    linked = 0
    for name in FORSTAERKET_NAMES:
        matches = list(Tilbud.objects.filter(name=name)[:2])
        if len(matches) != 1:  # absent, or ambiguous across driftsherrer: leave unlinked
            continue
        linked += ForstaerketSamarbejde.objects.filter(
            name=name, tilbud__isnull=True
        ).update(tilbud=matches[0])
    return linked


def load(*, stdout) -> None:
    linked = forstaerket_link_to_register()
    stdout.write(
        f"Socialaftalen: {linked} tilbud i det forstærkede samarbejde koblet til registret."
    )
