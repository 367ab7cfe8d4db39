"""Ticket references in subjects, so replies find their ticket even without threading headers."""
from __future__ import annotations

import re

_REFERENCE = re.compile(r"(?<![A-Za-z0-9])KYC[-_ ]?(\d{1,12})(?!\d)", re.IGNORECASE)


def format_ticket_reference(number: int) -> str:
    """Canonical reference for a ticket number: 123 -> "KYC-000123"."""
    return "KYC-%06d" % int(number)


def ticket_reference_in(subject: str) -> str | None:
    """The first "KYC-000123"-style reference in a subject, canonicalised, or None."""
    if not subject:
        return None
    for match in _REFERENCE.finditer(subject):
        digits = match.group(1)
        if len(digits) >= 6:
            return format_ticket_reference(int(digits))
    return None
