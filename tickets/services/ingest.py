"""Ingesting one email: store the raw bytes first, then parse, dedupe, thread and queue analysis."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime

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


def mail_store(raw: bytes, *, source: str = "", received_at: datetime | None = None) -> tuple[IncomingMail, bool]:
    """Keep the delivered bytes before anything can fail; the same bytes twice are one record.

    received_at is our arrival time when the source knows it (IMAP INTERNALDATE, an mbox "From " line); now
    otherwise. The sender's Date header never sets it: it can be wrong or forged.
    """
    digest = hashlib.sha256(raw).hexdigest()
    existing = IncomingMail.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing, False
    from ..ingest.headers import header_block, sender_in

    incoming = IncomingMail(sha256=digest, size=len(raw), source=source[:300], sender=sender_in(header_block(raw)),
                            received_at=received_at or timezone.now())
    incoming.raw.save("message.eml", ContentFile(raw), save=False)
    file_saved(incoming.raw.name)
    try:
        with transaction.atomic():
            incoming.save()
    except IntegrityError:
        incoming.raw.delete(save=False)
        return IncomingMail.objects.get(sha256=digest), False
    return incoming, True


def message_ingest(raw: bytes, *, source: str = "", received_at: datetime | None = None) -> IngestOutcome:
    """Store, then process one delivered message (the doorway for files, stdin and IMAP)."""
    incoming, created = mail_store(raw, source=source, received_at=received_at)
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
        message = Message.objects.filter(message_id__in=ids).select_related("ticket").order_by("-sent_at", "-id").first()
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


class _ReusedMessageId(Exception):
    """A Message-ID seen before, on a message with different content."""

    def __init__(self, ticket_id: int) -> None:
        super().__init__(ticket_id)
        self.ticket_id = ticket_id


def incoming_process(incoming_id: int, *, raw: bytes | None = None, reused_id_is_new: bool = False) -> IngestOutcome:
    """Parse a stored message into a ticket (new or threaded); unparseable ones are quarantined.

    A Message-ID that was already ingested is skipped (triage-contract §3): the same content is a duplicate; other
    content under a reused Message-ID is kept unprocessed with that reason until an agent processes it as a new
    message (reused_id_is_new, the Incoming mail admin's action)."""
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
    if parsed.empty_reason:
        return _settle(incoming, IncomingMail.State.IGNORED, parsed.empty_reason)

    arrived = incoming.received_at
    warnings = list(parsed.warnings)
    try:
        with files_removed_on_rollback(), transaction.atomic():
            same_id = list(Message.objects.filter(message_id=parsed.message_id))
            if any(_content_digest_of(m) == parsed.content_digest for m in same_id):
                raise IntegrityError("duplicate Message-ID and content")
            if same_id and not reused_id_is_new:
                # the contract: a Message-ID seen before is skipped. Different content is kept here, said so,
                # and an agent can process it as a new message from Incoming mail.
                log.info("Message-ID %s was seen before with different content; kept unprocessed "
                         "(incoming mail %s)", parsed.message_id, incoming.pk)
                raise _ReusedMessageId(same_id[0].ticket_id)
            if same_id:
                log.info("Message-ID %s was seen before with different content; processed as a new message "
                         "by request (incoming mail %s)", parsed.message_id, incoming.pk)
                warnings.append("Message-ID %s was seen before with different content; processed as a new "
                                "message" % parsed.message_id)
            ticket = _find_thread(parsed)
            threaded = ticket is not None
            fields = message_fields_masked(subject=parsed.subject[:500], text_body=parsed.text_body,
                                           text_clean=parsed.text_clean, html_sanitized=parsed.html_sanitized)
            if ticket is None:
                ticket = Ticket.objects.create(
                    subject=fields["subject"], customer_email=parsed.from_address[:320],
                    customer_name=parsed.from_name[:200], received_at=arrived,
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
                to_addresses=", ".join(parsed.to_addresses), sent_at=arrived, date_header=parsed.date,
                content_sha256=parsed.content_digest, warnings=warnings, **fields,
            )
            for part in parsed.attachments:
                attachment_store(ticket, message=message, filename=part.filename, payload=part.payload,
                                 declared_content_type=part.content_type, content_id=part.content_id,
                                 is_inline=part.is_inline, skipped_reason=part.skipped_reason, size=part.size)
            ticket_search_text_refresh(ticket)
            incoming.message = message
            incoming.ticket = ticket
            incoming.sender = parsed.from_address[:320] or incoming.sender
            incoming.state = IncomingMail.State.INGESTED
            incoming.reason = "; ".join(warnings)[:2000]
            incoming.processed_at = timezone.now()
            incoming.save(update_fields=["message", "ticket", "sender", "state", "reason", "processed_at"])
            step_record(ticket_id=ticket.pk, step="ingest", status="ok", duration_ms=watch.ms,
                        detail={"message_id": parsed.message_id, "attachments": len(parsed.attachments),
                                "threaded": threaded, "source": incoming.source})
            ticket_pipeline_start(ticket.pk)
    except _ReusedMessageId as reused:
        return _settle(incoming, IncomingMail.State.DUPLICATE,
                       "Message-ID %s was already ingested, but this message's content is different: it is kept "
                       "here unprocessed; if it is a different message, use 'Process as a new message' in Incoming "
                       "mail" % parsed.message_id, ticket_id=reused.ticket_id)
    except IntegrityError:
        existing = next((m for m in Message.objects.filter(message_id=parsed.message_id)
                         if _content_digest_of(m) == parsed.content_digest), None)
        incoming.refresh_from_db(fields=["state"])
        if incoming.state == IncomingMail.State.INGESTED:  # a parallel delivery of these very bytes won
            return IngestOutcome("duplicate", existing.ticket_id if existing else None,
                                 "the same message was ingested by another process", incoming.pk)
        return _settle(incoming, IncomingMail.State.DUPLICATE,
                       "Message-ID %s with the same content was already ingested" % parsed.message_id,
                       ticket_id=existing.ticket_id if existing else None)
    return IngestOutcome("threaded" if threaded else "ingested", ticket.pk, "", incoming.pk)


def _content_digest_of(message: Message) -> str:
    """What a stored message says, as ingest.parser.content_digest; computed from its raw mail when the row
    predates the content_sha256 column, "" for messages written here (agents' tickets, replies)."""
    if message.content_sha256:
        return message.content_sha256
    from ..ingest.parser import content_digest

    incoming = message.deliveries.order_by("pk").first()
    if incoming is None or not incoming.raw:
        return ""
    try:
        with incoming.raw.open("rb") as handle:
            return content_digest(handle.read())
    except OSError:
        return ""


def _settle(incoming: IncomingMail, state: str, reason: str, ticket_id: int | None = None) -> IngestOutcome:
    IncomingMail.objects.filter(pk=incoming.pk).update(state=state, reason=reason[:2000], processed_at=timezone.now(),
                                                       **({"ticket_id": ticket_id} if ticket_id else {}))
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
