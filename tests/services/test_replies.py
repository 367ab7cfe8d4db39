"""Replies go out over real SMTP with threading headers, are kept in the thread, and answers thread back."""

import pytest

from tickets.models import Message, Ticket
from tickets.services.replies import ReplyNotSent, reply_send

from ..factories import build_email
from ..smtpserver import smtp_server  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_reply_is_sent_with_reference_and_threading_headers(ingest, smtp_server):
    outcome = ingest(build_email(message_id="<q1@example.com>", subject="护照照片被拒"))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)

    sent = reply_send(ticket, body="您好，请重新拍摄护照照片。")

    mail_from, rcpt, received = smtp_server.messages[0]
    assert rcpt == ["ann@example.com"]
    assert "[%s]" % ticket.reference in received["Subject"]
    assert received["In-Reply-To"] == "<q1@example.com>"
    assert "<q1@example.com>" in received["References"]
    assert received["Message-ID"] == sent.message_id
    assert "请重新拍摄" in received.get_content()
    assert sent.direction == Message.Direction.OUTBOUND
    ticket.refresh_from_db()
    assert ticket.workflow == Ticket.Workflow.WAITING


def test_the_customers_answer_threads_back_onto_the_ticket(ingest, smtp_server):
    outcome = ingest(build_email(message_id="<q2@example.com>"))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    sent = reply_send(ticket, body="Please retake the photo.")
    answer = ingest(build_email(message_id="<q3@example.com>", subject="Re: whatever",
                                headers={"In-Reply-To": sent.message_id}))
    assert answer.state == "threaded"
    assert answer.ticket_id == ticket.pk
    assert ticket.messages.count() == 3


def test_an_unreachable_mail_server_raises_a_clear_error_and_records_nothing(ingest, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    outcome = ingest(build_email(message_id="<q4@example.com>"))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    with pytest.raises(ReplyNotSent, match="did not accept"):
        reply_send(ticket, body="hello")
    assert not ticket.messages.filter(direction=Message.Direction.OUTBOUND).exists()
