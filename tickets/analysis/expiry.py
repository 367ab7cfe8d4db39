"""Printed expiry dates ("Date of expiry", 有效期至, 有效期限 2016.03.01-2026.03.01) found in OCR text."""

from __future__ import annotations

import re
from datetime import date

_KEYWORD = re.compile(r"(date\s*of\s*expiry|expiry|expiration|expires|valid\s*(?:until|thru|through)|"
                      r"有效期至|有效期限|有效期|截止日期|到期日)", re.I)
_MONTHS = {m: i for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                                       "DEC"], 1)}
_YMD = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})(?!\d)")
_DMY_NAMED = re.compile(r"(?<!\d)(\d{1,2})\s*[ ./-]?\s*(?:\S*/)?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
                        r"[A-Z]*\s*[ ./-]?\s*(20\d{2}|19\d{2})", re.I)
_DMY = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](20\d{2}|19\d{2})(?!\d)")


def _dates(text: str) -> list[tuple[int, date]]:
    """Every date in a line with its position, in any of the printed forms."""
    found: list[tuple[int, date]] = []
    for m in _YMD.finditer(text):
        _add(found, m.start(), int(m[1]), int(m[2]), int(m[3]))
    for m in _DMY_NAMED.finditer(text):
        _add(found, m.start(), int(m[3]), _MONTHS[m[2].upper()[:3]], int(m[1]))
    for m in _DMY.finditer(text):
        _add(found, m.start(), int(m[3]), int(m[2]), int(m[1]))
    found.sort()
    return found


def _add(found: list[tuple[int, date]], pos: int, y: int, mo: int, d: int) -> None:
    """Keep only real calendar dates."""
    try:
        found.append((pos, date(y, mo, d)))
    except ValueError:
        pass


def find_printed_expiry(lines: list[str]) -> dict | None:
    """The date after an expiry keyword (same line or the next two); a validity range yields its end."""
    for i, line in enumerate(lines):
        m = _KEYWORD.search(line)
        if not m:
            continue
        for j, candidate in enumerate([line[m.end():]] + lines[i + 1:i + 3]):
            if "长期" in candidate:
                return None  # long-term validity: no expiry
            ds = _dates(candidate)
            if ds:
                return {"expiry": ds[-1][1].isoformat(), "source": "printed", "line": (line if j == 0 else
                                                                                      candidate).strip()}
    return None
