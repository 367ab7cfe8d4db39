"""Incoming mail (with the quarantine) and the IMAP mailboxes."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _, ngettext

from ..models import IncomingMail, Mailbox
from ..crypto import secret_encrypt
from ..services.ingest import incoming_process
from ..services.mailboxes import mailbox_connection_problem


@admin.register(IncomingMail)
class IncomingMailAdmin(admin.ModelAdmin):
    list_display = ("received_at", "source", "state", "reason", "size", "message")
    list_filter = ("state",)
    search_fields = ("source", "reason", "sha256")
    readonly_fields = ("sha256", "source", "size", "state", "reason", "message", "attempts", "received_at",
                       "processed_at")
    exclude = ("raw",)
    actions = ("reprocess", "process_as_new")

    def has_add_permission(self, request):
        return False

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
