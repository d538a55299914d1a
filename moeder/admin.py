from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from socialaftale.downloads import CheckedFileInput

from . import services
from .models import (
    AgendaItem,
    Attachment,
    Attendance,
    Body,
    IndstillingPoint,
    ItemLink,
    Meeting,
    Membership,
    Person,
)
from .selectors import meeting_date_filter


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation_display"]
    list_filter = ["driftsherre"]
    list_select_related = ["driftsherre"]
    search_fields = ["name", "title", "organisation", "driftsherre__name"]
    autocomplete_fields = ["driftsherre"]

    @admin.display(description="organisation")
    def organisation_display(self, person):
        return person.organisation_label


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "body", "role", "start_date", "end_date"]
    list_filter = ["body", "role"]
    list_select_related = ["person__driftsherre", "body"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person", "body"]


class NumberedFormSet(forms.BaseInlineFormSet):
    """Two items (or points) may not share a number within one meeting (or item)."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            number = form.cleaned_data.get("number")
            if number in seen:
                raise ValidationError(f"Nummer {number} er brugt to gange.")
            seen.add(number)


def _park_changed_numbers(formset) -> None:
    """Items whose number changes get a parked number first, so swapping two numbers does
    not trip the number-unique-within-meeting constraint while the rows are saved."""
    changed = [
        f.instance for f in formset.forms
        if f.instance.pk and f.has_changed() and "number" in f.changed_data
        and not (f.cleaned_data or {}).get("DELETE")
    ]
    for offset, item in enumerate(changed):
        AgendaItem.objects.filter(pk=item.pk).update(number=services.PARKED_NUMBER + offset)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["order", "person", "status", "substitute_for", "items"]
    autocomplete_fields = ["person", "substitute_for"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "items":
            meeting_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = AgendaItem.objects.filter(meeting_id=meeting_id or 0)
            # A plain multi-select: one two-list widget per attendance row made the page huge.
            kwargs["widget"] = forms.SelectMultiple(attrs={"size": 4})
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    formset = NumberedFormSet
    extra = 0
    fields = ["number", "title", "case_number", "kind", "is_closed", "edit_link"]
    readonly_fields = ["edit_link"]
    ordering = ["number"]
    show_change_link = True

    @admin.display(description="indhold")
    def edit_link(self, item):
        if not item.pk:
            return "—"
        url = reverse("admin:moeder_agendaitem_change", args=[item.pk])
        return format_html('<a href="{}">Rediger indhold</a>', url)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "start_time", "place", "state", "item_count"]
    list_filter = ["body", "state"]
    list_select_related = ["body"]
    search_fields = ["place", "items__title", "items__case_number"]
    date_hierarchy = "date"
    inlines = [AttendanceInline, AgendaItemInline]
    actions = ["renumber_items", "mark_agenda_sent", "mark_held", "mark_minutes_approved",
               "rerender_documents"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_item_count=Count("items"))

    def get_search_results(self, request, queryset, search_term):
        """A date ("18.12.2026", "december 2026") finds the meetings of that day or month
        (also in the autocomplete of agenda items and DAS approvals)."""
        by_date = meeting_date_filter(search_term)
        if by_date is not None:
            return queryset.filter(by_date).order_by("-date", "-start_time"), False
        return super().get_search_results(request, queryset, search_term)

    def save_formset(self, request, form, formset, change):
        if formset.model is AgendaItem:
            _park_changed_numbers(formset)
        return super().save_formset(request, form, formset, change)

    @admin.display(description="punkter", ordering="_item_count")
    def item_count(self, meeting):
        return meeting._item_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            services.meeting_add_standard_items(meeting=form.instance)

    @admin.action(description="Dan mødernes dokumenter igen")
    def rerender_documents(self, request, queryset):
        """Documents are rendered on every change by themselves; this forces a new render."""
        from .documents import KINDS
        from .jobs import document_rerender

        count = 0
        for meeting in queryset.select_related("body"):
            for kind in KINDS.values():
                if meeting.is_held or not kind.minutes:
                    document_rerender(meeting=meeting, kind=kind, user=request.user)
                    count += 1
        self.message_user(request, f"{count} dokumenter dannes igen.", messages.SUCCESS)

    def _advance(self, request, queryset, state):
        for meeting in queryset:
            try:
                services.meeting_advance(meeting=meeting, to=state)
            except ValidationError as exc:
                self.message_user(request, f"{meeting}: {exc.messages[0]}", messages.ERROR)
            else:
                self.message_user(request, f"{meeting}: {meeting.get_state_display()}.",
                                  messages.SUCCESS)

    @admin.action(description="Markér: dagsorden udsendt")
    def mark_agenda_sent(self, request, queryset):
        self._advance(request, queryset, Meeting.State.DAGSORDEN_UDSENDT)

    @admin.action(description="Markér: afholdt")
    def mark_held(self, request, queryset):
        self._advance(request, queryset, Meeting.State.AFHOLDT)

    @admin.action(description="Markér: referat godkendt")
    def mark_minutes_approved(self, request, queryset):
        self._advance(request, queryset, Meeting.State.REFERAT_GODKENDT)

    @admin.action(description="Nummerér punkterne 1, 2, 3 … uden huller")
    def renumber_items(self, request, queryset):
        for meeting in queryset:
            services.meeting_renumber_items(meeting=meeting)
        self.message_user(request, f"{queryset.count()} møde(r) omnummereret.")


class IndstillingPointInline(admin.TabularInline):
    model = IndstillingPoint
    formset = NumberedFormSet
    extra = 0
    fields = ["number", "text", "outcome"]


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["order", "title", "file"]
        widgets = {"file": CheckedFileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the current file links to the checked download view
            self.fields["file"].widget.download_url = reverse(
                "moeder:attachment", args=[self.instance.pk])


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ["order", "title", "file"]


class ItemLinkInline(admin.TabularInline):
    model = ItemLink
    extra = 0
    fields = ["content_type", "object_id", "label"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "meeting", "case_number", "kind", "is_closed"]
    list_filter = ["meeting__body", "kind", "is_closed", "standard"]
    list_select_related = ["meeting__body"]
    search_fields = ["title", "case_number", "beslutning"]
    autocomplete_fields = ["meeting"]

    def get_search_results(self, request, queryset, search_term):
        queryset = queryset.select_related("meeting__body")  # the autocomplete's labels
        by_date = meeting_date_filter(search_term, prefix="meeting__")
        if by_date is not None:
            return queryset.filter(by_date), False
        return super().get_search_results(request, queryset, search_term)
    readonly_fields = ["copied_from"]
    inlines = [IndstillingPointInline, AttachmentInline, ItemLinkInline]
    actions = ["copy_to_later_meeting"]
    fieldsets = [
        (None, {"fields": ["meeting", "number", "title", "case_number", "kind", "is_closed",
                           "standard", "copied_from"]}),
        ("Sagen", {"fields": ["resume", "sagsfremstilling", "indstilling_intro"],
                   "description": "Sagsfremstilling: en tom linje giver et nyt afsnit, linjer "
                                  "der begynder med • bliver en punktliste, og linjer der "
                                  "begynder med | bliver en tabel (første række er "
                                  "kolonneoverskrifter; en linje lige over er tabellens "
                                  "titel)."}),
        ("Referat", {"fields": ["beslutning", "beslutning_summary"]}),
    ]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Attachment:
            return super().save_formset(request, form, formset, change)
        attachments = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for attachment in attachments:
            services.attachment_save(attachment=attachment)

    @admin.action(description="Kopiér til et senere møde …")
    def copy_to_later_meeting(self, request, queryset):
        """Ask for the target meeting (default: the next planned one), then copy."""
        items = list(queryset.select_related("meeting__body").order_by("meeting__date", "number"))
        earliest = items[0].meeting
        later = (Meeting.objects.filter(body_id=earliest.body_id, date__gt=earliest.date)
                 .select_related("body").order_by("date"))
        form = CopyItemsForm(request.POST if "target" in request.POST else None, meetings=later)
        if form.is_valid():
            target = form.cleaned_data["target"]
            for item in items:
                try:
                    copy = services.item_copy(item=item, to_meeting=target)
                except ValidationError as exc:
                    self.message_user(request, f"{item}: {exc.messages[0]}", messages.ERROR)
                else:
                    self.message_user(request, f"{item.title} er kopieret til {copy.meeting} "
                                               f"som punkt {copy.number}.", messages.SUCCESS)
            return None
        if not later.exists():
            self.message_user(request, "Der er intet senere møde at kopiere til.", messages.ERROR)
            return None
        return TemplateResponse(request, "moeder/admin/copy_items.html", {
            **self.admin_site.each_context(request), "title": "Kopiér punkter til et senere møde",
            "items": items, "form": form, "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        })


class CopyItemsForm(forms.Form):
    target = forms.ModelChoiceField(queryset=Meeting.objects.none(), label="Til mødet",
                                    empty_label=None)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = meetings
        upcoming = meetings.filter(state__in=[Meeting.State.PLANLAGT,
                                              Meeting.State.DAGSORDEN_UDSENDT]).first()
        if upcoming:
            self.fields["target"].initial = upcoming.pk
