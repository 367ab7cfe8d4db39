"""Ingestion service: store first, dedupe by the database, thread replies, quarantine what cannot be parsed."""

import pytest

from tickets.models import Attachment, IncomingMail, Message, Ticket
from tickets.services.ingest import incoming_process

from ..factories import build_email

pytestmark = pytest.mark.django_db


def test_a_new_message_becomes_a_ticket_with_its_raw_bytes_kept(ingest):
    raw = build_email(subject="认证失败", body="上传失败了", sender="王伟 <wang@example.cn>")
    outcome = ingest(raw)
    assert outcome.state == "ingested"
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    assert ticket.subject == "认证失败"
    assert ticket.customer_email == "wang@example.cn"
    assert ticket.customer_name == "王伟"
    assert ticket.reference == "KYC-%06d" % ticket.pk
    incoming = IncomingMail.objects.get()
    assert incoming.state == IncomingMail.State.INGESTED
    with incoming.raw.open("rb") as handle:
        assert handle.read() == raw


def test_the_same_bytes_delivered_twice_make_one_ticket(ingest):
    raw = build_email()
    assert ingest(raw).state == "ingested"
    second = ingest(raw)
    assert second.state == "duplicate"
    assert Ticket.objects.count() == 1
    assert IncomingMail.objects.count() == 1


def test_the_same_message_relayed_with_other_transport_headers_is_a_duplicate(ingest):
    """Other bytes (a Received line, CRLF line ends) but the same message: one ticket (issue 12)."""
    raw = build_email(body="first")
    ingest(raw)
    relayed = b"Received: from relay.example.net by mx.example.com; Tue, 1 Dec 2026 10:00:00 +0000\r\n"
    outcome = ingest(relayed + raw.replace(b"\n", b"\r\n"))
    assert outcome.state == "duplicate"
    assert "already ingested" in outcome.reason
    assert Ticket.objects.count() == 1
    assert IncomingMail.objects.filter(state=IncomingMail.State.DUPLICATE).count() == 1


def test_the_same_message_id_with_other_content_is_kept_unprocessed_and_can_be_processed_as_new(ingest, caplog):
    """Contract §3 skips a Message-ID seen before; a reused id with other content is not lost (issue 12): it is
    kept with that reason, and an agent can process it as a new message."""
    from tickets.services.ingest import incoming_process

    first = ingest(build_email(body="first"))
    with caplog.at_level("INFO", logger="tickets.services.ingest"):
        outcome = ingest(build_email(body="a different message that reuses the id"))
    assert outcome.state == "duplicate" and outcome.ticket_id == first.ticket_id
    assert Ticket.objects.count() == 1
    kept = IncomingMail.objects.get(pk=outcome.incoming_id)
    assert kept.state == IncomingMail.State.DUPLICATE and "content is different" in kept.reason and kept.raw
    assert "seen before with different content" in caplog.text

    again = incoming_process(kept.pk, reused_id_is_new=True)
    assert again.state == "ingested"
    assert Ticket.objects.count() == 2
    assert Message.objects.filter(message_id="<m1@example.com>").count() == 2
    second = Message.objects.get(ticket_id=again.ticket_id)
    assert any("different content" in w for w in second.warnings)


def test_a_reply_threads_onto_its_ticket_and_reopens_it(ingest):
    first = ingest(build_email(message_id="<a@example.com>"))
    Ticket.objects.filter(pk=first.ticket_id).update(workflow=Ticket.Workflow.CLOSED)
    reply = ingest(build_email(message_id="<b@example.com>", subject="Re: KYC failed",
                               headers={"In-Reply-To": "<a@example.com>", "References": "<a@example.com>"}))
    assert reply.state == "threaded"
    assert reply.ticket_id == first.ticket_id
    ticket = Ticket.objects.get(pk=first.ticket_id)
    assert ticket.workflow == Ticket.Workflow.OPEN
    assert ticket.messages.count() == 2


