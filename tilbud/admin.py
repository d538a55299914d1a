from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import XLSX

from . import services
from .models import Afdeling, LedigKapacitet, Paragraf, Tilbud, TilbudChange
from .resources import (
    MAX_IMPORT_BYTES,
    DanishCSV,
    DanishExportForm,
    DanishXLSX,
    TilbudResource,
)


@admin.register(Paragraf)
class ParagrafAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "sort_order", "offer_count"]
    search_fields = ["code", "description"]
    ordering = ["sort_order", "code"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_tilbud=Count("tilbud"))

    @admin.display(description="antal tilbud", ordering="n_tilbud")
    def offer_count(self, paragraf):
        return paragraf.n_tilbud


class AfdelingInline(admin.TabularInline):
    model = Afdeling
    extra = 0
    fields = ["name", "tilbudsportalen_id", "paragraphs", "unit", "places", "sort_order"]
    autocomplete_fields = ["paragraphs"]


@admin.register(Tilbud)
class TilbudAdmin(ImportExportModelAdmin):
    resource_classes = [TilbudResource]
    import_formats = [XLSX, DanishCSV]
    export_formats = [DanishXLSX, DanishCSV]
    export_form_class = DanishExportForm
    rollback_on_validation_errors = True
    object_history_template = "tilbud/admin/object_history.html"
    import_template_name = "tilbud/admin/import.html"

    inlines = [AfdelingInline]
    list_display = ["name", "driftsherre", "paragraph_codes", "places", "status", "status_year",
                    "forstaerket_samarbejde", "is_demo", "updated_at"]
    list_filter = ["driftsherre", "paragraphs", "status", "forstaerket_samarbejde", "unit",
                   "is_demo"]
    search_fields = ["name", "target_group", "afdelinger__name", "municipality",
                     "=tilbudsportalen_id"]
    list_select_related = ["driftsherre"]
    autocomplete_fields = ["driftsherre", "paragraphs"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "tilbudsportalen_id", "driftsherre", "paragraphs",
                           "target_group", "unit", "places"]}),
        ("Status", {"fields": ["status", "status_year", "forstaerket_samarbejde", "is_demo"]}),
        ("Beliggenhed og kontakt", {"fields": ["address", "municipality", "contact",
                                               "description"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("paragraphs")

    def import_action(self, request, **kwargs):
        upload = request.FILES.get("import_file")
        if upload is not None and upload.size > MAX_IMPORT_BYTES:
            messages.error(request, f"Filen er for stor ({upload.size // 1024 // 1024} MB). "
                                    f"Grænsen er {MAX_IMPORT_BYTES // 1024 // 1024} MB.")
            return HttpResponseRedirect(request.path)
        return super().import_action(request, **kwargs)

    @admin.display(description="§§")
    def paragraph_codes(self, tilbud):
        return ", ".join(p.code for p in tilbud.paragraphs.all()) or "–"

    # The history log compares the offer before the form was saved with the offer after its
    # §§ and departments (saved in save_related) are in place.
    def save_model(self, request, obj, form, change):
        request._tilbud_before = services.tilbud_snapshot(tilbud=obj) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.tilbud_record_change(
            tilbud=form.instance, by=request.user, before=getattr(request, "_tilbud_before", None)
        )

    def delete_model(self, request, obj):
        services.tilbud_record_deletion(tilbud=obj, by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for tilbud in queryset:
            services.tilbud_record_deletion(tilbud=tilbud, by=request.user)
        super().delete_queryset(request, queryset)

    def history_view(self, request, object_id, extra_context=None):
        changes = TilbudChange.objects.filter(tilbud_id=object_id).select_related("changed_by")
        response = super().history_view(request, object_id, extra_context={
            **(extra_context or {}), "tilbud_changes": changes,
        })
        if isinstance(response, TemplateResponse):
            response.template_name = self.object_history_template
        return response


@admin.register(TilbudChange)
class TilbudChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "tilbud_name", "action", "changed_by", "changed_fields"]
    list_filter = ["action", "tilbud__driftsherre"]
    search_fields = ["tilbud_name", "changed_by__username"]
    list_select_related = ["changed_by"]
    date_hierarchy = "changed_at"
    readonly_fields = [f.name for f in TilbudChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="felter")
    def changed_fields(self, change):
        return ", ".join(c["field"] for c in change.changes)


@admin.register(LedigKapacitet)
class LedigKapacitetAdmin(admin.ModelAdmin):
    list_display = ["tilbud", "driftsherre", "free_places", "as_of", "reported_by", "created_at"]
    list_filter = ["tilbud__driftsherre", "as_of"]
    search_fields = ["tilbud__name", "note"]
    list_select_related = ["tilbud__driftsherre", "reported_by"]
    autocomplete_fields = ["tilbud"]
    date_hierarchy = "as_of"
    readonly_fields = ["reported_by", "created_at"]

    @admin.display(description="driftsherre", ordering="tilbud__driftsherre__name")
    def driftsherre(self, report):
        return report.tilbud.driftsherre

    def save_model(self, request, obj, form, change):
        if not change:
            obj.reported_by = request.user
        super().save_model(request, obj, form, change)
