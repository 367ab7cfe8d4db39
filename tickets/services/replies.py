"""Sending an agent's reply: threaded headers, the ticket reference in the subject, kept in the thread."""

from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from ..models import Message, Ticket


class ReplyNotSent(Exception):
    """The mail server refused or could not be reached; nothing was recorded as sent."""


def reply_subject(ticket: Ticket, subject: str) -> str:
    """ "Re: <subject> [KYC-000123]" with one prefix and one tag, whatever the agent or the template left."""
    from ..triage.replies import thread_subject

    return thread_subject(subject or ticket.subject or "", ticket.reference)


def reply_send(ticket: Ticket, *, body: str, subject: str = "", user=None) -> Message:
    """Send a reply to the customer over SMTP and store it as an outbound message of the thread."""
    if not ticket.customer_email:
        raise ReplyNotSent("the ticket has no customer address to reply to")
    last = ticket.messages.filter(direction=Message.Direction.INBOUND).order_by("-sent_at", "-id").first()
    references = (last.references.split() + [last.message_id]) if last else []
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "kyctriage.invalid"
    message_id = make_msgid(domain=domain)
    subject = reply_subject(ticket, subject)
    headers = {"Message-ID": message_id}
    if last:
        headers["In-Reply-To"] = last.message_id
        headers["References"] = " ".join(references[-20:])
    email = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                         to=[ticket.customer_email], headers=headers)
    with transaction.atomic():
        message = Message.objects.create(
            ticket=ticket, direction=Message.Direction.OUTBOUND, message_id=message_id,
            in_reply_to=headers.get("In-Reply-To", ""), references=headers.get("References", ""),
            from_address=parseaddr(settings.DEFAULT_FROM_EMAIL)[1], to_addresses=ticket.customer_email,
            subject=subject, text_body=body, text_clean=body, author=user, sent_at=timezone.now(),
        )
        Ticket.objects.filter(pk=ticket.pk).update(workflow=Ticket.Workflow.WAITING, updated_at=timezone.now())
        try:
            email.send(fail_silently=False)
        except Exception as exc:  # smtplib and socket errors: the transaction rolls back, nothing is "sent"
            raise ReplyNotSent("the mail server did not accept the reply (%s: %s); check EMAIL_HOST and "
                               "try again" % (type(exc).__name__, exc)) from exc
    return message
