"""Replies go out over real SMTP with threading headers, through an outbox row sent after the commit, are kept
in the thread, and answers thread back."""

from datetime import timedelta

import pytest

from tickets.models import Message, OutboundMail, Ticket
from tickets.services.replies import outbound_mail_requeue, reply_send

from ..factories import build_email
from ..smtpserver import smtp_server  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_reply_is_sent_with_reference_and_threading_headers(ingest, on_commit, smtp_server):
    outcome = ingest(build_email(message_id="<q1@example.com>", subject="护照照片被拒"))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)

    sent = on_commit(reply_send, ticket, body="您好，请重新拍摄护照照片。")

    mail_from, rcpt, received = smtp_server.messages[0]
    assert rcpt == ["ann@example.com"]
    assert "[%s]" % ticket.reference in received["Subject"]
    assert received["In-Reply-To"] == "<q1@example.com>"
    assert "<q1@example.com>" in received["References"]
    assert received["Message-ID"] == sent.message_id
    assert "请重新拍摄" in received.get_content()
    assert sent.direction == Message.Direction.OUTBOUND
    outbound = OutboundMail.objects.get(message=sent)
    assert outbound.state == OutboundMail.State.SENT and outbound.attempts == 1
    ticket.refresh_from_db()
    assert ticket.workflow == Ticket.Workflow.WAITING


def test_the_customers_answer_threads_back_onto_the_ticket(ingest, on_commit, smtp_server):
    outcome = ingest(build_email(message_id="<q2@example.com>"))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    sent = on_commit(reply_send, ticket, body="Please retake the photo.")
    answer = ingest(build_email(message_id="<q3@example.com>", subject="Re: whatever",
                                headers={"In-Reply-To": sent.message_id}))
    assert answer.state == "threaded"
    assert answer.ticket_id == ticket.pk
    assert ticket.messages.count() == 3


def test_no_mail_leaves_inside_the_transaction_that_records_the_reply(ingest, smtp_server,
                                                                       django_capture_on_commit_callbacks):
    outcome = ingest(build_email(message_id="<q5@example.com>"))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = reply_send(ticket, body="hello")
        assert not smtp_server.messages, "SMTP ran inside the database transaction"
    assert OutboundMail.objects.get(message=sent).state == OutboundMail.State.PENDING
    assert not smtp_server.messages
    for callback in callbacks:  # the commit
        callback()
    assert len(smtp_server.messages) == 1
    assert OutboundMail.objects.get(message=sent).state == OutboundMail.State.SENT


def test_an_unreachable_mail_server_keeps_the_reply_with_its_reason_and_it_is_sent_later(ingest, on_commit,
                                                                                         settings, smtp_server):
    port = settings.EMAIL_PORT
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    outcome = ingest(build_email(message_id="<q4@example.com>"))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)

    sent = on_commit(reply_send, ticket, body="hello")

    outbound = OutboundMail.objects.get(message=sent)
    assert outbound.state == OutboundMail.State.FAILED
    assert outbound.attempts == 6, "retried (in-process: at once) before giving up"
    assert "could not be reached" in outbound.error and "EMAIL_HOST" in outbound.error
    assert not smtp_server.messages

    settings.EMAIL_PORT = port
    OutboundMail.objects.filter(pk=outbound.pk).update(state=OutboundMail.State.PENDING,
                                                       created_at=outbound.created_at - timedelta(hours=1))
    assert on_commit(outbound_mail_requeue) == 1
    outbound.refresh_from_db()
    assert outbound.state == OutboundMail.State.SENT
    assert len(smtp_server.messages) == 1


def test_a_reply_without_an_address_is_refused_before_anything_is_stored(ingest):
    from tickets.services.replies import ReplyNotSent

    outcome = ingest(build_email(message_id="<q6@example.com>"))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    ticket.customer_email = ""
    with pytest.raises(ReplyNotSent, match="no customer address"):
        reply_send(ticket, body="hello")
    assert not OutboundMail.objects.exists()
