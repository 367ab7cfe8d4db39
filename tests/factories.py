"""Builders for test data: real RFC 822 messages and tickets made through the services."""

from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone


def build_email(*, subject="KYC failed", body="Hello, my verification failed.", sender="Ann Lee <ann@example.com>",
                message_id="<m1@example.com>", attachments=(), headers=None, date=None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "kyc@example.com"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or timezone.now())
    if message_id:
        msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    for filename, payload, content_type in attachments:
        maintype, subtype = content_type.split("/", 1)
        msg.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def make_ticket(*, subject="KYC failed", email="ann@example.com", categories=(("document_requirements", 0.9),),
                defects=(), ocr_text="", body="help", html="", received_at=None, language="en", status="triaged"):
    """A triaged ticket straight in the database, for admin and selector tests."""
    import uuid

    from tickets.models import Attachment, AttachmentDefect, CategoryAssignment, Message, Ticket
    from tickets.services.tickets import ticket_search_text_refresh

    ticket = Ticket.objects.create(subject=subject, customer_email=email, language=language, status=status,
                                   received_at=received_at or timezone.now())
    Message.objects.create(ticket=ticket, message_id="<%s@example.com>" % uuid.uuid4().hex, text_body=body,
                           text_clean=body, html_sanitized=html, from_address=email, subject=subject)
    for code, confidence in categories:
        CategoryAssignment.objects.create(ticket=ticket, code=code, confidence=confidence,
                                          evidence=["body: %s" % body[:20]], applied=confidence >= 0.6)
    if defects or ocr_text:
        attachment = Attachment.objects.create(
            ticket=ticket, filename="photo.jpg", kind="screenshot" if ocr_text else "id_document",
            ocr_text=ocr_text, ocr_lines=[{"text": line, "confidence": 90, "bbox": [0, 0, 1, 1]}
                                          for line in ocr_text.splitlines()],
            analysis_status="done")
        for code in defects:
            AttachmentDefect.objects.create(attachment=attachment, ticket=ticket, code=code,
                                            details={"ratio": 0.07, "region": "top-left"})
    ticket_search_text_refresh(ticket)
    return ticket
