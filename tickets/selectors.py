"""Reads: what triage sees of a ticket, what the admin lists, what export_tickets emits."""

from django.db.models import Prefetch, QuerySet

from .models import Attachment, AttachmentDefect, CategoryAssignment, Message, SuggestedReply, Ticket


def ticket_facts(ticket: Ticket, *, unmasked: bool = False):
    """The customer's words and the findings of the attachments, as the pure triage package takes them.

    unmasked: the text as written (from the encrypted vault), so triage reads "passport number E1234567 does
    not match" as the customer wrote it; what triage stores is masked again (services/triage.py).
    """
    from .services.masking import unmasked_attachment, unmasked_message
    from .triage.types import AttachmentFacts, TicketFacts

    inbound = list(ticket.messages.filter(direction=Message.Direction.INBOUND).order_by("sent_at", "id"))
    texts = [unmasked_message(m) if unmasked else {"text_clean": m.text_clean, "text_body": m.text_body,
                                                   "subject": m.subject} for m in inbound]
    body = "\n\n".join(t["text_clean"] or t["text_body"] for t in texts).strip()
    as_sent = "\n\n".join(t["text_body"] or t["text_clean"] for t in texts).strip()
    subject = texts[0]["subject"] if unmasked and texts else ticket.subject
    attachments = []
    for att in ticket.attachments.prefetch_related("defects").order_by("id"):
        defects = list(att.defects.all())
        lines = unmasked_attachment(att)["ocr_lines"] if unmasked else att.ocr_lines
        attachments.append(AttachmentFacts(
            filename=att.filename,
            kind=att.kind or "other",
            defects=tuple(d.code for d in defects),
            defect_details={d.code: d.details for d in defects},
            ocr_lines=tuple(line.get("text", "") for line in lines or [] if line.get("text")),
        ))
    return TicketFacts(subject=subject, body=body, attachments=tuple(attachments),
                       customer_name=ticket.customer_name, as_sent=as_sent if as_sent != body else "")


def ticket_next_for_agent(user, *, after: int):
    """The next ticket in the agent's queue order ("send and next"): open, theirs or nobody's, oldest first."""
    from django.db.models import Q

    return (Ticket.objects.filter(workflow=Ticket.Workflow.OPEN, merged_into__isnull=True)
            .filter(Q(assignee=user) | Q(assignee__isnull=True)).exclude(pk=after)
            .order_by("received_at", "id").values_list("pk", flat=True).first())


def ticket_customer_others(ticket: Ticket, limit: int = 8) -> list[Ticket]:
    """The customer's other tickets (same sender address), newest first: a card, not a search."""
    if not ticket.customer_email:
        return []
    return list(Ticket.objects.filter(customer_email=ticket.customer_email).exclude(pk=ticket.pk)
                .only("id", "subject", "workflow", "received_at").order_by("-received_at", "-id")[:limit])


def ticket_identity_values(facts) -> set[str]:
    """The identity values in a ticket's unmasked facts (numbers, dates of birth, also below their label)."""
    from .masking import identity_values

    lines = [facts.subject, *facts.body.splitlines()]
    for attachment in facts.attachments:
        lines += list(attachment.ocr_lines)
    return identity_values(None, lines)


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
    from .masking import mask_evidence, mask_text
    from .services.masking import unmasked_attachment, unmasked_message
    from .triage.evidence import english as evidence_english

    inbound = list(ticket.messages.all())
    first = inbound[0] if inbound else None
    # stored masked since it was written; masked again here for rows written before that
    if unmasked:
        subject = unmasked_message(first)["subject"] if first else ticket.subject
        ocr_text = lambda a: unmasked_attachment(a)["ocr_text"]  # noqa: E731
        evidence = list
    else:
        subject = mask_text(ticket.subject)
        ocr_text = lambda a: mask_text(a.ocr_text)  # noqa: E731
        evidence = mask_evidence
    return {
        "id": ticket.pk,
        "reference": ticket.reference,
        "message_id": first.message_id if first else "",
        "from": ticket.customer_email,
        "subject": subject,
        "received_at": ticket.received_at.isoformat(),
        "language": ticket.language,
        "status": ticket.status,
        "status_reason": ticket.status_reason,
        "categories": [
            {"code": c.code, "confidence": c.confidence,
             "evidence": [evidence_english(e) for e in evidence(c.evidence or [])]}
            for c in ticket.categories.all()
        ],
        "attachments": [
            {"filename": a.filename, "content_type": a.content_type or a.declared_content_type,
             "kind": a.kind or "other", "ocr_text": ocr_text(a),
             "defects": [d.code for d in a.defects.all()], "metrics": a.metrics}
            for a in ticket.attachments.all()
        ],
        "suggested_replies": [
            {"template": r.template_code, "language": r.language, "subject": r.subject, "body": r.body}
            for r in ticket.suggested_replies.all()
        ],
    }
