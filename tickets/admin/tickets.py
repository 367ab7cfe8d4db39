"""The queue and the ticket page."""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _, ngettext

from ..models import (Attachment, AttachmentDefect, CategoryAssignment, Message, ProcessingStep, SuggestedReply,
                      Ticket)
from ..services.corrections import category_assignment_changed
from ..services.pipeline import tickets_retry
from ..taxonomy import Category, Defect

CATEGORY_COLOURS = {
    "identity_info_error": "#8e44ad", "document_requirements": "#c0392b", "face_recognition_failed": "#d35400",
    "face_document_mismatch": "#b9770e", "account_security_risk": "#1a5276", "upload_network_failure": "#117864",
    "review_pending": "#566573", "page_load_cache": "#2874a6", "device_unsupported": "#6c3483", "other": "#7f8c8d",
}


def category_chips(assignments) -> str:
    return format_html_join(
        " ", '<span class="kyc-chip" style="background:{}" title="{}">{} {}%</span>',
        ((CATEGORY_COLOURS.get(a.code, "#555"), "; ".join(a.evidence), a.get_code_display(),
          int(round(a.confidence * 100))) for a in assignments),
    )


class CategoryFilter(admin.SimpleListFilter):
    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return Category.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(categories__code=self.value(), categories__applied=True)
        return queryset


class DefectFilter(admin.SimpleListFilter):
    title = _("defect")
    parameter_name = "defect"

    def lookups(self, request, model_admin):
        return Defect.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(defects__code=self.value())
        return queryset


class MessageInline(admin.StackedInline):
    model = Message
    extra = 0
    can_delete = False
    fields = ("direction", "from_address", "sent_at", "subject", "body_display")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("message"))
    def body_display(self, obj: Message):
        if obj.html_sanitized:
            return format_html('<div class="kyc-html">{}</div>', _safe(obj.html_sanitized))
        return format_html('<pre class="kyc-text">{}</pre>', obj.text_body)


def _safe(html: str):
    from django.utils.safestring import mark_safe

    from ..ingest.html import sanitize_html

    return mark_safe(sanitize_html(html))  # sanitised again on output: stored HTML is never trusted as is


class AttachmentInline(admin.StackedInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ("preview_display", "filename", "kind", "content_type", "size", "analysis_status",
              "defects_display", "metrics", "ocr_text", "analysis_error", "skipped_reason", "original_link")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("defects")

    @admin.display(description=_("preview"))
    def preview_display(self, obj: Attachment):
        if not obj.preview:
            return _("no preview")
        url = reverse("tickets:attachment_preview", args=[obj.pk])
        return format_html('<img src="{}" alt="{}" class="kyc-preview" loading="lazy">', url, obj.filename)

    @admin.display(description=_("defects"))
    def defects_display(self, obj: Attachment):
        return format_html_join(" ", '<span class="kyc-badge" title="{}">{}</span>',
                                ((str(d.details), d.get_code_display()) for d in obj.defects.all()))

    @admin.display(description=_("original"))
    def original_link(self, obj: Attachment):
        if not obj.file:
            return "-"
        return format_html('<a href="{}">{}</a>', reverse("tickets:attachment_original", args=[obj.pk]),
                           _("Download original (logged)"))


class CategoryInline(admin.TabularInline):
    model = CategoryAssignment
    extra = 1
    fields = ("code", "confidence", "applied", "source", "evidence_display")
    readonly_fields = ("confidence", "source", "evidence_display")

    @admin.display(description=_("evidence"))
    def evidence_display(self, obj: CategoryAssignment):
        return format_html_join("", "<div>{}</div>", ((e,) for e in obj.evidence or []))


class SuggestedReplyInline(admin.StackedInline):
    model = SuggestedReply
    extra = 0
    can_delete = False
    fields = ("template_code", "language", "subject", "body")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class StepInline(admin.TabularInline):
    model = ProcessingStep
    extra = 0
    can_delete = False
    fields = ("created_at", "step", "attachment", "status", "duration_ms", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("reference_display", "subject", "customer_email", "chips", "status", "language",
                    "assignee", "received_at")
    list_display_links = ("reference_display", "subject")
    list_filter = (CategoryFilter, DefectFilter, "status", "language", "workflow", "assignee", "source",
                   "received_at")
    search_fields = ("subject", "customer_email", "customer_name", "messages__text_body",
                     "attachments__ocr_text")
    search_help_text = _("Searches subject, customer, message text and the OCR text of attachments; "
                         "a reference such as KYC-000123 opens that ticket.")
    list_select_related = ("assignee",)
    list_per_page = 50
    date_hierarchy = "received_at"
    readonly_fields = ("reference_display", "status", "status_reason", "source", "received_at", "triaged_at",
                       "created_at", "updated_at")
    change_form_template = "admin/tickets/ticket/change_form.html"
    fieldsets = (
        (None, {"fields": ("reference_display", "subject", "customer_email", "customer_name", "language",
                           "assignee", "workflow")}),
        (_("Processing"), {"fields": ("status", "status_reason", "source", "received_at", "triaged_at")}),
    )
    inlines = (CategoryInline, SuggestedReplyInline, AttachmentInline, MessageInline, StepInline)
    actions = ("retry_processing", "retriage", "close_tickets")

    def get_urls(self):
        from django.urls import path

        from .reply import ticket_reply_view

        custom = [path("<path:object_id>/reply/",
                       self.admin_site.admin_view(lambda request, object_id: ticket_reply_view(self, request, object_id)),
                       name="tickets_ticket_reply")]
        return custom + super().get_urls()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("categories", queryset=CategoryAssignment.objects.filter(applied=True)
                     .order_by("-confidence")),
        )

    def get_search_results(self, request, queryset, search_term):
        from ..ingest.parser import ticket_reference_in

        reference = ticket_reference_in(search_term or "")
        if reference:
            return queryset.filter(pk=int(reference.split("-", 1)[1])), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("reference"), ordering="id")
    def reference_display(self, obj: Ticket):
        return obj.reference

    @admin.display(description=_("categories"))
    def chips(self, obj: Ticket):
        return category_chips(obj.categories.all())

    def save_formset(self, request, form, formset, change):
        if formset.model is not CategoryAssignment:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            category_assignment_changed(form.instance, deleted.code, added=False, user=request.user)
        for instance in instances:
            category_assignment_changed(form.instance, instance.code, added=True, user=request.user)

    @admin.action(description=_("Retry processing of the selected tickets"))
    def retry_processing(self, request, queryset):
        count = tickets_retry(queryset.values_list("pk", flat=True))
        self.message_user(request, ngettext("%(count)d ticket queued again.", "%(count)d tickets queued again.",
                                            count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Re-analyse and re-triage the selected tickets"))
    def retriage(self, request, queryset):
        count = tickets_retry(queryset.values_list("pk", flat=True), reanalyse=True)
        self.message_user(request, ngettext("%(count)d ticket queued again.", "%(count)d tickets queued again.",
                                            count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Close the selected tickets"))
    def close_tickets(self, request, queryset):
        from ..services.tickets import tickets_close

        count = tickets_close(queryset)
        self.message_user(request, ngettext("%(count)d ticket closed.", "%(count)d tickets closed.", count)
                          % {"count": count}, messages.SUCCESS)

    class Media:
        css = {"all": ("tickets/admin.css",)}


@admin.register(AttachmentDefect)
class DefectAdmin(admin.ModelAdmin):
    list_display = ("code", "attachment", "ticket")
    list_filter = ("code",)
    list_select_related = ("attachment", "ticket")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
