from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import models

from .jobs import job_enqueue
from .models import Driftsherre, Job, Profile, Styringsparametre


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
    readonly_fields = [f.name for f in Job._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Kør valgte job igen")
    def retry(self, request, queryset):
        for job in queryset:
            job_enqueue(job=job)
        self.message_user(request, f"{queryset.count()} job sat i kø igen.", messages.SUCCESS)
