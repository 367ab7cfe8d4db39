"""Issue 12 in the service: arrival time from our side, the Date header kept apart, duplicates by content,
empty messages ignored, mbox counts reported, no broker warning without a broker."""

import io
import logging
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone as dj_timezone

from tickets.crypto import secret_encrypt
from tickets.models import Attachment, AttachmentDefect, IncomingMail, Mailbox, Message, Ticket
from tickets.services.ingest import message_ingest
from tickets.services.mailboxes import mailbox_fetch

from ..factories import build_email
from ..imapserver import dovecot_server  # noqa: F401

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "emails"


@pytest.fixture
def ingest_at(django_capture_on_commit_callbacks):
    """Ingest as production does (on-commit queueing runs in-process), with an optional arrival time."""
    def run(raw: bytes, received_at=None, source: str = "test"):
        with django_capture_on_commit_callbacks(execute=True):
            return message_ingest(raw, source=source, received_at=received_at)
    return run


def test_a_backdated_date_header_is_kept_apart_and_arrival_is_now(ingest_at):
    before = dj_timezone.now()
    outcome = ingest_at((SAMPLES / "backdated_date_header.eml").read_bytes())
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    message = ticket.messages.get()
    assert before <= ticket.received_at <= dj_timezone.now()
    assert message.sent_at == ticket.received_at == IncomingMail.objects.get().received_at
    assert message.date_header == datetime(2021, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_the_arrival_time_a_source_gives_is_the_tickets(ingest_at):
    arrived = datetime(2026, 11, 20, 7, 30, tzinfo=timezone.utc)
    outcome = ingest_at(build_email(date=datetime(3609, 1, 1, tzinfo=timezone.utc)), received_at=arrived)
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    assert ticket.received_at == arrived
    assert ticket.messages.get().sent_at == arrived


def test_the_expiry_check_compares_with_arrival_not_the_senders_date(ingest_at):
    """A document that expired in 2023, sent with a 2022 Date header, arriving now: it is expired."""
    from demo.images import make_attachment

    name, data, content_type = make_attachment({"type": "id_document", "defects": ["expired_document"]})
    raw = build_email(message_id="<expiry@example.com>", date=datetime(2022, 1, 1, tzinfo=timezone.utc),
                      attachments=[(name, data, content_type)])
    outcome = ingest_at(raw)
    attachment = Attachment.objects.get(ticket_id=outcome.ticket_id)
    assert attachment.expiry_date == date(2023, 3, 1)
    assert AttachmentDefect.objects.filter(attachment=attachment, code="expired_document").exists()


def test_ingest_email_names_an_empty_message_and_why(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest_email", "--no-progress", str(SAMPLES / "empty_message.eml"), stdout=out, stderr=err)
    assert "empty_message.eml: not a ticket (automatic or empty message): the message is empty" in err.getvalue()
    assert "ingested 0" in out.getvalue() and "automatic 1" in out.getvalue()


def test_an_empty_message_is_ignored_with_its_reason(ingest_at):
    outcome = ingest_at((SAMPLES / "empty_message.eml").read_bytes())
    assert outcome.state == "ignored"
    assert "empty" in outcome.reason
    assert not Ticket.objects.exists()
    assert IncomingMail.objects.get().state == IncomingMail.State.IGNORED


def test_a_row_stored_before_content_digests_is_compared_by_its_raw_mail(ingest_at):
    from tickets.services.ingest import incoming_process

    """Messages ingested before the content_sha256 column: their raw mail decides duplicate or not."""
    raw = build_email(message_id="<legacy@example.com>", body="old message")
    ingest_at(raw)
    Message.objects.update(content_sha256="")
    relayed = b"Received: from relay.example.net; Tue, 1 Dec 2026 10:00:00 +0000\n" + raw
    assert ingest_at(relayed).state == "duplicate"
    other = build_email(message_id="<legacy@example.com>", body="another message, same id")
    kept = ingest_at(other)
    assert kept.state == "duplicate" and "content is different" in kept.reason  # contract §3: skipped, kept
    assert incoming_process(kept.incoming_id, reused_id_is_new=True).state == "ingested"
    assert Ticket.objects.count() == 2


def test_a_reply_to_a_reused_message_id_still_threads(ingest_at):
    """Two messages share an id; a reply to it joins the newer one's ticket."""
    from tickets.services.ingest import incoming_process

    ingest_at(build_email(message_id="<reused@example.com>", body="one"))
    kept = ingest_at(build_email(message_id="<reused@example.com>", body="two"))
    second = incoming_process(kept.incoming_id, reused_id_is_new=True)  # an agent decided it is a new message
    reply = ingest_at(build_email(message_id="<reply@example.com>", subject="Re: KYC failed",
                                  headers={"In-Reply-To": "<reused@example.com>"}))
    assert reply.state == "threaded"
    assert reply.ticket_id == second.ticket_id
    assert Ticket.objects.get(pk=reply.ticket_id).messages.count() == 2


def test_ingest_email_reports_each_mbox_and_uses_its_from_line_dates():
    out, err = io.StringIO(), io.StringIO()
    path = SAMPLES / "mbox" / "empty_message_inside.3.mbox"
    call_command("ingest_email", "--no-progress", str(path), stdout=out, stderr=err)
    assert "%s: mbox with 3 messages" % path in out.getvalue()
    assert "%s#2: could not be read: empty message in mbox" % path in err.getvalue()
    assert sorted(Ticket.objects.values_list("received_at", flat=True)) == [
        datetime(2026, 11, 26, 8, 0, 1, tzinfo=timezone.utc), datetime(2026, 11, 26, 8, 0, 3, tzinfo=timezone.utc)]


def test_imap_internaldate_is_the_arrival_time(dovecot_server, django_capture_on_commit_callbacks):
    name = dovecot_server.deliver((SAMPLES / "backdated_date_header.eml").read_bytes())
    arrived = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
    os.utime(os.path.join(dovecot_server.maildir, "new", name), (arrived.timestamp(), arrived.timestamp()))
    mailbox = Mailbox.objects.create(name="support", host=dovecot_server.host, port=dovecot_server.port,
                                     security="none", username=dovecot_server.username,
                                     password_encrypted=secret_encrypt(dovecot_server.password))
    with django_capture_on_commit_callbacks(execute=True):
        assert mailbox_fetch(mailbox.pk).fetched == 1
    ticket = Ticket.objects.get()
    assert ticket.received_at == arrived
    assert ticket.messages.get().date_header == datetime(2021, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_no_broker_means_no_kombu_hostname_warning(caplog):
    """Without CELERY_BROKER_URL tasks run eagerly and the producer they take is in-memory, with a host."""
    from django.conf import settings

    from kyctriage.celery import app

    assert settings.CELERY_TASK_ALWAYS_EAGER
    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        app.connection_for_write().clone()
    assert "No hostname" not in caplog.text


def test_the_arrival_time_survives_reprocessing_from_quarantine(ingest_at):
    """incoming_process (the admin's "process again") reads arrival from the stored mail, not the clock."""
    from tickets.services.ingest import incoming_process, mail_store

    arrived = dj_timezone.now() - timedelta(days=3)
    incoming, _ = mail_store(build_email(message_id="<later@example.com>"), source="test", received_at=arrived)
    outcome = incoming_process(incoming.pk)
    assert Ticket.objects.get(pk=outcome.ticket_id).received_at == arrived