def test_the_ticket_reference_in_the_subject_threads_a_reply(ingest):
    first = ingest(build_email(message_id="<c@example.com>"))
    reference = Ticket.objects.get(pk=first.ticket_id).reference
    reply = ingest(build_email(message_id="<d@example.com>", subject="Re: [%s] still failing" % reference))
    assert reply.state == "threaded"
    assert reply.ticket_id == first.ticket_id


def test_automatic_replies_do_not_create_tickets(ingest):
    outcome = ingest(build_email(headers={"Auto-Submitted": "auto-replied"}, subject="Out of office"))
    assert outcome.state == "ignored"
    assert Ticket.objects.count() == 0
    assert IncomingMail.objects.get().state == IncomingMail.State.IGNORED


def test_a_message_that_cannot_be_parsed_is_quarantined_with_its_reason(ingest):
    outcome = ingest(b"")
    assert outcome.state == "quarantined"
    incoming = IncomingMail.objects.get()
    assert incoming.state == IncomingMail.State.QUARANTINED
    assert incoming.reason
    assert Ticket.objects.count() == 0


def test_a_quarantined_message_can_be_processed_again(ingest, monkeypatch):
    import tickets.ingest.parser as parser

    real = parser.parse_message
    monkeypatch.setattr(parser, "parse_message", lambda raw, limits=None: (_ for _ in ()).throw(
        parser.UnparseableMessage("simulated parser outage")))
    outcome = ingest(build_email())
    assert outcome.state == "quarantined"
    assert "simulated" in IncomingMail.objects.get().reason
    monkeypatch.setattr(parser, "parse_message", real)
    again = incoming_process(outcome.incoming_id)
    assert again.state == "ingested"
    assert IncomingMail.objects.get().state == IncomingMail.State.INGESTED


def test_an_oversized_attachment_is_recorded_and_skipped_but_the_ticket_is_created(ingest, settings):
    settings.KYCTRIAGE_MAX_ATTACHMENT_BYTES = 1000
    outcome = ingest(build_email(attachments=[("big.bin", b"x" * 5000, "application/octet-stream")]))
    assert outcome.state == "ingested"
    attachment = Attachment.objects.get()
    assert attachment.analysis_status == Attachment.AnalysisStatus.SKIPPED
    assert attachment.skipped_reason
    assert not attachment.file
    assert attachment.defect_codes == ["file_too_large"]


def test_attachments_are_stored_privately_not_under_a_public_url(ingest, settings):
    ingest(build_email(attachments=[("note.txt", b"hello", "text/plain")]))
    attachment = Attachment.objects.get()
    assert attachment.file.path.startswith(str(settings.DATA_DIR))
    assert attachment.sha256
    with attachment.file.open("rb") as handle:
        assert handle.read() == b"hello"
    assert Message.objects.get().attachments.count() == 1


def test_a_reply_to_a_merged_ticket_lands_on_the_ticket_it_was_merged_into(ingest):
    from tickets.services.tickets import tickets_merge

    first = Ticket.objects.get(pk=ingest(build_email(message_id="<m-a@example.com>")).ticket_id)
    second = Ticket.objects.get(pk=ingest(build_email(message_id="<m-b@example.com>", body="again")).ticket_id)
    tickets_merge(first, [second])
    reply = ingest(build_email(message_id="<m-c@example.com>", subject="Re: [%s] any news?" % second.reference))
    assert reply.state == "threaded" and reply.ticket_id == first.pk


def test_parts_over_the_attachment_limit_become_one_attachment_row(ingest, settings):
    """Hundreds of parts over the limit: the first ones stored, ONE skipped row for the rest, not hundreds."""
    from tickets.models import Attachment

    settings.KYCTRIAGE_MAX_ATTACHMENTS = 3
    parts = [("part%d.txt" % n, b"x", "text/plain") for n in range(400)]
    outcome = ingest(build_email(message_id="<many-parts@example.com>", attachments=parts))
    rows = list(Attachment.objects.filter(ticket_id=outcome.ticket_id).order_by("id"))
    assert len(rows) == 4
    assert rows[-1].analysis_status == Attachment.AnalysisStatus.SKIPPED
    assert "397 more" in rows[-1].skipped_reason
