"""Machine-readable zones (ICAO 9303: TD1, TD2, TD3, MRV-A/B visas): build, clean, parse, verify; pure stdlib.

OCR of an MRZ is noisy in known ways (O/0, I/1, B/8, '<' read as K/S/C/E, a filler more or less, a line split in
two). Parsing is therefore driven by a table of layouts: every field has a place and a type (digits, letters,
either), each checked field is repaired only towards a reading its check digit confirms, and the line lengths
are fitted to the layout by adding or removing filler characters. The reading with the most verified check
digits wins; `checks_ok` means every check digit of the layout verifies.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass
from datetime import date

logger = logging.getLogger(__name__)

MRZ_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_WEIGHTS = (7, 3, 1)
# OCR confusions folded back when a field is known to be numeric or alphabetic.
_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "C": "0", "I": "1", "L": "1", "T": "1",
                           "J": "1", "Z": "2", "S": "5", "B": "8", "G": "6", "A": "4", "K": "<"})
_TO_ALPHA = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A", "7": "T"})
# Per character, what else an OCR engine may have meant (tried only where a check digit can confirm it).
_CONFUSABLE = {"1": "7I", "7": "1T", "0": "OD8Q", "O": "0DQ", "Q": "0O", "8": "B0", "B": "8", "5": "S", "S": "5",
               "2": "Z", "Z": "2", "I": "1", "D": "0O", "6": "G", "G": "6", "4": "A", "A": "4", "E": "F", "F": "E",
               "U": "0", "T": "1", "<": "KC", "K": "<", "C": "<0", "L": "1", "M": "N", "N": "M"}
TD3_LEN = 44
TD2_LEN = 36
TD1_LEN = 30


def char_value(ch: str) -> int:
    """ICAO value of one MRZ character: digits as such, A=10..Z=35, filler 0."""
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - 55
    return 0


def check_digit(field: str) -> str:
    """The 7-3-1 weighted check digit of a field, as one character."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


# ---------------------------------------------------------------------------------------------- building

def _names_field(surname: str, given: str, width: int) -> str:
    """SURNAME<<GIVEN<NAMES padded with fillers to the zone width."""
    s = re.sub(r"[^A-Z]+", "<", surname.upper()).strip("<")
    g = re.sub(r"[^A-Z]+", "<", given.upper()).strip("<")
    return (s + "<<" + g).ljust(width, "<")[:width]


def _yymmdd(d: date) -> str:
    """Date in the MRZ's YYMMDD form."""
    return d.strftime("%y%m%d")


def _two_line_body(number: str, nationality: str, birth: date, expiry: date, sex: str) -> str:
    """The first 28 characters of line 2 shared by TD2, TD3 and both visa formats."""
    num = number.upper().ljust(9, "<")[:9]
    b, e = _yymmdd(birth), _yymmdd(expiry)
    return num + check_digit(num) + nationality + b + check_digit(b) + sex + e + check_digit(e)


def build_td3(*, surname: str, given: str, number: str, nationality: str, birth: date, expiry: date,
              sex: str = "F", issuing: str | None = None, personal: str = "") -> list[str]:
    """Two 44-character passport lines with valid check digits (used by the synthetic generator and tests)."""
    issuing = issuing or nationality
    line1 = ("P<" + issuing + _names_field(surname, given, 39))[:TD3_LEN]
    pers = personal.upper().ljust(14, "<")[:14]
    body = _two_line_body(number, nationality, birth, expiry, sex) + pers + (check_digit(pers) if personal else "<")
    composite = check_digit(body[0:10] + body[13:20] + body[21:43])
    return [line1, body + composite]


def build_td2(*, surname: str, given: str, number: str, nationality: str, birth: date, expiry: date,
              sex: str = "F", issuing: str | None = None, doc_code: str = "I") -> list[str]:
    """Two 36-character lines (TD2 cards and travel documents) with valid check digits."""
    issuing = issuing or nationality
    line1 = (doc_code.ljust(2, "<")[:2] + issuing + _names_field(surname, given, 31))[:TD2_LEN]
    body = _two_line_body(number, nationality, birth, expiry, sex) + "<" * 7
    return [line1, body + check_digit(body[0:10] + body[13:20] + body[21:35])]


