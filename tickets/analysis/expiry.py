"""Printed expiry dates found in OCR text, in the forms documents use.

"Date of expiry 16 OCT /10月 2026", "09 8月/AUG 2033", "有效期限 2020.01.01-2030.01.01", "2023-08-28 至 2028-08-28",
"29.07.2016", "21 08 2025", "01/24/2022" (month first when the day cannot be a month, or on a US document),
"15 APR/AVR 12", "2026年10月16日", "14012025" (an engine that dropped the spaces); "长期" (long-term) means the
document does not expire.

A date is the expiry when it is the value of an expiry label (on the label's line, or the nearest line below or
to the right of it when the lines' boxes are known, else one of the next two lines), the end of a validity range,
or, with no label read, the later date of a pair a whole number of years apart: documents are issued for whole
years ("issued 2019-02-08, valid to 2029-02-07").
"""

from __future__ import annotations

import re
from datetime import date

_KEYWORD = re.compile(
    r"(date\s*of\s*expir[a-z]*|expiry\s*date|expiry|expiration|expires?|exp(?![a-z])|valid\s*(?:until|thru|through|to)|"
    r"validit[yée]|valabilitate|valable\s*jusqu|g[üu]ltig\s*bis|fecha\s*de\s*(?:caducidad|vencimiento)|"
    r"scadenza|data\s*di\s*scadenza|date\s*d.?expiration|(?<![\w.])4b\.|"
    r"有效期至|有效期限|有效期|截止日期|到期日|期滿日期|效期)",
    re.I)  # 4b.: the expiry field of the EU driving licence (Directive 2006/126/EC) and of AAMVA licences
_MONTHS = {m: i for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                                       "DEC"], 1)}
_YMD = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})(?!\d)")
# 16 OCT 2026, 16 OCT/OCT 26, 16 OCT /10月 2026, 15APR/AVR12
_DMY_NAMED = re.compile(r"(?<!\d)(\d{1,2})\s*[ ./-]?\s*(?:\d{1,2}\s*月\s*/\s*)?"
                        r"(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*"
                        r"\s*(?:/\s*[A-ZÀ-Ü0-9]{1,5}月?\s*)?[ ./-]?\s*(20\d{2}|19\d{2}|\d{2})(?!\d)", re.I)
_DMY = re.compile(r"(?<!\d)(\d{1,2})([./-]|\s+)(\d{1,2})(?:[./-]|\s+)(20\d{2}|19\d{2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(\d{8})(?!\d)")  # 14012025 or 20250114: a reading without separators
_RANGE = re.compile(r"(?:至|到|~|–|—|-|\bto\b)\s*$")
_LONG_TERM = re.compile(r"长期|長期|permanent|unbefristet|indefinite", re.I)
_US_DOCUMENT = re.compile(r"\bUSA\b|UNITED\s*STATES", re.I)
_VALIDITY_YEARS = range(1, 13)  # whole-year validity periods a pair of dates may span (a birth date spans more)


def _dates(text: str, month_first: bool = False) -> list[tuple[int, date, int]]:
    """Every date in a line as (start, date, end), in any of the printed forms; overlapping readings of the
    same characters are dropped (the first form in the order below wins)."""
    found: list[tuple[int, date, int]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, y: int, mo: int, d: int) -> None:
        if any(m.start() < e and s < m.end() for s, e in taken):
            return
        try:
            found.append((m.start(), date(y, mo, d), m.end()))
        except ValueError:
            return
        taken.append((m.start(), m.end()))

    for m in _YMD.finditer(text):
        add(m, int(m[1]), int(m[2]), int(m[3]))
    for m in _DMY_NAMED.finditer(text):
        year = int(m[3])
        if year < 100:
            year += 2000 if year < 70 else 1900
        add(m, year, _MONTHS[m[2].upper()[:3]], int(m[1]))
    for m in _DMY.finditer(text):
        a, b = int(m[1]), int(m[3])
        if b > 12 >= a or (month_first and m[2] == "/" and a <= 12):  # 01/24/2022: month first
            a, b = b, a
        add(m, int(m[4]), b, a)
    for m in _COMPACT.finditer(text):
        s = m[1]
        if s[:2] in ("19", "20"):
            add(m, int(s[:4]), int(s[4:6]), int(s[6:]))
        else:
            add(m, int(s[4:]), int(s[2:4]), int(s[:2]))
    found.sort()
    return found


