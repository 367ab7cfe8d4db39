"""Retention: some days after a ticket is closed every stored original goes, and identity data with it.

What goes: the originals of every attachment (any kind, analysed or not), the previews, the raw mail of the
ticket's messages, the encrypted unmasked text kept for supervisors, and identity data agents typed into
internal notes (masked as message text is). What stays: the masked text,
metrics, defects and categories, for the trends. Tickets nobody touched for CLOSE_STALE_DAYS are closed, so
an open ticket does not keep its originals forever. Every deletion is logged.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..conf import conf
from ..masking import mask_lines, mask_mrz, mask_text
from ..models import AccessLog, Attachment, IncomingMail, Message, Note, Ticket
from .access import audit_record
from .files import stored_file_delete, stored_names


@dataclass(frozen=True)
class PurgeReport:
    attachments: int
    tickets: int
    dry_run: bool
    raw_mails: int = 0


def _cutoff(now=None):
    return (now or timezone.now()) - timezone.timedelta(days=conf.RETENTION_DAYS)


def originals_due(now=None):
    """Attachments of tickets closed before the retention period that still hold a file or unmasked data."""
    holds = ~Q(file="") | ~Q(preview="") | ~Q(preview_redacted="") | ~Q(unmasked_encrypted="")
    return Attachment.objects.filter(holds, ticket__workflow=Ticket.Workflow.CLOSED,
                                     ticket__closed_at__lt=_cutoff(now))


def raw_mail_due(now=None):
    """Raw mail of those tickets, and raw mail that made no ticket (quarantined, ignored, duplicate)."""
    cutoff = _cutoff(now)
    of_closed = Q(message__ticket__workflow=Ticket.Workflow.CLOSED, message__ticket__closed_at__lt=cutoff)
    unattached = Q(message__isnull=True, received_at__lt=cutoff) & ~Q(state=IncomingMail.State.RECEIVED)
    return IncomingMail.objects.exclude(raw="").filter(of_closed | unattached)


def originals_purge(*, dry_run: bool = False, now=None) -> PurgeReport:
    """Delete the originals, previews and raw mail due; redact what is derived from them."""
    due = list(originals_due(now).select_related("ticket"))
    mails = list(raw_mail_due(now))
    tickets = {a.ticket_id for a in due} | {m.message.ticket_id for m in mails if m.message_id}
    if dry_run:
        return PurgeReport(len(due), len(tickets), True, len(mails))
    for attachment in due:
        with transaction.atomic():
            names = stored_names(attachment)
            attachment.file = attachment.preview = attachment.preview_redacted = ""
            attachment.ocr_text = mask_text(attachment.ocr_text)
            attachment.ocr_lines = mask_lines(attachment.ocr_lines or [])
            attachment.mrz = mask_mrz(attachment.mrz)
            attachment.unmasked_encrypted = ""
            attachment.original_deleted_at = timezone.now()
            attachment.save(update_fields=["file", "preview", "preview_redacted", "ocr_text", "ocr_lines", "mrz",
                                           "unmasked_encrypted", "original_deleted_at"])
            audit_record(AccessLog.Action.DELETE, attachment=attachment, detail="retention: original, previews "
                         "and unmasked text")
        for name in names:  # after the commit: a rollback above keeps both the row and its files
            stored_file_delete(name, reason="retention", logged=False)
    for incoming in mails:
        name = incoming.raw.name
        IncomingMail.objects.filter(pk=incoming.pk).update(raw="")
        stored_file_delete(name, reason="retention: raw mail", filename=incoming.source[:255])
    Message.objects.filter(ticket_id__in=tickets).exclude(unmasked_encrypted="").update(unmasked_encrypted="")
    for note in Note.objects.filter(ticket_id__in=tickets).only("pk", "body"):
        masked = mask_text(note.body)
        if masked != note.body:
            Note.objects.filter(pk=note.pk).update(body=masked)
    return PurgeReport(len(due), len(tickets), False, len(mails))


def tickets_close_stale(*, now=None) -> int:
    """Close open or waiting tickets with no activity for CLOSE_STALE_DAYS (0: never); each one logged."""
    days = conf.CLOSE_STALE_DAYS
    if not days:
        return 0
    now = now or timezone.now()
    stale = Ticket.objects.exclude(workflow=Ticket.Workflow.CLOSED).filter(
        updated_at__lt=now - timezone.timedelta(days=days))
    closed = 0
    for ticket_id in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            if Ticket.objects.filter(pk=ticket_id).exclude(workflow=Ticket.Workflow.CLOSED).update(
                    workflow=Ticket.Workflow.CLOSED, closed_at=now, updated_at=now):
                audit_record(AccessLog.Action.CLOSE_STALE, ticket_id=ticket_id,
                             detail="no activity for %d days" % days)
                closed += 1
    return closed
