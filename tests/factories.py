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
