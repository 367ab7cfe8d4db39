"""Machine-readable zone (ICAO 9303 TD1/TD3): build, clean, parse and verify check digits; pure stdlib."""

from __future__ import annotations

import logging
import re
from datetime import date

logger = logging.getLogger(__name__)

MRZ_CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_WEIGHTS = (7, 3, 1)
# OCR confusions folded back when a field is known to be numeric or alphabetic.
_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1", "Z": "2",
                           "S": "5", "B": "8", "G": "6", "A": "4"})
_TO_ALPHA = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A"})
TD3_LEN = 44
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


def _names_field(surname: str, given: str, width: int) -> str:
    """SURNAME<<GIVEN<NAMES padded with fillers to the zone width."""
    s = re.sub(r"[^A-Z]+", "<", surname.upper()).strip("<")
    g = re.sub(r"[^A-Z]+", "<", given.upper()).strip("<")
    return (s + "<<" + g).ljust(width, "<")[:width]


def _yymmdd(d: date) -> str:
    """Date in the MRZ's YYMMDD form."""
    return d.strftime("%y%m%d")


def build_td3(*, surname: str, given: str, number: str, nationality: str, birth: date, expiry: date,
              sex: str = "F", issuing: str | None = None, personal: str = "") -> list[str]:
    """Two 44-character passport lines with valid check digits (used by the synthetic generator and tests)."""
    issuing = issuing or nationality
    line1 = ("P<" + issuing + _names_field(surname, given, 39))[:TD3_LEN]
    num = number.upper().ljust(9, "<")[:9]
    pers = personal.upper().ljust(14, "<")[:14]
    b, e = _yymmdd(birth), _yymmdd(expiry)
    pers_cd = check_digit(pers) if personal else "<"
    body = num + check_digit(num) + nationality + b + check_digit(b) + sex + e + check_digit(e) + pers + pers_cd
    composite = check_digit(body[0:10] + body[13:20] + body[21:43])
    return [line1, body + composite]


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


def clean_line(text: str) -> str:
    """OCR text of one line reduced to the MRZ alphabet (guillemets and spaces are common misreads)."""
    t = text.upper().replace("«", "<<").replace("‹", "<").replace("≤", "<").replace("(", "<")
    t = re.sub(r"\s+", "", t)
    return "".join(c for c in t if c in MRZ_CHARSET)


def _date(yymmdd: str, *, expiry: bool, reference: date) -> str | None:
    """YYMMDD to ISO; expiry years are 20YY, birth years the latest century not in the future."""
    digits = yymmdd.translate(_TO_DIGIT)
    if not digits.isdigit():
        return None
    yy, mm, dd = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
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
    digit = digit.translate(_TO_DIGIT)
    if digit == "<":
        return set(field) <= {"<"}
    return check_digit(field) == digit


_CONFUSABLE = {"1": "7I", "7": "1", "0": "OD8", "O": "0D", "8": "B0", "B": "8", "5": "S", "S": "5", "2": "Z",
               "Z": "2", "I": "1", "D": "0", "6": "G", "G": "6", "4": "A", "A": "4", "E": "F", "F": "E"}


def repair(field: str, digit: str) -> str:
    """Undo one common OCR confusion (7/1, 0/O, 8/B ...) when that makes the check digit verify."""
    if _ok(field, digit):
        return field
    for i, ch in enumerate(field):
        for alt in _CONFUSABLE.get(ch, ""):
            trial = field[:i] + alt + field[i + 1:]
            if _ok(trial, digit):
                return trial
    return field


