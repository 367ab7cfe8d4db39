"""Ingesting one email: store the raw bytes first, then parse, dedupe, thread and queue analysis."""

import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..conf import conf
from ..models import Attachment, IncomingMail, Message, Ticket
from ..taxonomy import TicketStatus
from .files import file_saved, files_removed_on_rollback
from .masking import message_fields_masked
from .pipeline import ticket_pipeline_start
from .steps import Stopwatch, step_record
from .tickets import ticket_search_text_refresh

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestOutcome:
    state: str              # ingested | threaded | duplicate | ignored | quarantined
    ticket_id: int | None
    reason: str = ""
    incoming_id: int | None = None


def _limits():
    from ..ingest.parser import Limits

    return Limits(max_message_bytes=conf.MAX_MESSAGE_BYTES, max_attachments=conf.MAX_ATTACHMENTS,
                  max_attachment_bytes=conf.MAX_ATTACHMENT_BYTES)


def mail_store(raw: bytes, *, source: str = "") -> tuple[IncomingMail, bool]:
    """Keep the delivered bytes before anything can fail; the same bytes twice are one record."""
    digest = hashlib.sha256(raw).hexdigest()
    existing = IncomingMail.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    incoming = IncomingMail(sha256=digest, size=len(raw), source=source[:300])
    incoming.raw.save("message.eml", ContentFile(raw), save=False)
    file_saved(incoming.raw.name)
    try:
        with transaction.atomic():
            incoming.save()
    except IntegrityError:
        incoming.raw.delete(save=False)
        return IncomingMail.objects.get(sha256=digest), False
    return incoming, True


def message_ingest(raw: bytes, *, source: str = "") -> IngestOutcome:
    """Store, then process one delivered message (the doorway for files, stdin and IMAP)."""
    incoming, created = mail_store(raw, source=source)
    if not created and incoming.state != IncomingMail.State.RECEIVED:
        ticket_id = incoming.message.ticket_id if incoming.message_id else None
        return IngestOutcome("duplicate", ticket_id, "the same message was already received (%s)"
                             % incoming.get_state_display(), incoming.pk)
    return incoming_process(incoming.pk, raw=raw)


def _find_thread(parsed) -> Ticket | None:
    ticket = _find_thread_ticket(parsed)
    for _ in range(10):  # follow merges to the ticket that absorbed this one
        if ticket is None or ticket.merged_into_id is None:
            break
        ticket = ticket.merged_into
    return ticket


def _find_thread_ticket(parsed) -> Ticket | None:
    from ..ingest.parser import ticket_reference_in

    ids = [i for i in (parsed.in_reply_to, *parsed.references) if i]
    if ids:
        message = Message.objects.filter(message_id__in=ids).select_related("ticket").order_by("-sent_at").first()
        if message is not None:
            return message.ticket
    reference = ticket_reference_in(parsed.subject)
    if reference:
        number = int(reference.split("-", 1)[1])
        ticket = Ticket.objects.filter(pk=number).first()
        if ticket is not None and (not ticket.customer_email or not parsed.from_address
                                   or ticket.customer_email.lower() == parsed.from_address.lower()):
            return ticket
    return None


def incoming_process(incoming_id: int, *, raw: bytes | None = None) -> IngestOutcome:
    """Parse a stored message into a ticket (new or threaded); unparseable ones are quarantined."""
    from ..ingest.parser import UnparseableMessage, parse_message

    incoming = IncomingMail.objects.get(pk=incoming_id)
    if raw is None and not incoming.raw:
        return _settle(incoming, IncomingMail.State.QUARANTINED,
                       "the raw message was deleted by retention; it cannot be processed again")
    if raw is None:
        with incoming.raw.open("rb") as handle:
            raw = handle.read()
    IncomingMail.objects.filter(pk=incoming_id).update(attempts=incoming.attempts + 1)
    watch = Stopwatch()
    try:
        parsed = parse_message(raw, _limits())
    except UnparseableMessage as exc:
        return _settle(incoming, IncomingMail.State.QUARANTINED, str(exc))
    except Exception as exc:  # a parser bug must quarantine the message, not stop the run
        log.exception("parser crashed on incoming mail %s", incoming_id)
        return _settle(incoming, IncomingMail.State.QUARANTINED,
                       "the parser failed unexpectedly (%s: %s)" % (type(exc).__name__, exc))

    if parsed.auto_reply_reason:
        return _settle(incoming, IncomingMail.State.IGNORED, parsed.auto_reply_reason)

    try:
        with files_removed_on_rollback(), transaction.atomic():
            if Message.objects.filter(message_id=parsed.message_id).exists():
                raise IntegrityError("duplicate Message-ID")
            ticket = _find_thread(parsed)
            threaded = ticket is not None
            fields = message_fields_masked(subject=parsed.subject[:500], text_body=parsed.text_body,
                                           text_clean=parsed.text_clean, html_sanitized=parsed.html_sanitized)
            if ticket is None:
                ticket = Ticket.objects.create(
                    subject=fields["subject"], customer_email=parsed.from_address[:320],
                    customer_name=parsed.from_name[:200], received_at=parsed.date or timezone.now(),
                    source=Ticket.Source.EMAIL,
                )
            else:
                ticket.workflow = Ticket.Workflow.OPEN
                ticket.closed_at = None
                ticket.status = TicketStatus.NEW
                ticket.pipeline_attempts = 0
                ticket.save(update_fields=["workflow", "closed_at", "status", "pipeline_attempts", "updated_at"])
            message = Message.objects.create(
                ticket=ticket, direction=Message.Direction.INBOUND, message_id=parsed.message_id,
                in_reply_to=parsed.in_reply_to, references=" ".join(parsed.references),
                from_address=parsed.from_address[:320], from_name=parsed.from_name[:200],
                to_addresses=", ".join(parsed.to_addresses), sent_at=parsed.date or timezone.now(),
                warnings=list(parsed.warnings), **fields,
            )
            for part in parsed.attachments:
                attachment_store(ticket, message=message, filename=part.filename, payload=part.payload,
                                 declared_content_type=part.content_type, content_id=part.content_id,
                                 is_inline=part.is_inline, skipped_reason=part.skipped_reason, size=part.size)
            ticket_search_text_refresh(ticket)
            incoming.message = message
            incoming.state = IncomingMail.State.INGESTED
            incoming.reason = "; ".join(parsed.warnings)[:2000]
            incoming.processed_at = timezone.now()
            incoming.save(update_fields=["message", "state", "reason", "processed_at"])
            step_record(ticket_id=ticket.pk, step="ingest", status="ok", duration_ms=watch.ms,
                        detail={"message_id": parsed.message_id, "attachments": len(parsed.attachments),
                                "threaded": threaded, "source": incoming.source})
            ticket_pipeline_start(ticket.pk)
    except IntegrityError:
        existing = Message.objects.filter(message_id=parsed.message_id).first()
        incoming.refresh_from_db(fields=["state"])
        if incoming.state == IncomingMail.State.INGESTED:  # a parallel delivery of these very bytes won
            return IngestOutcome("duplicate", existing.ticket_id if existing else None,
                                 "the same message was ingested by another process", incoming.pk)
        return _settle(incoming, IncomingMail.State.DUPLICATE,
                       "Message-ID %s was already ingested" % parsed.message_id,
                       ticket_id=existing.ticket_id if existing else None)
    return IngestOutcome("threaded" if threaded else "ingested", ticket.pk, "", incoming.pk)


