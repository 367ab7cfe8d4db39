"""A support notice the customer forwards is what they ask about when their own words name no cause."""

import pytest

from tickets.models import Ticket
from tickets.selectors import ticket_facts

from ..factories import build_email

pytestmark = pytest.mark.django_db

FORWARDED = (
    "Hi, forwarding the mail I got. I don't understand it, it's me in the selfie and me in the passport.\n\n"
    "> From: Verification Team\n"
    "> Reason: The face in your selfie could not be matched with the photo on your identity document.\n"
    "> Please try again.\n"
)


def test_the_forwarded_notice_reaches_triage_beside_the_customers_own_words(ingest):
    ticket = Ticket.objects.get(pk=ingest(build_email(subject="Fwd: verification unsuccessful", body=FORWARDED)).ticket_id)
    facts = ticket_facts(ticket, unmasked=True)
    assert "could not be matched" not in facts.body  # the customer's own words stay their own
    assert "could not be matched" in facts.as_sent
    assert [c.code for c in ticket.categories.all()] == ["face_document_mismatch"]


def test_own_words_without_quotes_leave_nothing_else_to_read(ingest):
    raw = build_email(subject="Passport rejected", body="My passport photo was rejected for glare.",
                      message_id="<m2@example.com>")
    ticket = Ticket.objects.get(pk=ingest(raw).ticket_id)
    assert ticket_facts(ticket, unmasked=True).as_sent == ""
