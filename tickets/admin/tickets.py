"""The queue and the ticket page: what agents work in all day."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext, gettext_lazy as _, ngettext, ngettext_lazy

from ..evidence import evidence_for_display
from ..models import AttachmentDefect, CategoryAssignment, SuggestedReply, Ticket
from ..services.corrections import category_assignment_changed
from ..services.pipeline import tickets_retry
from ..services.tickets import MergeRefused, tickets_assign, tickets_delete, tickets_merge, tickets_set_workflow
from .actions import workflow_action
# the display helpers live in display.py; imported here too, so `from .tickets import category_chips` still works
from .display import CATEGORY_COLOURS, category_chips, defect_badges, due_label  # noqa: F401
from .filters import (AttachmentKindFilter, CategoryFilter, ConfidenceFilter, DefectFilter, LanguageFilter,
                      QueueViewFilter)
from .paginator import CappedCountPaginator
from .ticket_page import (TicketPageForm, category_rows, ticket_change_context, ticket_page_save,
                          ticket_page_urls)
from .trends import trends_view


class CategoryInline(admin.TabularInline):
    model = CategoryAssignment
    extra = 1
    fields = ("code", "confidence", "applied", "source", "evidence_display")
    readonly_fields = ("confidence", "source", "evidence_display")
    verbose_name_plural = _("categories (add or delete to correct; corrections teach the model)")

    @admin.display(description=_("evidence"))
    def evidence_display(self, obj: CategoryAssignment):
        return format_html_join("", "<div>{}</div>", ((evidence_for_display(e),) for e in obj.evidence or []))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("assignee"), required=False,
                                      queryset=get_user_model().objects.filter(is_staff=True, is_active=True))


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    # fits 1280 px: language and triage status are filters, not columns; the customer under the subject; the
    # workflow column only where a list mixes workflows (get_list_display)
    list_display = ("reference_display", "subject_display", "chips", "badges", "workflow", "assignee", "due",
                    "waiting")
    list_display_links = ("reference_display", "subject_display")
    list_filter = (QueueViewFilter, CategoryFilter, ConfidenceFilter, "status", "workflow", LanguageFilter,
                   DefectFilter, AttachmentKindFilter, "assignee", "received_at")
    search_fields = ("search_text",)
    search_help_text = _("Searches subject, customer, message text and the OCR text of attachments; "
                         "a reference such as KYC-000123 opens that ticket.")
    list_select_related = ("assignee",)
    list_per_page = 50
    show_full_result_count = False
    paginator = CappedCountPaginator
    sortable_by = ("reference_display", "subject_display", "chips", "workflow", "assignee", "due", "waiting")
    readonly_fields = ("reference_display", "status", "status_reason", "source", "received_at", "triaged_at",
                       "merged_into")
    change_form_template = "admin/tickets/ticket/change_form.html"
    form = TicketPageForm
    fieldsets = ((None, {"fields": ("subject", "customer_email", "customer_name", "language", "assignee",
                                    "workflow")}),)
    inlines = (CategoryInline,)  # the thread, attachments, replies and steps: drawn by ticket_page.py
    actions = (
        workflow_action("assign_to_me", _("Assign the selected tickets to me"),
                        lambda request, queryset: tickets_assign(queryset, request.user, by=request.user),
                        ngettext_lazy("%(count)d ticket assigned.", "%(count)d tickets assigned.", "count")),
        "assign",
        workflow_action("mark_open", _("Mark the selected tickets open"),
                        lambda request, queryset: tickets_set_workflow(queryset, Ticket.Workflow.OPEN, user=request.user),
                        ngettext_lazy("%(count)d ticket updated.", "%(count)d tickets updated.", "count")),
        workflow_action("mark_waiting", _("Mark the selected tickets waiting for the customer"),
                        lambda request, queryset: tickets_set_workflow(queryset, Ticket.Workflow.WAITING, user=request.user),
                        ngettext_lazy("%(count)d ticket updated.", "%(count)d tickets updated.", "count")),
        workflow_action("close_tickets", _("Close the selected tickets"),
                        lambda request, queryset: tickets_set_workflow(queryset, Ticket.Workflow.CLOSED, user=request.user),
                        ngettext_lazy("%(count)d ticket closed.", "%(count)d tickets closed.", "count")),
        workflow_action("retry_processing", _("Retry processing of the selected tickets"),
                        lambda request, queryset: tickets_retry(queryset.values_list("pk", flat=True)),
                        ngettext_lazy("%(count)d ticket queued again.", "%(count)d tickets queued again.", "count")),
        workflow_action("retriage", _("Re-analyse and re-triage the selected tickets"),
                        lambda request, queryset: tickets_retry(queryset.values_list("pk", flat=True),
                                                                reanalyse=True),
                        ngettext_lazy("%(count)d ticket queued again.", "%(count)d tickets queued again.", "count")),
        "send_suggested_reply", "merge_tickets")

    class Media:
        css = {"all": ("tickets/admin.css",)}

    # --- the queue ----------------------------------------------------------------------------
    def get_ordering(self, request):
        """Oldest waiting first (tickets nobody waits on last); the due view by due time."""
        if QueueViewFilter.view_of(request) == "due":
            return [F("due_at").asc(nulls_last=True), "id"]
        return [F("waiting_since").asc(nulls_last=True), "id"]

    def get_list_display(self, request):
        """The saved views but "all" list open tickets only: no workflow column there."""
        if QueueViewFilter.view_of(request) == "all":
            return self.list_display
        return tuple(column for column in self.list_display if column != "workflow")

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            views = next((spec for spec in changelist.filter_specs if isinstance(spec, QueueViewFilter)), None)
            response.context_data["queue_views"] = choices = list(views.choices(changelist)) if views else []
            response.context_data["title"] = next((c["display"] for c in choices if c["selected"]),
                                                  response.context_data.get("title"))
        return response

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_text").prefetch_related(
            Prefetch("categories", queryset=CategoryAssignment.objects.filter(applied=True)
                     .order_by("-confidence")),
            Prefetch("defects", queryset=AttachmentDefect.objects.only("id", "code", "ticket_id").order_by("code")),
        )

    def get_search_results(self, request, queryset, search_term):
        from ..ingest.refs import ticket_reference_in

        reference = ticket_reference_in(search_term or "")
        if reference:
            return queryset.filter(pk=int(reference.split("-", 1)[1])), False
        if not search_term.strip():
            return queryset, False
        # one denormalised column (trigram-indexed on PostgreSQL), so no joins and no DISTINCT
        for word in search_term.split():
            queryset = queryset.filter(search_text__icontains=word)
        return queryset, False

    @admin.display(description=_("reference"), ordering="id")
    def reference_display(self, obj: Ticket):
        return obj.reference

    @admin.display(description=_("subject"), ordering="subject")
    def subject_display(self, obj: Ticket):
        """The subject with the customer's address below it, both cut short with the whole text on hover."""
        return format_html('<span class="kyc-subject" title="{}">{}</span>'
                           '<span class="kyc-customer" title="{}">{}</span>', obj.subject, obj.subject or "–",
                           obj.customer_email, obj.customer_email or "–")

    @admin.display(description=_("categories"), ordering=F("top_confidence").desc(nulls_last=True))
    def chips(self, obj: Ticket):
        return category_chips(obj.categories.all())

    @admin.display(description=_("defects"))
    def badges(self, obj: Ticket):
        return defect_badges(obj.defects.all())

    @admin.display(description=_("due"), ordering=F("due_at").asc(nulls_last=True))
    def due(self, obj: Ticket):
        return due_label(obj.due_at)

    @admin.display(description=_("waiting"), ordering=F("waiting_since").asc(nulls_last=True))
    def waiting(self, obj: Ticket):
        """How long the customer has waited for us; the ticket's age once we answered."""
        if obj.waiting_since is None:
            return "–"
        return timesince(obj.waiting_since, timezone.now(), depth=1)

    # --- the ticket page ----------------------------------------------------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        from ..services.access import ticket_unmasked_view_record

        extra_context = ticket_change_context(self, request, object_id, extra_context)
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200 and request.user.has_perm("tickets.view_sensitive"):
            ticket = getattr(response, "context_data", {}).get("original")
            if ticket is not None:
                ticket_unmasked_view_record(ticket, user=request.user, ip=request.META.get("REMOTE_ADDR"))
        return response

    def render_change_form(self, request, context, *args, **kwargs):
        context["category_rows"] = category_rows(context.get("inline_admin_formsets", []))
        return super().render_change_form(request, context, *args, **kwargs)

    def get_urls(self):
        from .reply import ticket_reply_view

        def reply(request, object_id):
            return ticket_reply_view(self, request, object_id)

        return [path("trends/", self.admin_site.admin_view(trends_view), name="tickets_trends"),
                path("<path:object_id>/reply/", self.admin_site.admin_view(reply), name="tickets_ticket_reply"),
                *ticket_page_urls(self), *super().get_urls()]

    def add_view(self, request, form_url="", extra_context=None):
        from .agent_ticket import ticket_add_view

        return ticket_add_view(self, request)

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        return ticket_page_save(request, obj, form)

    def save_formset(self, request, form, formset, change):
        if formset.model is not CategoryAssignment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for deleted in formset.deleted_objects:
            category_assignment_changed(form.instance, deleted.code, added=False, user=request.user)
        for instance in formset.new_objects:
            category_assignment_changed(form.instance, instance.code, added=True, user=request.user)
        for instance, changed in formset.changed_objects:
            if "code" in changed:
                old = CategoryAssignment.objects.filter(pk=instance.pk).values_list("code", flat=True).first()
                if old and old != instance.code:
                    category_assignment_changed(form.instance, old, added=False, user=request.user)
                category_assignment_changed(form.instance, instance.code, added=True, user=request.user)
            elif "applied" in changed:
                category_assignment_changed(form.instance, instance.code, added=instance.applied,
                                            user=request.user)

    def delete_model(self, request, obj):
        tickets_delete(Ticket.objects.filter(pk=obj.pk), user=request.user)

    def delete_queryset(self, request, queryset):
        tickets_delete(queryset, user=request.user)

    # --- bulk actions -------------------------------------------------------------------------
    def _done(self, request, message: str):
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Assign the selected tickets to…"), permissions=["change"])
    def assign(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = tickets_assign(queryset, form.cleaned_data["assignee"], by=request.user)
            self._done(request, ngettext("%(count)d ticket assigned.", "%(count)d tickets assigned.", count)
                       % {"count": count})
            return None
        return self._intermediate(request, queryset, "assign", gettext("Assign tickets"), form)

    @admin.action(description=_("Send the top suggested reply to the selected tickets…"), permissions=["change"])
    def send_suggested_reply(self, request, queryset):
        """Asks first; on "apply" a ticket someone answered after the confirmation page was drawn is skipped."""
        from ..models import OutboundMail
        from ..services.replies import ReplyConflict, ReplyNotSent, reply_send, tickets_last_outbound_ids

        tickets = list(queryset.prefetch_related(Prefetch("suggested_replies",
                                                          queryset=SuggestedReply.objects.order_by("rank"))))
        if "apply" not in request.POST:
            seen = tickets_last_outbound_ids([t.pk for t in tickets])
            for ticket in tickets:
                ticket.seen_outbound = seen.get(ticket.pk, 0)
            return self._intermediate(request, queryset, "send_suggested_reply", gettext("Send suggested replies"),
                                      None, tickets=tickets)
        sent, failed, skipped = 0, [], []
        # a selected ticket that left this view since the confirmation page (answered: now waiting; closed) is
        # not in the queryset any more: say so instead of dropping it silently
        gone = {int(pk) for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) if pk.isdigit()}
        gone -= {ticket.pk for ticket in tickets}
        if gone:
            latest = tickets_last_outbound_ids(list(gone))
            for ticket in Ticket.objects.filter(pk__in=gone).order_by("pk"):
                seen = request.POST.get("seen_outbound_%d" % ticket.pk, "0")
                if latest.get(ticket.pk, 0) > (int(seen) if seen.isdigit() else 0):
                    skipped.append(ticket.reference)
                else:
                    failed.append("%s: %s" % (ticket.reference, gettext("it left this view meanwhile")))
        for ticket in tickets:
            suggestion = next(iter(ticket.suggested_replies.all()), None)
            if suggestion is None:
                failed.append("%s: %s" % (ticket.reference, gettext("no suggested reply")))
                continue
            seen = request.POST.get("seen_outbound_%d" % ticket.pk, "0")
            try:
                message = reply_send(ticket, subject=suggestion.subject, body=suggestion.body, user=request.user,
                                     seen_outbound_id=int(seen) if seen.isdigit() else 0)
            except ReplyConflict:
                skipped.append(ticket.reference)
                continue
            except ReplyNotSent as exc:
                failed.append("%s: %s" % (ticket.reference, exc))
                continue
            refused = OutboundMail.objects.filter(message=message, state=OutboundMail.State.FAILED).first()
            if refused is not None:
                failed.append("%s: %s" % (ticket.reference, refused.error))
            else:
                sent += 1
        self._done(request, ngettext("%(count)d reply sent.", "%(count)d replies sent.", sent)
                   % {"count": sent})
        if skipped:
            self.message_user(request, gettext("Skipped, someone replied to them meanwhile: %(references)s")
                              % {"references": ", ".join(skipped)}, messages.WARNING)
        for line in failed:
            self.message_user(request, gettext("Not sent: %(reason)s") % {"reason": line}, messages.ERROR)
        return None

    @admin.action(description=_("Merge the selected tickets into the oldest one…"), permissions=["change"])
    def merge_tickets(self, request, queryset):
        tickets = list(queryset.order_by("received_at", "pk"))
        if len(tickets) < 2:
            self.message_user(request, gettext("Select at least two tickets to merge."), messages.WARNING)
            return None
        if len({(t.customer_email or "").strip().lower() for t in tickets} - {""}) != 1 or any(
                not t.customer_email for t in tickets):
            self.message_user(request, gettext("Only tickets of the same customer can be merged: the selected "
                                               "tickets come from different email addresses."), messages.ERROR)
            return None
        if "apply" not in request.POST:
            return self._intermediate(request, queryset, "merge_tickets",
                                      gettext("Merge into %(reference)s") % {"reference": tickets[0].reference},
                                      None, tickets=tickets)
        try:
            count = tickets_merge(tickets[0], tickets[1:], user=request.user)
        except MergeRefused:
            self.message_user(request, gettext("Only tickets of the same customer can be merged: the selected "
                                               "tickets come from different email addresses."), messages.ERROR)
            return None
        self.message_user(request, ngettext("%(count)d ticket merged into %(reference)s.",
                                            "%(count)d tickets merged into %(reference)s.", count)
                          % {"count": count, "reference": tickets[0].reference}, messages.SUCCESS)
        return redirect(reverse("admin:tickets_ticket_change", args=[tickets[0].pk]))

    def _intermediate(self, request, queryset, action: str, title: str, form, tickets=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title, "opts": self.model._meta, "action": action, "form": form,
            "tickets": tickets if tickets is not None else list(queryset),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/tickets/ticket/action_confirm.html", context)
