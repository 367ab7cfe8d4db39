"""Sending an agent's reply: threaded headers, the ticket reference in the subject, kept in the thread."""

import logging
import smtplib
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from ..models import Message, OutboundMail, Ticket, TicketActivity
from .activity import activity_record

log = logging.getLogger(__name__)


class ReplyNotSent(Exception):
    """The reply cannot be sent: no address, or the mail server refused it."""


class ReplyConflict(Exception):
    """Someone replied to the ticket after the agent loaded it: sending now would answer the customer twice."""

    def __init__(self, newer: Message):
        super().__init__("ticket %s got a newer reply (message %d)" % (newer.ticket_id, newer.pk))
        self.newer = newer


def ticket_last_outbound_id(ticket_id: int) -> int:
    """The newest reply on a ticket (0 for none): the composer carries it to notice a reply sent meanwhile."""
    return (Message.objects.filter(ticket_id=ticket_id, direction=Message.Direction.OUTBOUND)
            .order_by("-pk").values_list("pk", flat=True).first() or 0)


def tickets_last_outbound_ids(ticket_ids) -> dict[int, int]:
    """ticket_last_outbound_id for many tickets in one query (the bulk send's confirmation page)."""
    from django.db.models import Max

    return dict(Message.objects.filter(ticket_id__in=ticket_ids, direction=Message.Direction.OUTBOUND)
                .values("ticket_id").annotate(last=Max("pk")).values_list("ticket_id", "last"))


class MailServerUnavailable(ConnectionError):
    """The mail server is down or deferred the reply: transient, retried by the task with backoff."""


def reply_subject(ticket: Ticket, subject: str) -> str:
    """ "Re: <subject> [KYC-000123]" with one prefix and one tag, whatever the agent or the template left."""
    from ..triage.replies import thread_subject

    return thread_subject(subject or ticket.subject or "", ticket.reference)


def reply_send(ticket: Ticket, *, body: str, subject: str = "", user=None, seen_outbound_id: int | None = None,
               workflow: str = Ticket.Workflow.WAITING) -> Message:
    """Store the reply in the thread with its outbox row; the mail leaves after the commit, never inside it.

    A slow or dead mail server cannot hold a database transaction open or undo the record of the reply: the
    outbox row says whether it was sent, and the task retries a server that is down (``outbound_mail_send``).
    ``seen_outbound_id`` is the newest reply the agent saw (``ticket_last_outbound_id`` when the page was
    drawn): a newer one raises ReplyConflict and nothing is sent. The ticket then waits for the customer, or
    closes (``workflow``, "send and close"); either way its version moves on and the log names the agent.
    """
    if not ticket.customer_email:
        raise ReplyNotSent("the ticket has no customer address to reply to")
    last = ticket.messages.filter(direction=Message.Direction.INBOUND).order_by("-sent_at", "-id").first()
    references = (last.references.split() + [last.message_id]) if last else []
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "kyctriage.invalid"
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)  # two agents' sends queue up here
        if seen_outbound_id is not None and ticket_last_outbound_id(ticket.pk) > seen_outbound_id:
            raise ReplyConflict(Message.objects.filter(ticket=ticket, direction=Message.Direction.OUTBOUND)
                                .select_related("author").order_by("-pk").first())
        message = Message.objects.create(
            ticket=ticket, direction=Message.Direction.OUTBOUND, message_id=make_msgid(domain=domain),
            in_reply_to=last.message_id if last else "", references=" ".join(references[-20:]),
            from_address=parseaddr(settings.DEFAULT_FROM_EMAIL)[1], to_addresses=ticket.customer_email,
            subject=reply_subject(ticket, subject), text_body=body, text_clean=body, author=user,
            sent_at=timezone.now(),
        )
        outbound = OutboundMail.objects.create(message=message)
        version = locked.version + 1
        Ticket.objects.filter(pk=ticket.pk).update(
            workflow=workflow, updated_at=timezone.now(), version=version,
            waiting_since=None, due_at=None,  # answered: nobody waits on us until the customer writes again
            closed_at=timezone.now() if workflow == Ticket.Workflow.CLOSED else None)
        activity_record(ticket.pk, TicketActivity.Kind.REPLY, user=user, version=version, message=message.pk)
        if locked.workflow != workflow:
            activity_record(ticket.pk, TicketActivity.Kind.STATUS, user=user, version=version,
                            old=locked.workflow, new=workflow)
        ticket.version, ticket.workflow = version, workflow
        transaction.on_commit(lambda: _dispatch(outbound.pk))
    return message


