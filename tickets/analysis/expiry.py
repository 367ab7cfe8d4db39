"""Printed expiry dates found in OCR text, in the forms documents use.

"Date of expiry 16 OCT /10月 2026", "09 8月/AUG 2033", "有效期限 2020.01.01-2030.01.01", "2023-08-28 至 2028-08-28",
"29.07.2016", "21 08 2025", "01/24/2022" (month first when the day cannot be a month), "15 APR/AVR 12",
"2026年10月16日"; "长期" (long-term) means the document does not expire.
"""

from __future__ import annotations

import re
from datetime import date

_KEYWORD = re.compile(
    r"(date\s*of\s*expiry|expiry\s*date|expiry|expiration|expires?|exp\b|valid\s*(?:until|thru|through|to)|"
    r"validit[yée]|valabilitate|valable\s*jusqu|g[üu]ltig\s*bis|fecha\s*de\s*(?:caducidad|vencimiento)|"
    r"scadenza|data\s*di\s*scadenza|date\s*d.?expiration|有效期至|有效期限|有效期|截止日期|到期日|期滿日期|效期)",
    re.I)
_MONTHS = {m: i for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                                       "DEC"], 1)}
_MONTH_ALIASES = {"JANV": 1, "FEVR": 2, "FÉVR": 2, "MARS": 3, "AVR": 4, "MAI": 5, "JUIN": 6, "JUIL": 7, "AOUT": 8,
                  "AOÛT": 8, "SEPT": 9, "DEC": 12, "DÉC": 12, "ENE": 1, "ABR": 4, "AGO": 8, "DIC": 12, "OKT": 10,
                  "MRZ": 3, "DEZ": 12}
_YMD = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})(?!\d)")
# 16 OCT 2026, 16 OCT/OCT 26, 16 OCT /10月 2026, 15APR/AVR12
_DMY_NAMED = re.compile(r"(?<!\d)(\d{1,2})\s*[ ./-]?\s*(?:\d{1,2}\s*月\s*/\s*)?"
                        r"(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*"
                        r"\s*(?:/\s*[A-ZÀ-Ü0-9]{1,5}月?\s*)?[ ./-]?\s*(20\d{2}|19\d{2}|\d{2})(?!\d)", re.I)
_DMY = re.compile(r"(?<!\d)(\d{1,2})(?:[./-]|\s+)(\d{1,2})(?:[./-]|\s+)(20\d{2}|19\d{2})(?!\d)")
_RANGE = re.compile(r"(?:至|到|~|–|—|-|\bto\b)\s*$")
_LONG_TERM = re.compile(r"长期|長期|permanent|unbefristet|indefinite", re.I)


def _dates(text: str) -> list[tuple[int, date]]:
    """Every date in a line with its position, in any of the printed forms."""
    found: list[tuple[int, date]] = []
    for m in _YMD.finditer(text):
        _add(found, m.start(), int(m[1]), int(m[2]), int(m[3]))
    for m in _DMY_NAMED.finditer(text):
        year = int(m[3])
        if year < 100:
            year += 2000 if year < 70 else 1900
        _add(found, m.start(), year, _MONTHS[m[2].upper()[:3]], int(m[1]))
    for m in _DMY.finditer(text):
        a, b = int(m[1]), int(m[2])
        if b > 12 >= a:  # 01/24/2022: month first, as American documents print it
            a, b = b, a
        _add(found, m.start(), int(m[3]), b, a)
    found.sort()
    return found


def _add(found: list[tuple[int, date]], pos: int, y: int, mo: int, d: int) -> None:
    """Keep only real calendar dates."""
    try:
        found.append((pos, date(y, mo, d)))
    except ValueError:
        pass


def _range_end(line: str) -> tuple[date | None, bool]:
    """A validity range "A 至 B" / "A - B" in a line: (its end, long-term); (None, False) when there is none."""
    ds = _dates(line)
    for (p1, _), (p2, d2) in zip(ds, ds[1:]):
        if _RANGE.search(_between(line, p1, p2)):
            return d2, False
    if ds and _LONG_TERM.search(line[ds[-1][0]:]):
        return None, True
    return None, False


def _between(line: str, p1: int, p2: int) -> str:
    """The text between the end of the first date and the second date's start."""
    m = _YMD.match(line, p1) or _DMY.match(line, p1) or _DMY_NAMED.match(line, p1)
    return line[m.end() if m else p1:p2]


def find_printed_expiry(lines: list[str]) -> dict | None:
    """The date after an expiry keyword (same line or the next two), or the end of a validity range.

    A range ("2023-08-28 至 2028-08-28") yields its end; "长期" after the keyword or the range start means the
    document does not expire (None).
    """
    for i, line in enumerate(lines):
        m = _KEYWORD.search(line)
        if not m:
            continue
        for j, candidate in enumerate([line[m.end():]] + lines[i + 1:i + 3]):
            if _LONG_TERM.search(candidate) and not _dates(candidate.split("长期")[-1]):
                return None  # long-term validity: no expiry
            ds = _dates(candidate)
            if ds:
                return {"expiry": ds[-1][1].isoformat(), "source": "printed",
                        "line": (line if j == 0 else candidate).strip()}
    for line in lines:  # no keyword: a validity range still says when the document ends
        end, long_term = _range_end(line)
        if long_term:
            return None
        if end is not None:
            return {"expiry": end.isoformat(), "source": "printed", "line": line.strip()}
    return None
