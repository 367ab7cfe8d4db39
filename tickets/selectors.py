"""Reads: what triage sees of a ticket, what the admin lists, what export_tickets emits."""

from django.db.models import Prefetch, QuerySet

from .models import Attachment, AttachmentDefect, CategoryAssignment, Message, SuggestedReply, Ticket


def ticket_facts(ticket: Ticket):
    """The customer's words and the findings of the attachments, as the pure triage package takes them."""
    from .triage.types import AttachmentFacts, TicketFacts

    inbound = list(ticket.messages.filter(direction=Message.Direction.INBOUND).order_by("sent_at", "id"))
    body = "\n\n".join(m.text_clean or m.text_body for m in inbound).strip()
    attachments = []
    for att in ticket.attachments.prefetch_related("defects").order_by("id"):
        defects = list(att.defects.all())
        attachments.append(AttachmentFacts(
            filename=att.filename,
            kind=att.kind or "other",
            defects=tuple(d.code for d in defects),
            defect_details={d.code: d.details for d in defects},
            ocr_lines=tuple(line.get("text", "") for line in att.ocr_lines or [] if line.get("text")),
        ))
    return TicketFacts(subject=ticket.subject, body=body, attachments=tuple(attachments),
                       customer_name=ticket.customer_name)


def ticket_list_for_export() -> QuerySet[Ticket]:
    """Every ticket, oldest first, with what the export prints prefetched in a fixed number of queries."""
    return (
        Ticket.objects.order_by("received_at", "id")
        .prefetch_related(
            Prefetch("categories", queryset=CategoryAssignment.objects.filter(applied=True)
                     .order_by("-confidence", "code")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("id").prefetch_related(
                Prefetch("defects", queryset=AttachmentDefect.objects.order_by("id")))),
            Prefetch("suggested_replies", queryset=SuggestedReply.objects.order_by("rank")),
            Prefetch("messages", queryset=Message.objects.filter(direction=Message.Direction.INBOUND)
                     .order_by("sent_at", "id")),
        )
    )


def ticket_export_row(ticket: Ticket, *, unmasked: bool = False) -> dict:
    """One ticket in the contract's JSON shape (triage-contract.md §3); identity data masked unless asked."""
    from .masking import mask_sensitive
    from .triage.evidence import english as evidence_english

    shown = (lambda text: text) if unmasked else mask_sensitive
    inbound = list(ticket.messages.all())
    first = inbound[0] if inbound else None
    return {
        "id": ticket.pk,
        "reference": ticket.reference,
        "message_id": first.message_id if first else "",
        "from": ticket.customer_email,
        "subject": ticket.subject,
        "received_at": ticket.received_at.isoformat(),
        "language": ticket.language,
        "status": ticket.status,
        "status_reason": ticket.status_reason,
        "categories": [
            {"code": c.code, "confidence": c.confidence, "evidence": [evidence_english(e) for e in c.evidence or []]}
            for c in ticket.categories.all()
        ],
        "attachments": [
            {"filename": a.filename, "content_type": a.content_type or a.declared_content_type,
             "kind": a.kind or "other", "ocr_text": shown(a.ocr_text),
             "defects": [d.code for d in a.defects.all()], "metrics": a.metrics}
            for a in ticket.attachments.all()
        ],
        "suggested_replies": [
            {"template": r.template_code, "language": r.language, "subject": r.subject, "body": r.body}
            for r in ticket.suggested_replies.all()
        ],
    }