def _dispatch(outbound_id: int) -> None:
    from kombu.exceptions import OperationalError as BrokerError

    from .. import tasks

    try:
        tasks.outbound_mail_send.delay(outbound_id)
    except BrokerError as exc:  # the row stays pending; outbound_mail_requeue sends it once the broker is back
        log.warning("broker unreachable, reply %s stays in the outbox: %s", outbound_id, exc)


def _email(message: Message) -> EmailMessage:
    headers = {"Message-ID": message.message_id}
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
    if message.references:
        headers["References"] = message.references
    return EmailMessage(subject=message.subject, body=message.text_body, from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[message.to_addresses], headers=headers)


def outbound_mail_send(outbound_id: int) -> str:
    """Send one outbox row over SMTP, outside any transaction; a row already sent is left alone.

    A server that is down or answers 4xx raises MailServerUnavailable (the task retries it with backoff);
    a refusal (5xx) raises ReplyNotSent and the row ends failed with the server's answer.
    """
    with transaction.atomic():
        outbound = OutboundMail.objects.select_for_update().filter(pk=outbound_id).first()
        if outbound is None:
            return "gone"
        if outbound.state == OutboundMail.State.SENT:
            return "already sent"
        outbound.attempts += 1
        outbound.save(update_fields=["attempts"])
    email = _email(Message.objects.get(pk=outbound.message_id))
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPResponseException as exc:
        _outbound_error(outbound_id, exc)
        if isinstance(exc, smtplib.SMTPConnectError) or 400 <= exc.smtp_code < 500:
            raise MailServerUnavailable("the mail server deferred the reply (%s)" % exc) from exc
        raise ReplyNotSent("the mail server refused the reply (%s)" % exc) from exc
    except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError) as exc:
        _outbound_error(outbound_id, exc)
        raise MailServerUnavailable("the mail server could not be reached (%s: %s)" % (type(exc).__name__, exc)) \
            from exc
    except OSError as exc:  # smtplib.SMTPException is an OSError too: a refused recipient, a TLS failure ...
        _outbound_error(outbound_id, exc)
        raise ReplyNotSent("the mail server did not accept the reply (%s: %s)" % (type(exc).__name__, exc)) from exc
    OutboundMail.objects.filter(pk=outbound_id).update(state=OutboundMail.State.SENT, sent_at=timezone.now(),
                                                       error="")
    return "sent"


def _outbound_error(outbound_id: int, exc: Exception) -> None:
    OutboundMail.objects.filter(pk=outbound_id).update(error="%s: %s" % (type(exc).__name__, exc))


def outbound_mail_failed(outbound_id: int, reason: str) -> None:
    """The reply could not be sent for good: the row says so, with the reason, for the agent to act on."""
    OutboundMail.objects.filter(pk=outbound_id).exclude(state=OutboundMail.State.SENT).update(
        state=OutboundMail.State.FAILED,
        error="%s. Check EMAIL_HOST and the address, then send the reply again." % reason)


def outbound_mail_requeue(now=None) -> int:
    """Queue again the replies left pending (the broker was down when they were written); beat runs this."""
    now = now or timezone.now()
    ids = list(OutboundMail.objects.filter(state=OutboundMail.State.PENDING,
                                           created_at__lt=now - timezone.timedelta(minutes=5))
               .values_list("pk", flat=True)[:500])
    for outbound_id in ids:
        _dispatch(outbound_id)
    return len(ids)
