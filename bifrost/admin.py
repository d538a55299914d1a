from django.contrib import admin, messages

from . import services
from .models import (
    IntakePlan,
    Milestone,
    PlannedIntake,
    Referral,
    ScreeningAnswer,
    ScreeningRound,
    StatusReport,
)


class PlannedIntakeInline(admin.TabularInline):
    model = PlannedIntake
    extra = 1


@admin.register(IntakePlan)
class IntakePlanAdmin(admin.ModelAdmin):
    list_display = ["name", "in_force", "approved_on", "planned_total"]
    list_filter = ["in_force"]
    search_fields = ["name", "source"]
    readonly_fields = ["in_force"]
    inlines = [PlannedIntakeInline]
    actions = ["make_in_force"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("entries")

    @admin.display(description="planlagt i alt")
    def planned_total(self, plan):
        return sum(e.count for e in plan.entries.all())

    @admin.action(description="Gør den valgte plan gældende")
    def make_in_force(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Vælg præcis én plan.", messages.ERROR)
            return
        plan = services.plan_set_in_force(plan=queryset.get())
        self.message_user(request, f"»{plan.name}« er nu gældende.", messages.SUCCESS)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["date", "date_label", "title", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"


class ScreeningAnswerInline(admin.TabularInline):
    model = ScreeningAnswer
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(ScreeningRound)
class ScreeningRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "opened_on", "deadline", "answer_count"]
    search_fields = ["title"]
    inlines = [ScreeningAnswerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("answers")

    @admin.display(description="svar")
    def answer_count(self, round_):
        return len(round_.answers.all())


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["code", "municipality", "received_on", "age_band", "target_group",
                    "outcome", "admitted_on", "discharged_on", "move_out_by"]
    list_filter = ["outcome", "target_group", "age_band", "municipality"]
    search_fields = ["code"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    date_hierarchy = "received_on"
    fieldsets = [
        (None, {"fields": ["code", "municipality", "received_on", "age_band", "target_group",
                           "north_jutland_priority"]}),
        ("Eksklusionskriterier", {"fields": ["exclusion_checked", "excl_iq_below_85",
                                             "excl_substance_primary", "excl_dangerous"]}),
        ("Matchning og ophold", {"fields": ["outcome", "outcome_on", "admitted_on",
                                            "notice_given_on", "discharged_on", "note"]}),
    ]

    @admin.display(description="fraflytning senest")
    def move_out_by(self, referral):
        return referral.move_out_by


@admin.register(StatusReport)
class StatusReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "quarter"]
    list_filter = ["year"]
