from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import models

from .jobs import job_enqueue
from .models import Driftsherre, Job, Profile, Styringsparametre
from .wording import plural


class DanishNumbersMixin:
    """Decimal fields accept and show Danish numbers (3,10) — staff type them that way.

    Use on every ModelAdmin and inline with money or percentages.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.DecimalField) and field is not None:
            field.localize = True
            field.widget.is_localized = True
            field.widget.input_type = "text"
        return field


@admin.register(Driftsherre)
class DriftsherreAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "contact_email"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Styringsparametre)
class StyringsparametreAdmin(DanishNumbersMixin, admin.ModelAdmin):
    list_display = ["budget_year", "pl_kommuner", "pl_regioner", "rise_threshold_pp",
                    "occupancy_threshold", "days_in_year"]
    ordering = ["-budget_year"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["driftsherre"]
    verbose_name_plural = "rolle"


admin.site.unregister(User)


@admin.register(User)
class BrugerAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "get_full_name", "email", "role", "driftsherre", "is_active"]
    list_filter = ["profile__role", "profile__driftsherre", "is_active", "is_staff"]
    list_select_related = ["profile", "profile__driftsherre"]
    actions = ["send_invitation"]

    @admin.action(description="Send invitation (link til at vælge adgangskode) igen")
    def send_invitation(self, request, queryset):
        from .accounts import invitation_send

        users = [u for u in queryset if u.email]
        for user in users:
            invitation_send(user=user)
        self.message_user(request, f"Invitation sendt til {len(users)} bruger(e) med e-mail.",
                          messages.SUCCESS)

    @admin.display(description="rolle", ordering="profile__role")
    def role(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description="driftsherre", ordering="profile__driftsherre__name")
    def driftsherre(self, user):
        profile = getattr(user, "profile", None)
        return profile.driftsherre if profile and profile.driftsherre else "—"


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "subject_type", "subject_id", "status", "progress", "attempts",
                    "created_at", "finished_at", "requested_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["subject_type", "requested_by"]
    search_fields = ["kind", "input_hash", "error"]
    # The output file by name only: MEDIA_URL has no route; each kind's own page serves it.
    readonly_fields = ["output_name" if f.name == "output" else f.name for f in Job._meta.fields]
    exclude = ["output"]
    actions = ["retry"]

    @admin.display(description="resultatfil")
    def output_name(self, obj):
        return obj.output.name or "–"

    def has_add_permission(self, request):
        return False

    @admin.action(description="Kør valgte job igen")
    def retry(self, request, queryset):
        for job in queryset:
            job_enqueue(job=job)
        self.message_user(request, f"{queryset.count()} job sat i kø igen.", messages.SUCCESS)


# --- The agreement: periods and their content ---------------------------------------------

from .models import (  # noqa: E402
    AftalePeriode,
    Bilag,
    CentralUdmelding,
    Fokusomraade,
    ForstaerketSamarbejde,
    Initiativ,
    Pladsfordeling,
    Regelaendring,
    Styringsprincip,
    Underskriver,
)
from .services import agreement_pdf_request, period_set_published  # noqa: E402


class _OrderedInline(admin.TabularInline):
    extra = 0
    ordering = ["order", "pk"]


class FokusomraadeInline(admin.StackedInline):
    model = Fokusomraade
    extra = 0
    ordering = ["order", "pk"]
    fields = ["order", "title", "vision", "description"]
    show_change_link = True  # the initiatives are edited on the focus area's own page


class CentralUdmeldingInline(_OrderedInline):
    model = CentralUdmelding
    fields = ["order", "title", "years", "description"]


class ForstaerketSamarbejdeInline(_OrderedInline):
    model = ForstaerketSamarbejde
    fields = ["order", "name", "tilbud", "target_group"]
    autocomplete_fields = ["tilbud"]


class StyringsprincipInline(_OrderedInline):
    model = Styringsprincip
    fields = ["order", "title", "description"]


class RegelaendringInline(_OrderedInline):
    model = Regelaendring
    fields = ["order", "key", "title", "effective", "description"]


class BilagInline(_OrderedInline):
    model = Bilag
    ordering = ["number"]
    fields = ["order", "number", "group", "title", "description"]


class UnderskriverInline(_OrderedInline):
    model = Underskriver
    fields = ["order", "name", "role"]


class PladsfordelingInline(_OrderedInline):
    model = Pladsfordeling
    fields = ["order", "kommune", "kommunale", "private", "socialaftale"]
    autocomplete_fields = ["kommune"]
    verbose_name_plural = "pladser pr. beliggenhedskommune (totaler beregnes automatisk)"


@admin.register(AftalePeriode)
class AftalePeriodeAdmin(admin.ModelAdmin):
    list_display = ["title", "start_year", "end_year", "is_published", "fokus_count", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "vision"]
    ordering = ["-start_year"]
    fieldsets = [
        (None, {"fields": ["title", "subtitle", ("start_year", "end_year"), "is_published",
                           "signed_text"]}),
        ("Tekst", {"fields": ["summary", "vision", "vision_text", "coordination_text",
                              "forstaerket_text", "styringsaftale_text", "places_text",
                              "printed_kommunale", "printed_private",
                              "printed_socialaftale"]}),
    ]
    inlines = [FokusomraadeInline, CentralUdmeldingInline, ForstaerketSamarbejdeInline,
               StyringsprincipInline, RegelaendringInline, PladsfordelingInline, BilagInline,
               UnderskriverInline]
    actions = ["publish", "unpublish", "render_pdf"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_fokus=Count("fokusomraader"))

    @admin.display(description="fokusområder", ordering="_fokus")
    def fokus_count(self, period):
        return period._fokus

    @admin.action(description="Offentliggør valgte perioder")
    def publish(self, request, queryset):
        for period in queryset:
            period_set_published(period=period, published=True)
        self.message_user(request, f"{queryset.count()} periode(r) offentliggjort.",
                          messages.SUCCESS)

    @admin.action(description="Fjern offentliggørelse")
    def unpublish(self, request, queryset):
        for period in queryset:
            period_set_published(period=period, published=False)
        self.message_user(request, f"{queryset.count()} periode(r) er ikke længere offentlige.",
                          messages.SUCCESS)

    @admin.action(description="Dan PDF'en af valgte perioder igen")
    def render_pdf(self, request, queryset):
        """PDFs are rendered on every change by themselves; this forces a new render."""
        jobs = [agreement_pdf_request(period=period, requested_by=request.user, force=True)
                for period in queryset]
        self.message_user(request, f"{len(jobs)} PDF'er dannes igen.", messages.INFO)


class InitiativInline(_OrderedInline):
    model = Initiativ
    fields = ["order", "letter", "title", "description"]


@admin.register(Fokusomraade)
class FokusomraadeAdmin(admin.ModelAdmin):
    list_display = ["title", "period", "order", "initiative_count"]
    list_filter = ["period"]
    list_select_related = ["period"]
    search_fields = ["title", "vision"]
    autocomplete_fields = ["period"]
    inlines = [InitiativInline]
    ordering = ["-period__start_year", "order"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_initiatives=Count("initiativer"))

    @admin.display(description="initiativer", ordering="_initiatives")
    def initiative_count(self, area):
        return area._initiatives


# --- Notifications (e-mails) ----------------------------------------------------------------

from .models import Notification  # noqa: E402
from .notifications import notification_retry  # noqa: E402


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "subject", "driftsherre", "status", "attempts",
                    "sent_at"]
    list_filter = ["status", "kind", "driftsherre"]
    list_select_related = ["driftsherre"]
    search_fields = ["to", "subject", "body", "error"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None  # the list (and its actions) yes, editing a sent message no

    @admin.action(description="Send de valgte beskeder igen (fejlede eller ventende)")
    def retry(self, request, queryset):
        retried = [n for n in queryset if n.status != Notification.Status.SENT]
        for notification in retried:
            notification_retry(notification=notification)
        self.message_user(request, f"{plural(len(retried), 'besked', 'beskeder')} sendes igen.",
                          messages.SUCCESS)
