"""Tickets, their email thread, attachments with analysis, triage results and the audit trail."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ingest.refs import format_ticket_reference
from .taxonomy import AttachmentKind, Category, Defect, TicketStatus



def private_storage():
    """Attachments, previews and raw mail live in their own storage alias, never under a public URL."""
    from .storage import attachment_storage

    return attachment_storage


def _private_path(prefix: str, filename: str) -> str:
    today = timezone.now()
    return "%s/%04d/%02d/%s" % (prefix, today.year, today.month, uuid.uuid4().hex)


def raw_mail_path(instance, filename: str) -> str:
    return _private_path("mail", filename) + ".eml"


def attachment_path(instance, filename: str) -> str:
    return _private_path("originals", filename)


def preview_path(instance, filename: str) -> str:
    return _private_path("previews", filename) + ".png"


class Ticket(models.Model):
    class Source(models.TextChoices):
        EMAIL = "email", _("Email")
        AGENT = "agent", _("Created by an agent")

    class Workflow(models.TextChoices):
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting for customer")
        CLOSED = "closed", _("Closed")

    subject = models.CharField(_("subject"), max_length=500, blank=True)
    customer_email = models.EmailField(_("customer email"), max_length=320, blank=True, db_index=True)
    customer_name = models.CharField(_("customer name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    status = models.CharField(_("triage status"), max_length=16, choices=TicketStatus.choices,
                              default=TicketStatus.NEW)
    status_reason = models.TextField(_("reason"), blank=True)
    workflow = models.CharField(_("workflow"), max_length=16, choices=Workflow.choices, default=Workflow.OPEN)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.EMAIL)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="assigned_tickets")
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="merged_tickets")
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    pipeline_attempts = models.PositiveSmallIntegerField(_("pipeline attempts"), default=0)
    triage_attempts = models.PositiveSmallIntegerField(_("triage attempts"), default=0, editable=False)
    search_text = models.TextField(blank=True, editable=False,
                                   help_text="Subject, customer, message text and OCR text, for the queue's search.")
    top_confidence = models.FloatField(_("confidence"), null=True, blank=True, editable=False)
    # optimistic concurrency: every agent-facing write checks the version it read and bumps it
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # since when the customer has waited for our answer (None once we answered); due_at adds the target of the
    # ticket's most urgent category (tickets/due.py); both kept by ticket_search_text_refresh
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True, editable=False)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="ticket_status_updated"),
            models.Index(fields=["-received_at", "-id"], name="ticket_received"),
            models.Index(fields=["workflow", "closed_at"], name="ticket_workflow_closed"),
            models.Index(fields=["language", "-received_at"], name="ticket_language_received"),
            # the queue's order (oldest waiting first) within a workflow, an agent's tickets, and over all tickets
            models.Index(fields=["workflow", "waiting_since", "id"], name="ticket_queue_waiting"),
            models.Index(fields=["assignee", "workflow", "waiting_since", "id"], name="ticket_queue_assignee"),
            models.Index(fields=["waiting_since", "id"], name="ticket_waiting"),
            models.Index(fields=["workflow", "due_at"], name="ticket_queue_due"),
        ]

    def __str__(self) -> str:
        return "%s %s" % (self.reference, self.subject)

    @property
    def reference(self) -> str:
        return format_ticket_reference(self.pk) if self.pk else ""


class Note(models.Model):
    """An agent's internal note on a ticket: shown in the thread, never mailed to the customer."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="note_ticket")]

    def __str__(self) -> str:
        return self.body[:60]


class TicketActivity(models.Model):
    """One change to a ticket, who made it and when: the ticket's own activity log.

    ``detail`` holds codes and names (old and new workflow, category code, references), rendered in the
    reader's language where shown; ``version`` is the ticket's version after the change, so a refused stale
    save can list exactly what happened since the agent loaded the page.
    """

    class Kind(models.TextChoices):
        STATUS = "status", _("Status")
        ASSIGNMENT = "assignment", _("Assignment")
        CATEGORY = "category", _("Category")
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Note")
        MERGE = "merge", _("Merge")
        CUSTOMER = "customer", _("Customer details")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="activity")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField(_("user name"), max_length=150, blank=True)  # kept when the user is deleted
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    detail = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["ticket", "at"], name="activity_ticket")]

    def __str__(self) -> str:
        return "%s %s %s" % (self.at, self.username, self.kind)


