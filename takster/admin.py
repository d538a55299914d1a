from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from socialaftale.admin import DanishNumbersMixin

from .models import (
    Acknowledgement,
    DasApproval,
    Finding,
    RateLine,
    RateRound,
    ReviewComment,
    Submission,
    SubmissionEvent,
    Takstbilag,
    Upload,
)
from .services import (
    rate_reminders_send,
    round_opened_notify,
    takstbilag_render,
    upload_revalidate,
)


@admin.register(RateRound)
class RateRoundAdmin(DanishNumbersMixin, admin.ModelAdmin):
    list_display = ["__str__", "deadline", "status", "pl_kommuner", "pl_regioner"]
    list_filter = ["status"]
    list_select_related = ["parameters"]
    search_fields = ["parameters__budget_year"]
    actions = ["send_reminders"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a round opened here is announced like one opened by `round_open`
            round_opened_notify(rate_round=obj)

    @admin.action(description="Send påmindelse til driftsherrer efter fristen")
    def send_reminders(self, request, queryset):
        for rate_round in queryset:
            names = rate_reminders_send(rate_round=rate_round, by=request.user)
            self.message_user(
                request, f"{rate_round}: påmindelse sendt til {len(names)} driftsherre(r).",
                messages.SUCCESS,
            )

    @admin.display(description="P/L kommuner (%)")
    def pl_kommuner(self, obj):
        return obj.parameters.pl_kommuner

    @admin.display(description="P/L regioner (%)")
    def pl_regioner(self, obj):
        return obj.parameters.pl_regioner


class UploadInline(admin.TabularInline):
    model = Upload
    fields = ["version", "original_name", "sha256", "uploaded_by", "uploaded_at",
              "errors_count", "warnings_count", "infos_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = SubmissionEvent
    fields = ["at", "kind", "by", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["driftsherre", "rate_round", "revision", "status", "submitted_at",
                    "approved_at", "delegated"]
    list_filter = ["status", "rate_round", "delegated"]
    list_select_related = ["driftsherre", "rate_round__parameters"]
    search_fields = ["driftsherre__name"]
    autocomplete_fields = ["driftsherre"]
    readonly_fields = ["submitted_upload", "submitted_by", "submitted_at", "created_at",
                       "status", "revision", "revision_of", "approved_by", "approved_at",
                       "delegated"]
    inlines = [UploadInline, EventInline]

    def has_delete_permission(self, request, obj=None):
        # Only an empty submission (nothing uploaded) may go; anything else is history.
        return obj is None or not obj.uploads.exists()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would skip the check above
        return actions


class FindingInline(admin.TabularInline):
    model = Finding
    fields = ["code", "severity", "sheet", "cell", "tilbud", "afdeling", "value", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "original_name", "uploaded_by", "uploaded_at", "status_label",
                    "errors_count", "warnings_count", "ruleset_version"]
    list_filter = ["job__status", "submission__rate_round", "submission__driftsherre"]
    list_select_related = ["submission__driftsherre", "submission__rate_round__parameters",
                           "uploaded_by", "job"]
    search_fields = ["original_name", "sha256", "submission__driftsherre__name"]
    readonly_fields = [
        "submission", "version", "download", "sha256", "size", "original_name", "uploaded_by",
        "uploaded_at", "job", "ruleset_version", "validated_at", "errors_count",
        "warnings_count", "infos_count", "sheet_driftsherre",
    ]
    exclude = ["file"]  # shown as `download`, through the checked view
    inlines = [FindingInline]
    actions = ["rerun_validation"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="fil")
    def download(self, obj):
        """The stored sheet through the checked download view (MEDIA_URL has no route)."""
        return format_html('<a href="{}">{}</a>', reverse("takster:upload_file", args=[obj.pk]),
                           obj.file.name)
    def has_delete_permission(self, request, obj=None):
        return False  # a version is history; deleting it would take its lines along

    @admin.display(description="status")
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.action(description="Kør valideringen igen (ikke for indsendte versioner)")
    def rerun_validation(self, request, queryset):
        """Refused for a version that carries review work: it would lose lines and approvals."""
        sent = 0
        for upload in queryset.select_related("submission"):
            try:
                upload_revalidate(upload=upload, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{upload}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                sent += 1
        if sent:
            self.message_user(request, f"{sent} upload(s) sendt til validering igen.",
                              messages.SUCCESS)


@admin.register(RateLine)
class RateLineAdmin(DanishNumbersMixin, admin.ModelAdmin):
    list_display = ["tilbud_name", "afdeling_name", "year", "pladser", "belaegning", "basis",
                    "takst_1", "approval_status", "upload"]
    list_filter = ["approval_status", "year", "upload__submission__driftsherre"]
    list_select_related = [
        "upload__submission__driftsherre", "upload__submission__rate_round__parameters"
    ]
    search_fields = ["tilbud_name", "afdeling_name"]
    raw_id_fields = ["upload", "tilbud", "afdeling"]

    # Lines are what the driftsherre reported and what was approved: read-only here. They
    # change only through an upload (a new version) and the review page's services.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["finding", "comment", "by", "at"]
    list_select_related = ["finding__upload__submission__driftsherre", "by"]
    search_fields = ["comment", "finding__code"]
    raw_id_fields = ["finding"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["submission", "line", "source", "text", "by", "at"]
    list_filter = ["source", "submission__rate_round"]
    list_select_related = ["submission__driftsherre", "submission__rate_round__parameters",
                           "line", "by"]
    search_fields = ["text", "submission__driftsherre__name"]
    raw_id_fields = ["submission", "line", "reply_to"]

    # The review history: written on the review and submission pages, never edited here.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(admin.ModelAdmin):
    list_display = ["at", "submission", "kind", "by", "text"]
    list_filter = ["kind", "submission__rate_round"]
    list_select_related = ["submission__driftsherre", "submission__rate_round__parameters", "by"]
    search_fields = ["text", "submission__driftsherre__name"]
    raw_id_fields = ["submission"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DasApproval)
class DasApprovalAdmin(admin.ModelAdmin):
    list_display = ["reference", "date", "rate_round", "item"]
    list_filter = ["rate_round"]
    list_select_related = ["rate_round__parameters", "item__meeting"]
    search_fields = ["reference", "note"]
    autocomplete_fields = ["item"]
    filter_horizontal = ["submissions"]

    def has_add_permission(self, request):
        return False  # registered from the review page (`das_approval_record` links the item)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "item":
            field.label_from_instance = lambda item: item.autocomplete_label
        return field


@admin.register(Takstbilag)
class TakstbilagAdmin(admin.ModelAdmin):
    list_display = ["__str__", "label", "status", "published_at", "pdf_job", "xlsx_job"]
    list_filter = ["status", "rate_round"]
    list_select_related = ["rate_round__parameters", "pdf_job", "xlsx_job"]
    search_fields = ["label"]
    readonly_fields = ["rate_round", "version", "status", "published_at", "published_by",
                       "created_by", "input_hash", "pdf_job", "xlsx_job", "submissions"]
    actions = ["rerender"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A stale draft may be deleted and made again; a published version stays.
        return obj is None or not obj.is_published

    def delete_queryset(self, request, queryset):
        queryset.filter(status=Takstbilag.Status.DRAFT).delete()

    @admin.action(description="Dan PDF og regneark igen")
    def rerender(self, request, queryset):
        for takstbilag in queryset:
            takstbilag_render(takstbilag=takstbilag, by=request.user, force=True)
        self.message_user(request, f"{queryset.count()} takstbilag sendt til dannelse.",
                          messages.SUCCESS)
