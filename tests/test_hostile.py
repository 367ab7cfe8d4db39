"""Hostile input is rejected or quarantined with a clear reason, and the desk keeps working afterwards."""

import pytest

from tickets.models import Attachment, IncomingMail, Ticket

from .factories import build_email
from .samples.hostile import hostile_attachments, hostile_emails

pytestmark = pytest.mark.django_db

ATTACHMENTS = hostile_attachments()
EMAILS = hostile_emails()


@pytest.mark.parametrize("case,filename,payload,expected", ATTACHMENTS, ids=[a[0] for a in ATTACHMENTS])
def test_a_hostile_attachment_ends_with_a_defect_and_a_reason(ingest, case, filename, payload, expected):
    outcome = ingest(build_email(message_id="<%s@example.com>" % case.replace(" ", "-"),
                                 attachments=[(filename, payload, "image/jpeg")]))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    attachment = Attachment.objects.get(ticket=ticket)
    assert set(attachment.defect_codes) & expected, (case, attachment.defect_codes, attachment.analysis_error)
    assert attachment.analysis_error or attachment.skipped_reason, "the reason is kept"
    assert ticket.status == "triaged", ticket.status_reason


@pytest.mark.parametrize("case,raw", EMAILS, ids=[e[0] for e in EMAILS])
def test_a_hostile_email_is_ingested_or_quarantined_with_a_reason(ingest, case, raw):
    outcome = ingest(raw)
    assert outcome.state in ("ingested", "quarantined"), (case, outcome)
    incoming = IncomingMail.objects.get()
    if outcome.state == "quarantined":
        assert incoming.reason
    else:
        ticket = Ticket.objects.get(pk=outcome.ticket_id)
        assert ticket.status in ("triaged", "failed")
        for attachment in ticket.attachments.all():
            assert "/" not in attachment.filename and "\x00" not in attachment.filename
        for message in ticket.messages.all():
            assert "<script" not in message.html_sanitized and "onerror" not in message.html_sanitized
            assert "\x1b" not in message.subject and "\x07" not in message.subject


def test_a_50_mb_attachment_is_recorded_and_skipped_but_the_ticket_is_created(ingest):
    outcome = ingest(dict(EMAILS)["50 MB attachment"])
    attachment = Attachment.objects.get(ticket_id=outcome.ticket_id)
    assert attachment.analysis_status == "skipped" and attachment.skipped_reason
    assert "file_too_large" in attachment.defect_codes
    assert not attachment.file


def test_after_the_whole_hostile_corpus_a_normal_ticket_is_still_triaged(ingest):
    for case, raw in EMAILS:
        ingest(raw)
    for case, filename, payload, _ in ATTACHMENTS:
        ingest(build_email(message_id="<after-%s@example.com>" % case.replace(" ", "-"),
                           attachments=[(filename, payload, "image/png")]))
    outcome = ingest(build_email(message_id="<normal@example.com>", body="my verification is under review"))
    ticket = Ticket.objects.get(pk=outcome.ticket_id)
    assert ticket.status == "triaged"
    assert ticket.categories.filter(code="review_pending").exists()
