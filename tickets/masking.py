"""Masking identity data (MRZ lines, ID numbers, dates of birth) for people without the permission to see it."""

import re

MASK = "███"

_MRZ_LINE = re.compile(r"^[A-Z0-9<]{25,}$")
# Chinese resident ID (17 digits + check), passport/ID numbers: a letter or two followed by 6+ digits, long digit runs
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|[A-Z]{1,2}\d{6,9}|\d{8,})(?![0-9A-Za-z])")
_BIRTH = re.compile(
    r"((?:date of birth|birth date|birthday|dob|born|出生日期|出生|生日)\s*[:：]?\s*)"
    r"(\d{1,4}[\s./\-年]\s*\d{1,2}[\s./\-月]\s*\d{1,4}日?|\d{1,2}\s+[A-Za-z]{3,9}\s+\d{2,4}|\d{8})",
    re.IGNORECASE)


def mask_sensitive(text: str) -> str:
    """Replace MRZ lines, ID numbers and dates of birth with a mask; everything else stays readable."""
    if not text:
        return text
    lines = []
    for line in text.splitlines():
        compact = line.replace(" ", "")
        if _MRZ_LINE.match(compact) and compact.count("<") >= 2:
            lines.append(MASK + " (MRZ)")
            continue
        line = _BIRTH.sub(lambda m: m.group(1) + MASK, line)
        lines.append(_ID_NUMBER.sub(MASK, line))
    return "\n".join(lines)


def mask_mrz(mrz: dict | None) -> dict | None:
    if not mrz:
        return mrz
    keep = {"format", "expiry", "checks_ok", "nationality"}
    return {key: (value if key in keep else MASK) for key, value in mrz.items()}