def _names(field: str) -> tuple[str, str]:
    """Split SURNAME<<GIVEN<NAMES into readable surname and given names."""
    field = field.translate(_TO_ALPHA).rstrip("<")
    surname, _, given = field.partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def parse_td3(lines: list[str], reference: date | None = None) -> dict:
    """Parse two passport lines; `checks_ok` is True only when every check digit verifies."""
    reference = reference or date.today()
    l1, l2 = (ln.ljust(TD3_LEN, "<")[:TD3_LEN] for ln in lines[:2])
    number = repair(l2[0:9], l2[9])
    l2 = number + l2[9:]
    birth_f = l2[13:19].translate(_TO_DIGIT)
    expiry_f = l2[21:27].translate(_TO_DIGIT)
    l2n = number + l2[9].translate(_TO_DIGIT) + l2[10:13].translate(_TO_ALPHA) + birth_f + l2[19] + l2[20] \
        + expiry_f + l2[27] + l2[28:44]
    checks = {
        "document_number": _ok(number, l2[9]),
        "birth_date": _ok(birth_f, l2[19]),
        "expiry": _ok(expiry_f, l2[27]),
        "personal_number": _ok(l2[28:42], l2[42]),
        "composite": _ok(l2n[0:10] + l2n[13:20] + l2n[21:43], l2[43]),
    }
    surname, given = _names(l1[5:44])
    return {
        "format": "TD3",
        "document_type": l1[0:2].rstrip("<"),
        "issuing_state": l1[2:5].translate(_TO_ALPHA),
        "document_number": number.rstrip("<"),
        "nationality": l2[10:13].translate(_TO_ALPHA),
        "birth_date": _date(birth_f, expiry=False, reference=reference),
        "sex": l2[20],
        "expiry": _date(expiry_f, expiry=True, reference=reference),
        "surname": surname,
        "given_names": given,
        "checks": checks,
        "checks_ok": all(checks.values()),
        "lines": [l1, l2],
    }


def parse_td1(lines: list[str], reference: date | None = None) -> dict:
    """Parse three ID-card lines; `checks_ok` is True only when every check digit verifies."""
    reference = reference or date.today()
    l1, l2, l3 = (ln.ljust(TD1_LEN, "<")[:TD1_LEN] for ln in lines[:3])
    number = repair(l1[5:14], l1[14])
    l1 = l1[:5] + number + l1[14:]
    birth_f = l2[0:6].translate(_TO_DIGIT)
    expiry_f = l2[8:14].translate(_TO_DIGIT)
    l2n = birth_f + l2[6] + l2[7] + expiry_f + l2[14:30]
    checks = {
        "document_number": _ok(number, l1[14]),
        "birth_date": _ok(birth_f, l2[6]),
        "expiry": _ok(expiry_f, l2[14]),
        "composite": _ok(l1[5:30] + l2n[0:7] + l2n[8:15] + l2n[18:29], l2[29]),
    }
    surname, given = _names(l3)
    return {
        "format": "TD1",
        "document_type": l1[0:2].rstrip("<"),
        "issuing_state": l1[2:5].translate(_TO_ALPHA),
        "document_number": number.rstrip("<"),
        "nationality": l2[15:18].translate(_TO_ALPHA),
        "birth_date": _date(birth_f, expiry=False, reference=reference),
        "sex": l2[7],
        "expiry": _date(expiry_f, expiry=True, reference=reference),
        "surname": surname,
        "given_names": given,
        "checks": checks,
        "checks_ok": all(checks.values()),
        "lines": [l1, l2, l3],
    }


def find_mrz(texts: list[str], reference: date | None = None) -> dict | None:
    """Find and parse an MRZ among OCR'd lines: TD3 (2x44) or TD1 (3x30), best check-digit score wins."""
    cleaned = [clean_line(t) for t in texts]
    cands = [c for c in cleaned if len(c) >= 20 and (c.count("<") >= 2 or len(c) >= 40)]
    best: dict | None = None
    best_score = -1
    for i in range(len(cands)):
        for size, fmt in ((2, "TD3"), (3, "TD1")):
            group = cands[i:i + size]
            if len(group) < size:
                continue
            target = TD3_LEN if fmt == "TD3" else TD1_LEN
            # data lines must be near full length; name lines often lose trailing fillers to OCR
            data_lines = group[1:2] if fmt == "TD3" else group[0:2]
            name_line = group[0] if fmt == "TD3" else group[2]
            if any(abs(len(g) - target) > 3 for g in data_lines) or not 20 <= len(name_line) <= target + 4:
                continue
            parsed = parse_td3(group, reference) if fmt == "TD3" else parse_td1(group, reference)
            score = sum(parsed["checks"].values()) + (2 if parsed["expiry"] else 0)
            if score > best_score:
                best, best_score = parsed, score
    if best is not None:
        logger.debug("MRZ %s found, checks_ok=%s", best["format"], best["checks_ok"])
    return best
