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


# --- The agreement document ----------------------------------------------------------------

AGREEMENT_PDF_JOB = "socialaftale.agreement_pdf"
# Bump when the PDF template changes, so every period's PDF is rendered again.
AGREEMENT_PDF_LAYOUT = "1"


def agreement_content(*, period) -> dict:
    """Everything that is printed in the period's PDF, as plain JSON-able data."""
    from .selectors import period_with_content

    if "fokusomraader" not in getattr(period, "_prefetched_objects_cache", {}):
        period = period_with_content(type(period).objects.filter(pk=period.pk)).get()

    def rows(items, *fields):
        return [{f: getattr(item, f) for f in fields} for item in items]

    return {
        "layout": AGREEMENT_PDF_LAYOUT,
        "period": rows([period], "title", "subtitle", "start_year", "end_year", "summary",
                       "vision", "vision_text", "coordination_text", "forstaerket_text",
                       "styringsaftale_text", "places_text", "printed_kommunale",
                       "printed_private", "printed_socialaftale", "signed_text",
                       "is_published")[0],
        "fokusomraader": [
            {**rows([a], "order", "title", "vision", "description")[0],
             "initiativer": rows(a.initiativer.all(), "order", "letter", "title", "description")}
            for a in period.fokusomraader.all()
        ],
        "centrale_udmeldinger": rows(period.centrale_udmeldinger.all(), "order", "title", "years",
                                     "description"),
        "forstaerket_samarbejde": [
            {**rows([f], "order", "name", "target_group")[0],
             "tilbud": f.tilbud.name if f.tilbud else None}
            for f in period.forstaerket_samarbejde.all()
        ],
        "styringsprincipper": rows(period.styringsprincipper.all(), "order", "title",
                                   "description"),
        "regelaendringer": rows(period.regelaendringer.all(), "order", "key", "title",
                                "description", "effective"),
        "bilag": rows(period.bilag.all(), "number", "title", "group", "description"),
        "underskrivere": rows(period.underskrivere.all(), "order", "name", "role"),
        "pladser": [{"kommune": p.kommune.name, **rows([p], "order", "kommunale", "private",
                                                      "socialaftale")[0]}
                    for p in period.pladser.all()],
    }


def agreement_content_hash(*, period) -> str:
    """sha256 of the period's printed content: the PDF is rendered again only when it changes."""
    import json

    from .models import sha256_hex

    return sha256_hex(json.dumps(agreement_content(period=period), sort_keys=True,
                                 ensure_ascii=False))


def agreement_pdf_request(*, period, requested_by=None, force: bool = False):
    """The PDF job for the period's current content (reused if already rendered, unless
    `force`: the secretariat renders it again)."""
    from .jobs import job_request

    user = requested_by if requested_by is not None and requested_by.is_authenticated else None
    return job_request(
        kind=AGREEMENT_PDF_JOB, subject=period, input_hash=agreement_content_hash(period=period),
        requested_by=user, public=period.is_published, force=force,
    )


def agreement_pdf_current_job(*, period):
    """The job for the current content, if one was ever requested (no new work)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import Job

    return Job.objects.filter(
        kind=AGREEMENT_PDF_JOB, subject_type=ContentType.objects.get_for_model(period),
        subject_id=period.pk, input_hash=agreement_content_hash(period=period),
    ).first()


def agreement_pdf_render(*, period, progress=lambda percent: None) -> bytes:
    """Render the period's agreement to PDF (cover, contents, chapters, places, signatures)."""
    from .pdf import render_pdf
    from .selectors import period_with_content, places_table

    period = period_with_content(type(period).objects.filter(pk=period.pk)).get()
    progress(10)
    context = {"period": period, "places": places_table(period)}
    pdf = render_pdf("socialaftale/pdf/agreement.html", context)
    progress(90)
    return pdf


def period_set_published(*, period, published: bool):
    """Publish or withdraw an agreement period (the PDF of a published one is public)."""
    period.is_published = published
    period.full_clean()
    period.save(update_fields=["is_published", "updated_at"])
    return period
