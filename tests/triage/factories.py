"""Small builders for triage facts, so tests read as the ticket they describe."""

from __future__ import annotations

from tickets.triage.types import AttachmentFacts, TicketFacts


def ticket(body: str = "", subject: str = "", *attachments: AttachmentFacts, name: str = "") -> TicketFacts:
    return TicketFacts(subject=subject, body=body, attachments=tuple(attachments), customer_name=name)


def screenshot(*lines: str, filename: str = "screen.png") -> AttachmentFacts:
    return AttachmentFacts(filename, "screenshot", (), {}, tuple(lines))


def document(*defects: str, filename: str = "passport.jpg", **details: dict) -> AttachmentFacts:
    return AttachmentFacts(filename, "id_document", tuple(defects), dict(details), ())


def selfie(*defects: str, filename: str = "selfie.jpg", **details: dict) -> AttachmentFacts:
    return AttachmentFacts(filename, "selfie", tuple(defects), dict(details), ())