def build_mrv(*, surname: str, given: str, number: str, nationality: str, birth: date, expiry: date,
              sex: str = "F", issuing: str | None = None, width: int = TD3_LEN) -> list[str]:
    """Two visa lines (MRV-A: 44 characters, MRV-B: 36); visas carry no composite check digit."""
    issuing = issuing or nationality
    line1 = ("V<" + issuing + _names_field(surname, given, width - 5))[:width]
    body = _two_line_body(number, nationality, birth, expiry, sex)
    return [line1, body.ljust(width, "<")]


def build_td1(*, surname: str, given: str, number: str, nationality: str, birth: date, expiry: date,
              sex: str = "F", issuing: str | None = None, doc_code: str = "ID") -> list[str]:
    """Three 30-character ID-card lines with valid check digits."""
    issuing = issuing or nationality
    num = number.upper().ljust(9, "<")[:9]
    line1 = (doc_code.ljust(2, "<") + issuing + num + check_digit(num)).ljust(TD1_LEN, "<")
    b, e = _yymmdd(birth), _yymmdd(expiry)
    line2 = (b + check_digit(b) + sex + e + check_digit(e) + nationality).ljust(29, "<")
    composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    line2 += composite
    line3 = _names_field(surname, given, TD1_LEN)
    return [line1, line2, line3]


# ---------------------------------------------------------------------------------------------- layouts

@dataclass(frozen=True)
class _Field:
    """One field: (line, start, end) in the zone, its character type, and where its check digit sits."""

    name: str
    line: int
    start: int
    end: int
    chars: str  # "digit", "alpha", "any"
    check: tuple[int, int] | None = None  # (line, index) of its check digit


@dataclass(frozen=True)
class _Layout:
    """An MRZ format: line count and width, its fields, and the composite check (parts, digit position)."""

    name: str
    lines: int
    width: int
    first: str  # document codes line 1 may start with
    fields: tuple[_Field, ...]
    composite: tuple[tuple[tuple[int, int, int], ...], tuple[int, int]] | None
    names_at: tuple[int, int, int]  # line, start, end of SURNAME<<GIVEN


def _two_line(name: str, width: int, first: str, optional_end: int, personal_check: bool,
              composite: bool) -> _Layout:
    """TD2, TD3 and the visas share line 2 up to the expiry check digit."""
    fields = [
        _Field("document_number", 1, 0, 9, "any", (1, 9)),
        _Field("nationality", 1, 10, 13, "alpha"),
        _Field("birth_date", 1, 13, 19, "digit", (1, 19)),
        _Field("expiry", 1, 21, 27, "digit", (1, 27)),
        _Field("issuing_state", 0, 2, 5, "alpha"),
    ]
    if personal_check:
        fields.append(_Field("personal_number", 1, 28, optional_end, "any", (1, optional_end)))
    comp = None
    if composite:
        comp = (((1, 0, 10), (1, 13, 20), (1, 21, width - 1)), (1, width - 1))
    return _Layout(name, 2, width, first, tuple(fields), comp, (0, 5, width))


