"""Deleting originals of identity documents and selfies some days after their ticket is closed."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..conf import conf
from ..masking import mask_mrz, mask_sensitive
from ..models import AccessLog, Attachment, Ticket
from ..taxonomy import AttachmentKind

SENSITIVE_KINDS = (AttachmentKind.ID_DOCUMENT, AttachmentKind.SELFIE)


@dataclass(frozen=True)
class PurgeReport:
    attachments: int
    tickets: int
    dry_run: bool


def originals_due(now=None):
    """Attachments of closed tickets past the retention period whose original is still stored."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=conf.RETENTION_DAYS)
    return (Attachment.objects.filter(ticket__workflow=Ticket.Workflow.CLOSED, ticket__closed_at__lt=cutoff,
                                      kind__in=SENSITIVE_KINDS, original_deleted_at__isnull=True)
            .exclude(file=""))


def originals_purge(*, dry_run: bool = False, now=None) -> PurgeReport:
    """Delete the originals (and previews); metrics, defects and a redacted OCR text stay for the trends."""
    due = list(originals_due(now).select_related("ticket"))
    if dry_run:
        return PurgeReport(len(due), len({a.ticket_id for a in due}), True)
    for attachment in due:
        with transaction.atomic():
            name = attachment.filename
            attachment.file.delete(save=False)
            if attachment.preview:
                attachment.preview.delete(save=False)
            attachment.ocr_text = mask_sensitive(attachment.ocr_text)
            attachment.ocr_lines = [{**line, "text": mask_sensitive(line.get("text", ""))}
                                    for line in attachment.ocr_lines or []]
            attachment.mrz = mask_mrz(attachment.mrz)
            attachment.original_deleted_at = timezone.now()
            attachment.save(update_fields=["file", "preview", "ocr_text", "ocr_lines", "mrz",
                                           "original_deleted_at"])
            AccessLog.objects.create(user=None, attachment=attachment, ticket_id=attachment.ticket_id,
                                     filename=name, action=AccessLog.Action.DELETE)
    return PurgeReport(len(due), len({a.ticket_id for a in due}), False)