class TicketPresence(models.Model):
    """Who has a ticket open right now (viewing or replying); refreshed by the page, stale after a minute."""

    class State(models.TextChoices):
        VIEWING = "viewing", _("viewing")
        REPLYING = "replying", _("replying")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.VIEWING)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "user"], name="presence_once_per_user")]
        indexes = [models.Index(fields=["ticket", "seen_at"], name="presence_ticket_seen")]

    def __str__(self) -> str:
        return "%s %s %s" % (self.ticket_id, self.user_id, self.state)


class IncomingMail(models.Model):
    """Every inbound message as delivered, stored before parsing is trusted (never lost)."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        INGESTED = "ingested", _("Ingested")
        DUPLICATE = "duplicate", _("Duplicate")
        IGNORED = "ignored", _("Ignored (automatic reply)")
        QUARANTINED = "quarantined", _("Quarantined")

    sha256 = models.CharField(max_length=64, unique=True)
    raw = models.FileField(_("raw message"), storage=private_storage, upload_to=raw_mail_path, max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.RECEIVED)
    reason = models.TextField(_("reason"), blank=True)
    message = models.ForeignKey("Message", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="deliveries")
    # read from the headers when it is stored, so a message that never parses still says who sent it
    sender = models.CharField(_("sender"), max_length=320, blank=True)
    # the ticket it went to, or the one already holding it (a duplicate)
    ticket = models.ForeignKey("Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("ticket"))
    attempts = models.PositiveSmallIntegerField(default=0)
    # our arrival time: IMAP INTERNALDATE, the mbox "From " line's date, or when it was stored
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        verbose_name = _("incoming mail")
        verbose_name_plural = _("incoming mail")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["state", "received_at"], name="incoming_state")]

    def __str__(self) -> str:
        return "%s (%s)" % (self.source or self.sha256[:12], self.get_state_display())


class Message(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "in", _("Inbound")
        OUTBOUND = "out", _("Outbound")
        NOTE = "note", _("Agent's note")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices,
                                 default=Direction.INBOUND)
    message_id = models.CharField(_("Message-ID"), max_length=998)  # indexed by message_id_content below
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=998, blank=True)
    references = models.TextField(_("References"), blank=True)
    from_address = models.CharField(_("from"), max_length=320, blank=True)
    from_name = models.CharField(_("sender name"), max_length=200, blank=True)
    to_addresses = models.TextField(_("to"), blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    # inbound: when it reached us (never the sender's clock); outbound: when we sent it
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    date_header = models.DateTimeField(_("Date header"), null=True, blank=True,
                                       help_text=_("The date the sender's mail program wrote; it can be wrong."))
    # SHA-256 of what the message says (ingest.parser.content_digest); "" for messages written here
    content_sha256 = models.CharField(max_length=64, blank=True)
    text_body = models.TextField(_("text"), blank=True)
    text_clean = models.TextField(_("text without quotes and signature"), blank=True)
    html_sanitized = models.TextField(_("sanitised HTML"), blank=True)
    auto_reply_reason = models.CharField(max_length=300, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # subject and bodies above are masked when written; the unmasked ones, encrypted, for supervisors
    unmasked_encrypted = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["ticket", "sent_at"], name="message_thread")]
        # one Message-ID may name two different messages (broken senders reuse ids); the same content once
        constraints = [models.UniqueConstraint(fields=["message_id", "content_sha256"], name="message_id_content")]

    def __str__(self) -> str:
        return self.subject or self.message_id


class OutboundMail(models.Model):
    """The outbox: a reply is written here with its message in one transaction and sent after the commit."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not sent")

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="outbound")
    state = models.CharField(_("delivery"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        indexes = [models.Index(fields=["state", "created_at"], name="outbound_state")]

    def __str__(self) -> str:
        return "%s (%s)" % (self.message_id, self.get_state_display())


class Attachment(models.Model):
    class AnalysisStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="attachments")
    file = models.FileField(_("original"), storage=private_storage, upload_to=attachment_path,
                            max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    declared_content_type = models.CharField(_("declared type"), max_length=255, blank=True)
    content_type = models.CharField(_("detected type"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    content_id = models.CharField(max_length=300, blank=True)
    is_inline = models.BooleanField(default=False)
    skipped_reason = models.TextField(_("skipped because"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices, blank=True)
    ocr_text = models.TextField(_("OCR text"), blank=True)
    ocr_lines = models.JSONField(_("OCR lines"), default=list, blank=True)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    mrz = models.JSONField(null=True, blank=True)
    expiry_date = models.DateField(_("document expiry"), null=True, blank=True)
    preview = models.FileField(_("annotated preview"), storage=private_storage, upload_to=preview_path,
                               max_length=300, blank=True)
    # what agents see: MRZ, numbers, dates and portrait blurred on documents, the face on selfies
    preview_redacted = models.FileField(_("redacted preview"), storage=private_storage, upload_to=preview_path,
                                        max_length=300, blank=True)
    # ocr_text, ocr_lines and mrz above are masked when written; the unmasked ones, encrypted, for supervisors
    unmasked_encrypted = models.TextField(blank=True, editable=False)
    analysis_status = models.CharField(_("analysis"), max_length=16, choices=AnalysisStatus.choices,
                                       default=AnalysisStatus.PENDING)
    analysis_error = models.TextField(_("analysis error"), blank=True)
    analyser_version = models.CharField(max_length=32, blank=True)
    analysis_attempts = models.PositiveSmallIntegerField(default=0)
    analysed_at = models.DateTimeField(null=True, blank=True)
    original_deleted_at = models.DateTimeField(_("original deleted"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["ticket", "analysis_status"], name="attachment_ticket_status"),
            models.Index(fields=["kind"], name="attachment_kind"),
        ]
        permissions = [
            ("view_original", _("Can open original identity documents and selfies")),
            ("view_sensitive", _("Can see unmasked ID numbers, MRZ lines and dates of birth")),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def defect_codes(self) -> list[str]:
        return [d.code for d in self.defects.all()]


class AttachmentDefect(models.Model):
    """One detected defect of an attachment, with the evidence behind it (a row, so lists can filter)."""

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="defects")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="defects")
    code = models.CharField(_("defect"), max_length=32, choices=Defect.choices)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("defect")
        verbose_name_plural = _("defects")
        constraints = [models.UniqueConstraint(fields=["attachment", "code"], name="defect_once_per_attachment")]
        indexes = [models.Index(fields=["code", "ticket"], name="defect_code_ticket")]

    def __str__(self) -> str:
        return self.get_code_display()


class CategoryAssignment(models.Model):
    class Source(models.TextChoices):
        AUTO = "auto", _("Automatic")
        AGENT = "agent", _("Agent")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("category"), max_length=40, choices=Category.choices)
    confidence = models.FloatField(_("confidence"), default=1.0)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.AUTO)
    applied = models.BooleanField(_("applied"), default=True,
                                  help_text=_("Below the auto-apply threshold a category is only suggested."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["-applied", "-confidence"]
        constraints = [models.UniqueConstraint(fields=["ticket", "code"], name="category_once_per_ticket")]
        indexes = [models.Index(fields=["code", "applied"], name="category_code_applied")]

    def __str__(self) -> str:
        return "%s %.2f" % (self.code, self.confidence)


class Correction(models.Model):
    """An agent adding or removing a category: the training signal for the learned layer."""

    class Action(models.TextChoices):
        ADD = "add", _("Added")
        REMOVE = "remove", _("Removed")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="corrections")
    code = models.CharField(_("category"), max_length=40, choices=Category.choices)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return "%s %s" % (self.action, self.code)


class ReplyTemplate(models.Model):
    code = models.CharField(_("template"), max_length=80, help_text=_("e.g. document_requirements.glare"))
    language = models.CharField(_("language"), max_length=16)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["code", "language"]
        constraints = [models.UniqueConstraint(fields=["code", "language"], name="template_code_language")]

    def __str__(self) -> str:
        return "%s (%s)" % (self.code, self.language)


class SuggestedReply(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="suggested_replies")
    template_code = models.CharField(_("template"), max_length=80)
    language = models.CharField(_("language"), max_length=16)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("body"))
    rank = models.PositiveSmallIntegerField(default=0)
    score = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("suggested reply")
        verbose_name_plural = _("suggested replies")
        ordering = ["ticket", "rank"]

    def __str__(self) -> str:
        return self.template_code


class ProcessingStep(models.Model):
    """A visible record of each pipeline step: what ran, how it ended, how long it took."""

    class Status(models.TextChoices):
        OK = "ok", _("OK")
        FAILED = "failed", _("Failed")
        RETRYING = "retrying", _("Will retry")
        SKIPPED = "skipped", _("Skipped")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="steps")
    attachment = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="steps")
    step = models.CharField(_("step"), max_length=40)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    detail = models.JSONField(default=dict, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("processing step")
        verbose_name_plural = _("processing steps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return "%s: %s" % (self.step, self.status)


class Mailbox(models.Model):
    class Security(models.TextChoices):
        SSL = "ssl", _("TLS (IMAPS)")
        STARTTLS = "starttls", _("STARTTLS")
        NONE = "none", _("None (testing only)")

    class AfterImport(models.TextChoices):
        MARK_SEEN = "seen", _("Mark as read")
        MOVE = "move", _("Move to folder")
        DELETE = "delete", _("Delete")

    name = models.CharField(_("name"), max_length=100, unique=True)
    host = models.CharField(_("host"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(_("security"), max_length=10, choices=Security.choices, default=Security.SSL)
    username = models.CharField(_("user name"), max_length=255)
    password_encrypted = models.TextField(_("password (encrypted)"), blank=True)
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    after_import = models.CharField(_("after import"), max_length=8, choices=AfterImport.choices,
                                    default=AfterImport.MARK_SEEN)
    move_to = models.CharField(_("move to folder"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MailboxLedger(models.Model):
    """Exactly-once import: one row per (mailbox, folder, UIDVALIDITY, UID), enforced by the database."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="ledger")
    folder = models.CharField(max_length=255)
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    incoming = models.ForeignKey(IncomingMail, null=True, on_delete=models.SET_NULL, related_name="+")
    server_done = models.BooleanField(default=False, help_text=_("Marked, moved or deleted on the server."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("imported mail")
        verbose_name_plural = _("imported mail")
        constraints = [models.UniqueConstraint(fields=["mailbox", "folder", "uidvalidity", "uid"],
                                               name="ledger_once_per_uid")]

    def __str__(self) -> str:
        return "%s/%s %s:%s" % (self.mailbox_id, self.folder, self.uidvalidity, self.uid)


class TriageModel(models.Model):
    """A version of the learned layer, trained from agents' corrections."""

    version = models.CharField(max_length=80, unique=True)
    examples = models.PositiveIntegerField(default=0)
    blob = models.BinaryField()
    metrics = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=False)
    trained_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learned triage model")
        verbose_name_plural = _("learned triage models")
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return self.version


class AccessLog(models.Model):
    """Who opened, exported, merged or deleted which identity data, and when: the audit trail."""

    class Action(models.TextChoices):
        VIEW_ORIGINAL = "view", _("Viewed original")
        DOWNLOAD = "download", _("Downloaded original")
        DELETE = "delete", _("Deleted original")
        VIEW_PREVIEW = "preview", _("Viewed preview")
        VIEW_UNMASKED = "unmasked", _("Viewed unmasked identity data")
        EXPORT_UNMASKED = "export", _("Exported unmasked identity data")
        DELETE_FILE = "delete_file", _("Deleted stored file")
        MERGE = "merge", _("Merged tickets")
        CLOSE_STALE = "close_stale", _("Closed as stale")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # kept when the user is deleted later ("" for the system: retention, sweeps)
    username = models.CharField(_("user name"), max_length=150, blank=True)
    attachment = models.ForeignKey(Attachment, null=True, on_delete=models.SET_NULL, related_name="access_log")
    ticket = models.ForeignKey(Ticket, null=True, on_delete=models.SET_NULL, related_name="access_log")
    filename = models.CharField(max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self) -> str:
        return "%s %s %s" % (self.at, self.action, self.filename)


class AgentPreference(models.Model):
    """An agent's own settings that follow them from browser to browser (the interface language)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kyc_preference")
    language = models.CharField(_("interface language"), max_length=16, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("agent preference")
        verbose_name_plural = _("agent preferences")

    def __str__(self) -> str:
        return "%s: %s" % (self.user, self.language)
