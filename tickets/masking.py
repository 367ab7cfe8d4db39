"""Masking identity data (MRZ lines, ID numbers, dates of birth) before it is written where agents read it.

Pure functions, no ORM. Two sources of what to hide:
- the structured findings of the analysis (`identity_values`: the MRZ's document number and date of birth,
  the numbers and dates of birth read on a document), hidden wherever they appear in the ticket;
- patterns that need no findings: MRZ lines (also with OCR noise), long ID numbers, and a date of birth
  after its label, on the same line or on the line below it.

Services call `mask_text` on OCR text, message subjects and bodies and `mask_evidence` on category evidence
when they write them; the unmasked originals are kept encrypted for supervisors (tickets/vault.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "███"

_MRZ_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<«‹")
# Chinese resident ID (17 digits + check), passport/ID numbers: a letter or two followed by 6+ digits, long digit runs
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|[A-Z]{1,2}\d{6,9}|\d{8,})(?![0-9A-Za-z])")
_BIRTH_LABEL = r"(?:date\s*of\s*birth|birth\s*date|birthday|d\.?o\.?b\.?|born|出生日期|出生年月日|出生|生日)"  # OCR drops spaces
_DATE = (r"(?:\d{1,4}\s*[./\-年]\s*\d{1,2}\s*[./\-月]\s*\d{1,4}\s*日?|\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{2,4}"
         r"|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{8}|\d{6})")
_BIRTH = re.compile(r"(%s\s*[:：/]?\s*(?:/\s*[A-Za-z ]+)?[:：]?\s*)(%s)" % (_BIRTH_LABEL, _DATE), re.IGNORECASE)
_BIRTH_LABEL_ONLY = re.compile(r"%s\s*[:：]?\s*$" % _BIRTH_LABEL, re.IGNORECASE)
_LEADING_DATE = re.compile(r"^(\s*)(%s)" % _DATE)


def _looks_like_mrz(line: str) -> bool:
    """An MRZ line, also as OCR reads it: mostly MRZ characters, long, with several fillers."""
    compact = line.replace(" ", "")
    if len(compact) < 20:
        return False
    fillers = sum(compact.count(c) for c in "<«‹")
    inside = sum(c in _MRZ_CHARS for c in compact)
    return fillers >= 2 and inside / len(compact) >= 0.8


def identity_values(mrz: dict | None = None, lines: Iterable[str] = ()) -> set[str]:
    """The exact strings the analysis found that identify a person: MRZ numbers and dates, printed numbers."""
    values: set[str] = set()
    for key in ("document_number", "personal_number", "optional_data"):
        value = (mrz or {}).get(key)
        if isinstance(value, str) and len(value.strip("<")) >= 5:
            values.add(value.strip("<"))
    birth = (mrz or {}).get("birth_date")
    if isinstance(birth, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", birth):
        y, m, d = birth.split("-")
        values.update({birth, "%s%s%s" % (y[2:], m, d), "%s%s%s" % (y, m, d), "%s.%s.%s" % (d, m, y),
                       "%s/%s/%s" % (d, m, y), "%s/%s/%s" % (y, m, d), "%s年%s月%s日" % (y, m, d),
                       "%s年%d月%d日" % (y, int(m), int(d))})
    previous = ""
    for line in lines:
        values.update(match.group(0) for match in _ID_NUMBER.finditer(line))
        values.update(match.group(2).strip() for match in _BIRTH.finditer(line))
        if _BIRTH_LABEL_ONLY.search(previous):
            match = _LEADING_DATE.match(line)
            if match:
                values.add(match.group(2).strip())
        previous = line
    return {v for v in values if len(v) >= 5}


def mask_text(text: str, values: Iterable[str] = ()) -> str:
    """Hide the given identity values and anything that looks like one; the rest stays readable."""
    if not text:
        return text
    for value in sorted(set(values), key=len, reverse=True):
        if value:
            text = text.replace(value, MASK)
    lines = []
    previous = ""
    for line in text.split("\n"):
        if _looks_like_mrz(line):
            lines.append(MASK + " (MRZ)")
            previous = line
            continue
        masked = _BIRTH.sub(lambda m: m.group(1) + MASK, line)
        if _BIRTH_LABEL_ONLY.search(previous):
            masked = _LEADING_DATE.sub(lambda m: m.group(1) + MASK, masked, count=1)
        lines.append(_ID_NUMBER.sub(MASK, masked))
        previous = line
    return "\n".join(lines)


def mask_sensitive(text: str) -> str:
    """Masking without findings (kept for callers that have none)."""
    return mask_text(text)


def mask_evidence(evidence: Iterable, values: Iterable[str] = ()) -> list:
    """Category evidence as stored: OCR and body quotes with identity data hidden (name kept stable for callers).

    Evidence is a record ({"source", "phrase", "value", ...}, tickets/triage/evidence.py) or, in rows written
    before records, an English sentence; the quoted text of either is masked.
    """
    values = list(values)
    masked = []
    for item in evidence:
        if isinstance(item, str):
            item = mask_text(item, values)
        elif isinstance(item, dict):
            item = {key: (mask_text(value, values) if key in ("phrase", "value") and isinstance(value, str)
                          else value) for key, value in item.items()}
        masked.append(item)
    return masked


def mask_lines(lines: list[dict], values: Iterable[str] = ()) -> list[dict]:
    """OCR lines ({"text": ..., "bbox": ...}) with their text masked line by line, the line below a label too."""
    values = list(values)
    texts = mask_text("\n".join(line.get("text", "").replace("\n", " ") for line in lines), values).split("\n")
    return [{**line, "text": text} for line, text in zip(lines, texts)]


def mask_mrz(mrz: dict | None) -> dict | None:
    if not mrz:
        return mrz
    keep = {"format", "expiry", "checks_ok", "nationality", "document_type", "issuing_state", "checks"}
    return {key: (value if key in keep else MASK) for key, value in mrz.items()}