def _settle(incoming: IncomingMail, state: str, reason: str, ticket_id: int | None = None) -> IngestOutcome:
    IncomingMail.objects.filter(pk=incoming.pk).update(state=state, reason=reason[:2000],
                                                       processed_at=timezone.now())
    label = {IncomingMail.State.QUARANTINED: "quarantined", IncomingMail.State.IGNORED: "ignored",
             IncomingMail.State.DUPLICATE: "duplicate"}[state]
    if state == IncomingMail.State.QUARANTINED:
        log.warning("quarantined incoming mail %s (%s): %s", incoming.pk, incoming.source, reason)
    return IngestOutcome(label, ticket_id, reason, incoming.pk)


def attachment_store(ticket: Ticket, *, filename: str, payload: bytes, message: Message | None = None,
                     declared_content_type: str = "", content_id: str = "", is_inline: bool = False,
                     skipped_reason: str = "", size: int | None = None) -> Attachment:
    """Save an attachment's bytes to private storage; skipped parts keep their record, not their bytes."""
    attachment = Attachment(
        ticket=ticket, message=message, filename=(filename or "attachment")[:255],
        declared_content_type=declared_content_type[:255], content_id=content_id[:300], is_inline=is_inline,
        size=size if size is not None else len(payload), skipped_reason=skipped_reason,
        sha256=hashlib.sha256(payload).hexdigest() if payload else "",
    )
    if skipped_reason or not payload:
        attachment.analysis_status = Attachment.AnalysisStatus.SKIPPED
        attachment.skipped_reason = skipped_reason or "the attachment is empty"
    else:
        attachment.file.save("original", ContentFile(payload), save=False)
        file_saved(attachment.file.name)
    attachment.save()
    if attachment.analysis_status == Attachment.AnalysisStatus.SKIPPED:
        from ..models import AttachmentDefect

        if not payload and not skipped_reason:
            code = "unreadable"
        elif (size or 0) > conf.MAX_ATTACHMENT_BYTES:
            code = "file_too_large"
        else:
            code = ""
        if code:
            AttachmentDefect.objects.create(attachment=attachment, ticket=ticket, code=code,
                                            details={"reason": attachment.skipped_reason})
    return attachment


def ticket_create_by_agent(*, subject: str, customer_email: str, customer_name: str = "", body: str = "",
                           files=(), author=None) -> Ticket:
    """A ticket an agent enters by hand (phone, chat): same pipeline as email.

    files: uploaded files (name, size, content_type, read()); one over the size limit is recorded with its
    reason and not read at all.
    """
    import uuid

    fields = message_fields_masked(subject=subject[:500], text_body=body, text_clean=body)
    with files_removed_on_rollback(), transaction.atomic():
        ticket = Ticket.objects.create(subject=fields["subject"], customer_email=customer_email,
                                       customer_name=customer_name, source=Ticket.Source.AGENT)
        message = Message.objects.create(
            ticket=ticket, direction=Message.Direction.INBOUND,
            message_id="<agent-%s@kyctriage.invalid>" % uuid.uuid4().hex, from_address=customer_email,
            from_name=customer_name, author=author, **fields,
        )
        for upload in files:
            too_large = upload.size > conf.MAX_ATTACHMENT_BYTES
            reason = ("%s is %.1f MB, over the %.0f MB limit; it was not stored"
                      % (upload.name, upload.size / 1e6, conf.MAX_ATTACHMENT_BYTES / 1e6)) if too_large else ""
            attachment_store(ticket, message=message, filename=upload.name,
                             payload=b"" if too_large else upload.read(),
                             declared_content_type=getattr(upload, "content_type", "") or "",
                             skipped_reason=reason, size=upload.size)
        step_record(ticket_id=ticket.pk, step="ingest", status="ok", detail={"source": "agent"})
        ticket_search_text_refresh(ticket)
        ticket_pipeline_start(ticket.pk)
    return ticket