def _month_first(lines: list[str]) -> bool:
    """Whether slashed dates read month first: a date that can only be M/D/Y says so, one that can only be D/M/Y
    says not; without either, a US document (whose dates are month first) does."""
    for line in lines:
        for m in _DMY.finditer(line):
            if m[2] != "/":
                continue
            a, b = int(m[1]), int(m[3])
            if b > 12 >= a:
                return True
            if a > 12 >= b:
                return False
    return bool(_US_DOCUMENT.search("\n".join(lines)))


def _range_end(line: str, month_first: bool) -> tuple[date | None, bool]:
    """A validity range "A 至 B" / "A - B" in a line: (its end, long-term); (None, False) when there is none."""
    ds = _dates(line, month_first)
    for (_, _, e1), (p2, d2, _) in zip(ds, ds[1:]):
        if _RANGE.search(line[e1:p2]):
            return d2, False
    if ds and _LONG_TERM.search(line[ds[-1][2]:]):
        return None, True
    return None, False


def _neighbours(i: int, boxes: list[tuple[int, int, int, int]]) -> list[int]:
    """Lines that can hold the value of the label on line i, nearest first: below it (centre lower, overlapping
    it across or starting near its left edge, within about two and a half line heights) or right of it on the
    same row. Boxes of a tilted photo overlap their neighbours, so distances are between centres."""
    x, y, w, h = boxes[i]
    mid = y + h / 2
    scored = []
    for j, (cx, cy, cw, ch) in enumerate(boxes):
        if j == i:
            continue
        size = max(h, ch, 1)
        across = min(x + w, cx + cw) - max(x, cx)
        down = (cy + ch / 2) - mid
        if 0 < down <= 2.5 * size and cy > y and (across > 0 or abs(cx - x) <= 2 * size):
            scored.append((down + abs(cx - x) * 0.1, j))
        elif abs(down) <= 0.5 * size and -size <= cx - (x + w) <= 8 * size:
            scored.append((max(0, cx - (x + w)), j))
    return [j for _, j in sorted(scored)]


def _whole_years_apart(a: date, b: date) -> bool:
    """b falls a whole number of validity years after a, give or take two days."""
    for years in _VALIDITY_YEARS:
        try:
            end = a.replace(year=a.year + years)
        except ValueError:  # 29 February
            end = a.replace(year=a.year + years, day=28)
        if abs((b - end).days) <= 2:
            return True
    return False


def find_printed_expiry(lines: list[str], boxes: list[tuple[int, int, int, int]] | None = None) -> dict | None:
    """The date of an expiry label, else the end of a validity range, else the later date of a validity pair.

    `boxes` (x, y, w, h of each line, from the OCR engine) let a label find its value by position, whatever order
    the engine listed the lines in. "长期" after the label or the range start means the document does not
    expire (None).
    """
    month_first = _month_first(lines)
    dated = [(d, line) for line in lines for _, d, _ in _dates(line, month_first)]
    if boxes is not None and len(boxes) != len(lines):
        boxes = None
    for i, line in enumerate(lines):
        m = _KEYWORD.search(line)
        if not m:
            continue
        after = list(range(i + 1, min(len(lines), i + 3)))  # the engine's reading order, then by position
        after += [j for j in (_neighbours(i, boxes) if boxes else []) if j not in after]
        for j, candidate in [(i, line[m.end():])] + [(j, lines[j]) for j in after]:
            if _LONG_TERM.search(candidate) and not _dates(candidate.split("长期")[-1]):
                return None  # long-term validity: no expiry
            ds = _dates(candidate, month_first)
            if ds:
                found, source_line = ds[-1][1], (line if j == i else candidate)
                later = [(b, other) for b, other in dated if b > found and _whole_years_apart(found, b)]
                if later:  # the label's neighbour was the issue date of a period that ends later on the page
                    found, source_line = max(later)
                return {"expiry": found.isoformat(), "source": "printed", "line": source_line.strip()}
    for line in lines:  # no label read: a validity range still says when the document ends
        end, long_term = _range_end(line, month_first)
        if long_term:
            return None
        if end is not None:
            return {"expiry": end.isoformat(), "source": "printed", "line": line.strip()}
    ends = [(b, line_b) for a, _ in dated for b, line_b in dated if b > a and _whole_years_apart(a, b)]
    if ends:
        end, line = max(ends)
        return {"expiry": end.isoformat(), "source": "printed", "line": line.strip()}
    return None
