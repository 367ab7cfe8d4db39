"""Incoming mail (with the quarantine) and the IMAP mailboxes."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _, ngettext

from ..crypto import secret_encrypt
from ..ingest.headers import HEADER_PEEK_BYTES
from ..ingest.refs import format_ticket_reference
from ..models import IncomingMail, Mailbox
from ..services.ingest import incoming_process
from ..services.mailboxes import mailbox_connection_problem


@admin.register(IncomingMail)
class IncomingMailAdmin(admin.ModelAdmin):
    """Every delivered message, read-only: who sent it, where it went, and for the quarantine what it said."""

    list_display = ("received_at", "sender_display", "state", "reason", "ticket_link", "source", "size")
    list_filter = ("state",)
    list_select_related = ("ticket",)
    search_fields = ("sender", "source", "reason", "sha256")
    readonly_fields = ("sender", "ticket_link", "state", "reason", "source", "size", "attempts", "received_at",
                       "processed_at", "sha256", "message")
    exclude = ("raw", "ticket")
    actions = ("reprocess", "process_as_new")
    change_form_template = "admin/tickets/incomingmail/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of a delivery is kept as it came; retention removes the raw mail

    @admin.display(description=_("sender"), ordering="sender")
    def sender_display(self, obj: IncomingMail):
        return obj.sender or "—"

    @admin.display(description=_("ticket"), ordering="ticket")
    def ticket_link(self, obj: IncomingMail):
        if obj.ticket_id is None:
            return "—"
        url = reverse("admin:tickets_ticket_change", args=[obj.ticket_id])
        return format_html('<a href="{}">{}</a>', url, format_ticket_reference(obj.ticket_id))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        may_change = obj is not None and self.has_change_permission(request, obj)
        headers, headers_note = self._headers(request, obj) if obj is not None else ([], "")
        extra_context = {
            **(extra_context or {}),
            # a record of what arrived: nothing to save or delete, only to process again
            "show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False,
            "show_delete": False,
            "can_process_again": may_change and obj.state != IncomingMail.State.INGESTED,
            "can_process_as_new": may_change and obj.state == IncomingMail.State.DUPLICATE,
            "headers": headers, "headers_note": headers_note,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _headers(request, obj: IncomingMail) -> tuple[list[tuple[str, str]], str]:
        """The headers as delivered, read from the raw mail (identity numbers masked unless the viewer may see
        them), or why they cannot be shown."""
        from ..ingest.headers import header_block
        from ..masking import mask_sensitive
        from ..storage import StorageUnavailable
        from ..views import can_see_identity

        if not obj.raw:
            return [], _("The raw message was deleted by retention.")
        try:
            with obj.raw.open("rb") as handle:
                headers = header_block(handle.read(HEADER_PEEK_BYTES))
        except (FileNotFoundError, StorageUnavailable):
            return [], _("The raw message cannot be read from the store right now.")
        if not headers:
            return [], _("The message has no header block that can be read.")
        if not can_see_identity(request.user):
            headers = [(name, mask_sensitive(value)) for name, value in headers]
        return headers, ""

    def get_urls(self):
        return [path("<int:pk>/process/", self.admin_site.admin_view(self.process_view),
                     name="tickets_incomingmail_process")] + super().get_urls()

    def process_view(self, request, pk: int):
        """The change page's "process again" button: the same service as the list's actions."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        incoming = get_object_or_404(IncomingMail, pk=pk)
        if not self.has_change_permission(request, incoming):
            raise PermissionDenied
        if incoming.state == IncomingMail.State.INGESTED:
            self.message_user(request, _("This message was already processed into a ticket."), messages.WARNING)
        else:
            as_new = request.POST.get("as_new") == "1" and incoming.state == IncomingMail.State.DUPLICATE
            if as_new:
                incoming_process(incoming.pk, reused_id_is_new=True)
            else:
                incoming_process(incoming.pk)
            self._report(request, incoming.pk)
        return redirect("admin:tickets_incomingmail_change", pk)

    def _report(self, request, pk: int) -> None:
        incoming = IncomingMail.objects.filter(pk=pk).first()
        state = incoming.get_state_display() if incoming else ""
        if incoming is not None and incoming.state == IncomingMail.State.INGESTED:
            self.message_user(request, _("Processed: the message is now on ticket %(ticket)s.") % {
                "ticket": format_ticket_reference(incoming.ticket_id) if incoming.ticket_id else "—"},
                messages.SUCCESS)
        else:
            self.message_user(request, _("Processed again; the message is still %(state)s.") % {"state": state},
                              messages.WARNING)

    @admin.action(description=_("Process the selected messages again"), permissions=["change"])
    def reprocess(self, request, queryset):
        outcomes = [incoming_process(pk) for pk in queryset.exclude(state=IncomingMail.State.INGESTED)
                    .values_list("pk", flat=True)]
        self.message_user(request, ngettext("%(count)d message processed again.",
                                            "%(count)d messages processed again.", len(outcomes))
                          % {"count": len(outcomes)}, messages.SUCCESS)

    @admin.action(description=_("Process as a new message (a reused Message-ID with different content)"),
                  permissions=["change"])
    def process_as_new(self, request, queryset):
        outcomes = [incoming_process(pk, reused_id_is_new=True)
                    for pk in queryset.filter(state=IncomingMail.State.DUPLICATE).values_list("pk", flat=True)]
        self.message_user(request, ngettext("%(count)d message processed as new.",
                                            "%(count)d messages processed as new.", len(outcomes))
                          % {"count": len(outcomes)}, messages.SUCCESS)


class MailboxForm(forms.ModelForm):
    password = forms.CharField(label=_("password"), required=False, strip=False,
                               widget=forms.PasswordInput(render_value=False),
                               help_text=_("Stored encrypted. Leave empty to keep the current password."))

    class Meta:
        model = Mailbox
        exclude = ("password_encrypted",)

    def clean(self):
        cleaned = super().clean()
        problem = mailbox_connection_problem(cleaned.get("host") or "", cleaned.get("security") or "")
        if problem:
            self.add_error("host" if "host" in problem.field else "security", problem.message)
        moved = {"host", "port", "security"} & set(self.changed_data)
        if self.instance.pk and moved and not cleaned.get("password"):
            # the stored password is only ever sent to the server it was entered for
            self.add_error("password", _("The host, port or security changed: enter the mailbox password again."))
        return cleaned

    def save(self, commit=True):
        mailbox = super().save(commit=False)
        if self.cleaned_data.get("password"):
            mailbox.password_encrypted = secret_encrypt(self.cleaned_data["password"])
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ("name", "host", "username", "folder", "is_active", "last_success_at", "last_error")
    readonly_fields = ("last_polled_at", "last_success_at", "last_error")
    actions = ("fetch_now",)

    @admin.action(description=_("Fetch new mail from the selected mailboxes now"), permissions=["change"])
    def fetch_now(self, request, queryset):
        from ..ingest.imap import ImapError
        from ..services.mailboxes import mailbox_fetch

        for mailbox in queryset:
            try:
                report = mailbox_fetch(mailbox.pk)
            except ImapError as exc:
                self.message_user(request, _("%(mailbox)s: could not fetch mail: %(reason)s") % {
                    "mailbox": mailbox.name, "reason": exc}, messages.ERROR)
                continue
            self.message_user(request, _("%(mailbox)s: %(count)d new messages.") % {
                "mailbox": mailbox.name, "count": report.fetched}, messages.SUCCESS)
