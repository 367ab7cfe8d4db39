"""Identity data masked when it is written: messages at ingest, OCR after analysis, evidence at triage.

What agents, the queue search and the default export read is the masked text; the unmasked text goes into
the row's encrypted vault (tickets/vault.py) for supervisors. Findings of one attachment (an MRZ's number,
a date of birth) are hidden in the rest of the ticket too: the customer often types them in the mail.
"""

from collections.abc import Iterable

from ..masking import identity_values, mask_evidence, mask_lines, mask_mrz, mask_text
from ..models import Attachment, CategoryAssignment, Message, Ticket
from ..vault import vault_open, vault_seal

MESSAGE_FIELDS = ("subject", "text_body", "text_clean", "html_sanitized")


def message_fields_masked(values: Iterable[str] = (), **fields: str) -> dict:
    """Masked subject and bodies for a new Message, plus the vault with the originals when anything changed."""
    values = list(values)
    masked = {name: mask_text(text or "", values) for name, text in fields.items()}
    changed = {name: text for name, text in fields.items() if text and masked[name] != text}
    masked["unmasked_encrypted"] = vault_seal(changed) if changed else ""
    return masked


def attachment_findings_masked(*, ocr_text: str, ocr_lines: list[dict], mrz: dict | None) -> tuple[dict, set[str]]:
    """Masked OCR text, lines and MRZ of an analysis result, the vault of the originals, and the values found."""
    values = identity_values(mrz, [line.get("text", "") for line in ocr_lines])
    masked = {"ocr_text": mask_text(ocr_text, values), "ocr_lines": mask_lines(ocr_lines, values),
              "mrz": mask_mrz(mrz)}
    original = {"ocr_text": ocr_text, "ocr_lines": ocr_lines, "mrz": mrz}
    changed = {k: v for k, v in original.items() if v and masked[k] != v}
    masked["unmasked_encrypted"] = vault_seal(changed) if changed else ""
    return masked, values


def ticket_identity_values_hide(ticket_id: int, values: set[str], *, except_attachment: int | None = None) -> None:
    """Hide values one attachment revealed everywhere else in its ticket (mail, other OCR, evidence)."""
    if not values:
        return
    for message in Message.objects.filter(ticket_id=ticket_id):
        fields = {name: getattr(message, name) for name in MESSAGE_FIELDS}
        masked = {name: mask_text(text, values) for name, text in fields.items()}
        if masked == fields:
            continue
        vault = vault_open(message.unmasked_encrypted)
        vault.update({name: text for name, text in fields.items() if masked[name] != text and name not in vault})
        Message.objects.filter(pk=message.pk).update(unmasked_encrypted=vault_seal(vault), **masked)
    ticket = Ticket.objects.filter(pk=ticket_id).only("subject").first()
    if ticket is not None and mask_text(ticket.subject, values) != ticket.subject:
        Ticket.objects.filter(pk=ticket_id).update(subject=mask_text(ticket.subject, values))
    for att in Attachment.objects.filter(ticket_id=ticket_id).exclude(pk=except_attachment).exclude(ocr_text=""):
        masked_text = mask_text(att.ocr_text, values)
        if masked_text == att.ocr_text:
            continue
        vault = vault_open(att.unmasked_encrypted)
        vault.setdefault("ocr_text", att.ocr_text)
        vault.setdefault("ocr_lines", att.ocr_lines)
        Attachment.objects.filter(pk=att.pk).update(ocr_text=masked_text, ocr_lines=mask_lines(att.ocr_lines, values),
                                                    unmasked_encrypted=vault_seal(vault))
    for category in CategoryAssignment.objects.filter(ticket_id=ticket_id):
        evidence = mask_evidence(category.evidence or [], values)
        if evidence != category.evidence:
            CategoryAssignment.objects.filter(pk=category.pk).update(evidence=evidence)


def unmasked_message(message: Message) -> dict:
    """Subject and bodies as the customer wrote them (for a user with view_sensitive)."""
    vault = vault_open(message.unmasked_encrypted)
    return {name: vault.get(name, getattr(message, name)) for name in MESSAGE_FIELDS}


def unmasked_attachment(attachment: Attachment) -> dict:
    """OCR text, lines and MRZ as the analysis read them (for a user with view_sensitive)."""
    vault = vault_open(attachment.unmasked_encrypted)
    return {"ocr_text": vault.get("ocr_text", attachment.ocr_text),
            "ocr_lines": vault.get("ocr_lines", attachment.ocr_lines), "mrz": vault.get("mrz", attachment.mrz)}


def stored_identity_data_mask() -> dict:
    """Mask rows written before masking at write time (run once after upgrading; running it again changes nothing)."""
    from django.db import transaction

    from .tickets import ticket_search_text_refresh

    touched: set[int] = set()
    counts = {"messages": 0, "attachments": 0, "categories": 0, "tickets": 0}
    for message in Message.objects.filter(unmasked_encrypted="").iterator(chunk_size=500):
        fields = message_fields_masked(**{name: getattr(message, name) for name in MESSAGE_FIELDS})
        if fields["unmasked_encrypted"]:
            Message.objects.filter(pk=message.pk).update(**fields)
            touched.add(message.ticket_id)
            counts["messages"] += 1
    for att in Attachment.objects.filter(unmasked_encrypted="").exclude(ocr_text="", mrz=None).iterator(chunk_size=500):
        masked, identity = attachment_findings_masked(ocr_text=att.ocr_text, ocr_lines=att.ocr_lines or [], mrz=att.mrz)
        if masked["unmasked_encrypted"]:
            Attachment.objects.filter(pk=att.pk).update(**masked)
            ticket_identity_values_hide(att.ticket_id, identity, except_attachment=att.pk)
            touched.add(att.ticket_id)
            counts["attachments"] += 1
    for category in CategoryAssignment.objects.iterator(chunk_size=500):
        evidence = mask_evidence(category.evidence or [])
        if evidence != category.evidence:
            CategoryAssignment.objects.filter(pk=category.pk).update(evidence=evidence)
            touched.add(category.ticket_id)
            counts["categories"] += 1
    for ticket in Ticket.objects.filter(pk__in=touched):
        with transaction.atomic():
            subject = mask_text(ticket.subject)
            if subject != ticket.subject:
                Ticket.objects.filter(pk=ticket.pk).update(subject=subject)
            ticket_search_text_refresh(ticket)
        counts["tickets"] += 1
    return counts