LAYOUTS = (
    _two_line("TD3", TD3_LEN, "P", 42, True, True),
    _two_line("MRV-A", TD3_LEN, "V", 44, False, False),
    _two_line("TD2", TD2_LEN, "ACIPR", 35, False, True),
    _two_line("MRV-B", TD2_LEN, "V", 36, False, False),
    _Layout("TD1", 3, TD1_LEN, "ACIP", (
        _Field("document_number", 0, 5, 14, "any", (0, 14)),
        _Field("issuing_state", 0, 2, 5, "alpha"),
        _Field("birth_date", 1, 0, 6, "digit", (1, 6)),
        _Field("expiry", 1, 8, 14, "digit", (1, 14)),
        _Field("nationality", 1, 15, 18, "alpha"),
    ), (((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), (1, 29)), (2, 0, 30)),
)
_LAYOUT = {lay.name: lay for lay in LAYOUTS}


# ---------------------------------------------------------------------------------------------- parsing

def clean_line(text: str) -> str:
    """OCR text of one line reduced to the MRZ alphabet (guillemets, spaces and brackets are common misreads)."""
    t = text.upper().replace("«", "<<").replace("‹", "<").replace("≤", "<").replace("(", "<").replace("[", "<")
    t = re.sub(r"\s+", "", t)
    return "".join(c for c in t if c in MRZ_CHARSET)


def _date(yymmdd: str, *, expiry: bool, reference: date) -> str | None:
    """YYMMDD to ISO; expiry years are 20YY (19YY from 70), birth years the latest century not in the future."""
    if not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if expiry:
        year = 2000 + yy if yy < 70 else 1900 + yy
    else:
        year = 2000 + yy if 2000 + yy <= reference.year else 1900 + yy
    try:
        return date(year, mm, dd).isoformat()
    except ValueError:
        return None


def _ok(field: str, digit: str) -> bool:
    """Whether a field matches its check digit (a filler counts as 0 for empty optional fields)."""
    if digit == "<":
        return set(field) <= {"<"} or check_digit(field) == "0"
    return check_digit(field) == digit


def _typed(text: str, chars: str) -> str:
    """Fold confusions towards a field's character type."""
    if chars == "digit":
        return text.translate(_TO_DIGIT)
    if chars == "alpha":
        return text.translate(_TO_ALPHA)
    return text


def _variants(field: str, chars: str, max_changes: int) -> list[str]:
    """The field as read, then with 1..max_changes OCR confusions undone (fewest changes first)."""
    options = [[c] + [a for a in _CONFUSABLE.get(c, "") if chars != "digit" or a.isdigit() or a == "<"]
               for c in field]
    spots = [i for i, o in enumerate(options) if len(o) > 1]
    out = [field]
    for n in range(1, max_changes + 1):
        for where in itertools.combinations(spots, n):
            for alts in itertools.product(*(options[i][1:] for i in where)):
                trial = list(field)
                for i, a in zip(where, alts):
                    trial[i] = a
                out.append("".join(trial))
    return out


def _fold_digits(field: str) -> str:
    """Letters that look like digits, in a run touching a digit, read as digits (OOO0123 -> 0000123)."""
    prev = None
    while prev != field:
        prev = field
        field = re.sub(r"[ODQUISBZG](?=[0-9])|(?<=[0-9])[ODQUISBZG]", lambda m: m[0].translate(_TO_DIGIT), field)
    return field


def _verified(field: str, digit: str, chars: str, max_changes: int) -> list[str]:
    """Readings of a checked field that its check digit confirms, the least-changed first."""
    digit = digit.translate(_TO_DIGIT)
    if not digit.isdigit() and digit != "<":
        return []
    starts = [_typed(field, chars)]
    if chars == "any" and _fold_digits(field) != field:  # O/0, I/1 in numbers
        starts.append(_fold_digits(field))
    per_start = [_variants(start, chars, max_changes) for start in starts]
    seen: set[str] = set()
    out = []
    for n in range(max(len(v) for v in per_start)):  # fewest changes first, across both starts
        for variants in per_start:
            if n < len(variants) and variants[n] not in seen and _ok(variants[n], digit):
                seen.add(variants[n])
                out.append(variants[n])
    return out


def repair(field: str, digit: str, chars: str = "any", max_changes: int = 1) -> tuple[str, bool]:
    """The field as read or with OCR confusions undone, if that makes the check digit verify."""
    found = _verified(field, digit, chars, max_changes)
    return (found[0], True) if found else (_typed(field, chars), False)


def _names(field: str) -> tuple[str, str]:
    """Split SURNAME<<GIVEN<NAMES into readable surname and given names (fillers misread as K/S/E dropped)."""
    field = field.translate(_TO_ALPHA)
    field = re.sub(r"(?<=<<)[<KSCEX]+$|<[<KSCEX]*<[<KSCEX]*$", "", field).rstrip("<")
    surname, _, given = field.partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def _parse(lines: list[str], layout: _Layout, reference: date) -> dict:
    """Parse fitted lines against one layout, repairing checked fields towards their check digits.

    Numeric fields take the reading their own check digit confirms; alphanumeric ones (document and personal
    numbers), where one confusion undone passes a single check digit by chance too easily, must also make the
    composite check verify when the layout has one.
    """
    zone = [list(ln) for ln in lines]
    checks: dict[str, bool] = {}
    values: dict[str, str] = {}
    open_fields: list[tuple[_Field, list[str]]] = []

    def put(f: _Field, text: str) -> None:
        zone[f.line][f.start:f.end] = list(text)
        values[f.name] = text

    for f in layout.fields:
        text = "".join(zone[f.line][f.start:f.end])
        if not f.check:
            put(f, _typed(text, f.chars))
            continue
        cl, ci = f.check
        digit = zone[cl][ci]
        zone[cl][ci] = digit.translate(_TO_DIGIT) if digit not in "<" else digit
        found = _verified(text, digit, f.chars, 1)
        checks[f.name] = bool(found)
        put(f, found[0] if found else _typed(text, f.chars))
        if f.chars == "any" and len(found) > 1:
            open_fields.append((f, found[:6]))

    def composite_ok() -> bool:
        parts, (cl, ci) = layout.composite  # type: ignore[misc]
        joined = "".join("".join(zone[ln][a:b]) for ln, a, b in parts)
        digit = zone[cl][ci].translate(_TO_DIGIT)
        return digit.isdigit() and _ok(joined, digit)  # a composite check digit is never a filler

    if layout.composite:
        ok = composite_ok()
        if not ok and open_fields:
            first = {f.name: values[f.name] for f, _ in open_fields}
            for combo in itertools.product(*(c for _, c in open_fields)):
                for (f, _), text in zip(open_fields, combo):
                    put(f, text)
                if composite_ok():
                    ok = True
                    break
            else:
                for f, _ in open_fields:
                    put(f, first[f.name])
        if not ok:  # unchecked optional data: a digit between two letters is a letter (L1N -> LIN)
            saved = [row[:] for row in zone]
            for ln, a, b in layout.composite[0]:
                seg = re.sub(r"(?<=[A-Z])[0-9](?=[A-Z])", lambda m: m[0].translate(_TO_ALPHA), "".join(zone[ln][a:b]))
                zone[ln][a:b] = list(seg)
            ok = composite_ok()
            if not ok:
                zone = saved
        checks["composite"] = ok
    fixed = ["".join(z) for z in zone]
    nl, ns, ne = layout.names_at
    surname, given = _names(fixed[nl][ns:ne])
    sex = fixed[1][20] if layout.name != "TD1" else fixed[1][7]
    return {
        "format": layout.name,
        "document_type": fixed[0][0:2].rstrip("<"),
        "issuing_state": values["issuing_state"],
        "document_number": values["document_number"].rstrip("<"),
        "nationality": values["nationality"],
        "birth_date": _date(values["birth_date"], expiry=False, reference=reference),
        "sex": sex,
        "expiry": _date(values["expiry"], expiry=True, reference=reference),
        "surname": surname,
        "given_names": given,
        "checks": checks,
        "checks_ok": all(checks.values()),
        "lines": fixed,
    }


def _fits(line: str, width: int) -> list[tuple[str, int]]:
    """Ways to bring an OCR line to the layout width, each with its cost (0 as read, 1 fillers, 2 other edits)."""
    n = len(line)
    if n == width:
        return [(line, 0)]
    out = {line[:width].ljust(width, "<"): 1 if n < width or set(line[width:]) <= {"<"} else 2}
    runs = list(re.finditer(r"<{2,}", line))
    if runs:
        a, b = max(runs, key=lambda m: m.end() - m.start()).span()
        if n > width and b - a > n - width:
            out.setdefault(line[:a] + "<" * (b - a - (n - width)) + line[b:], 1)
        elif n < width:
            out.setdefault(line[:a] + "<" * (b - a + width - n) + line[b:], 1)
    if n == width + 1:
        for i in range(n):
            out.setdefault(line[:i] + line[i + 1:], 2)
    elif n == width - 1:
        for i in range(n + 1):
            out.setdefault(line[:i] + "<" + line[i:], 2)
    elif n > width:
        out.setdefault(line[n - width:], 2)
    return sorted(out.items(), key=lambda kv: kv[1])


def _score(parsed: dict) -> float:
    """Verified check digits first, then plausible dates and a document code that fits the layout."""
    layout = _LAYOUT[parsed["format"]]
    s = sum(parsed["checks"].values()) * 2.0 + (parsed["expiry"] is not None) + (parsed["birth_date"] is not None)
    s += 2.5 * (parsed["lines"][0][:1] in layout.first)
    s += 0.25 * parsed["nationality"].isalpha() + 0.25 * parsed["issuing_state"].isalpha()
    return s


def parse(lines: list[str], fmt: str, reference: date | None = None) -> dict:
    """Parse OCR lines of one known format, trying the ways to fit each line to the width; best reading wins."""
    reference = reference or date.today()
    layout = _LAYOUT[fmt]
    best: dict | None = None
    choices = [_fits(clean_line(ln), layout.width) for ln in lines[:layout.lines]]
    best_score = float("-inf")
    for combo in itertools.islice(itertools.product(*choices), 400):
        parsed = _parse([c for c, _ in combo], layout, reference)
        score = _score(parsed) - 0.5 * sum(cost for _, cost in combo)  # every re-alignment is a guess
        if score > best_score:
            best, best_score = parsed, score
    assert best is not None
    return best


def parse_td3(lines: list[str], reference: date | None = None) -> dict:
    """Parse two passport lines; `checks_ok` is True only when every check digit verifies."""
    return parse(lines, "TD3", reference)


def parse_td1(lines: list[str], reference: date | None = None) -> dict:
    """Parse three ID-card lines; `checks_ok` is True only when every check digit verifies."""
    return parse(lines, "TD1", reference)


def _candidates(texts: list[str]) -> list[str]:
    """MRZ-looking lines; an engine that split one zone line in two gets them joined back."""
    cleaned = [clean_line(t) for t in texts]
    out: list[str] = []
    i = 0
    while i < len(cleaned):
        c = cleaned[i]
        nxt = cleaned[i + 1] if i + 1 < len(cleaned) else ""
        if 8 <= len(c) < 26 and nxt and len(c) + len(nxt) in range(28, 47) and ("<" in c + nxt):
            joined = c + nxt
            if any(abs(len(joined) - w) <= 1 for w in (TD1_LEN, TD2_LEN, TD3_LEN)) and not \
                    any(abs(len(c) - w) <= 2 for w in (TD1_LEN, TD2_LEN, TD3_LEN)):
                out.append(joined)
                i += 2
                continue
        if len(c) >= 20 and (c.count("<") >= 2 or len(c) >= 28):
            out.append(c)
        i += 1
    return out


def find_mrz(texts: list[str], reference: date | None = None) -> dict | None:
    """Find and parse an MRZ among OCR'd lines in any ICAO layout; the reading with most verified checks wins.

    A reading counts only when it shows fillers ('<<') and at least three check digits verify: with one confusion
    undone per field, two of them verify by chance on text that is not an MRZ (receipts, printed pages).
    """
    reference = reference or date.today()
    cands = _candidates(texts)
    best: dict | None = None
    best_score = -1.0
    for i in range(len(cands)):
        for layout in LAYOUTS:
            group = cands[i:i + layout.lines]
            if len(group) < layout.lines:
                continue
            data = group[1] if layout.lines == 2 else group[0]  # the line whose length is most reliable
            if abs(len(data) - layout.width) > 3 or any(len(g) < 0.6 * layout.width or len(g) > layout.width + 5
                                                         for g in group):
                continue
            if not any("<<" in g for g in group):
                continue  # every zone has fillers somewhere; text read with the MRZ charset rarely does
            parsed = parse(group, layout.name, reference)
            score = _score(parsed)
            if score > best_score:
                best, best_score = parsed, score
    if best is None or sum(best["checks"].values()) < 3:
        return None
    logger.debug("MRZ %s found, checks_ok=%s", best["format"], best["checks_ok"])
    return best


# Birth date, its check digit, sex, expiry date, its check digit: the one run every ICAO layout shares (TD1 line 2
# from its start, TD2/TD3/visas line 2 from position 13). Looked for on its own, it survives what defeats a full
# parse: a line read without its trailing fillers, a mangled name line, a line split or merged by the engine.
_DIGITISH = "0-9ODQUISBZG"
_DATE_RUN = re.compile(r"(?=([%s]{6})([%s])([MFX<])([%s]{6})([%s]))" % ((_DIGITISH,) * 4))


def find_expiry_run(texts: list[str], reference: date | None = None) -> dict | None:
    """The expiry of an MRZ from its birth/sex/expiry run, when both dates' check digits verify.

    Two check digits verify by chance once in a hundred on random digits, and the run also needs a sex
    character between two valid dates: on the text of a document that is not an MRZ it does not occur.
    """
    reference = reference or date.today()
    for text in texts:
        line = clean_line(text)
        for m in _DATE_RUN.finditer(line):
            birth, b_check, _, expiry, e_check = (g.translate(_TO_DIGIT) for g in m.groups())
            if not (_ok(birth, b_check) and _ok(expiry, e_check)) or "<" in birth + expiry:
                continue
            birth_iso = _date(birth, expiry=False, reference=reference)
            expiry_iso = _date(expiry, expiry=True, reference=reference)
            if birth_iso and expiry_iso and birth_iso < expiry_iso:
                return {"expiry": expiry_iso, "birth_date": birth_iso, "line": line}
    return None
