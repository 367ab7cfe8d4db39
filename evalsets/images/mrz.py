"""Machine-readable zones written from ICAO Doc 9303 (TD1, TD2, TD3, visas MRV-A and MRV-B), with check digits."""

from __future__ import annotations

from datetime import date

_WEIGHTS = (7, 3, 1)


def char_value(ch: str) -> int:
    """0-9 are themselves, A-Z are 10-35, the filler '<' is 0 (Doc 9303 part 3, 4.9)."""
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    if ch == "<":
        return 0
    raise ValueError(f"not an MRZ character: {ch!r}")


def check_digit(field: str) -> str:
    """The 7-3-1 weighted check digit of a field."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def yymmdd(d: date) -> str:
    return d.strftime("%y%m%d")


def _pad(text: str, width: int) -> str:
    text = text.upper().replace(" ", "<").replace("-", "<").replace("'", "")
    return (text + "<" * width)[:width]


def names_field(surname: str, given: str, width: int) -> str:
    return _pad(f"{surname}<<{given}", width)


def _docnum(number: str) -> str:
    return _pad(number, 9)


def td3(*, doc_type: str, issuer: str, surname: str, given: str, number: str, nationality: str,
        birth: date, sex: str, expiry: date, personal: str = "") -> list[str]:
    """Passport data page: 2 lines of 44."""
    l1 = _pad(doc_type, 2) + issuer + names_field(surname, given, 39)
    num, pers = _docnum(number), _pad(personal, 14)
    pers_cd = check_digit(pers) if personal else "<"
    body = num + check_digit(num) + nationality + yymmdd(birth) + check_digit(yymmdd(birth)) + sex \
        + yymmdd(expiry) + check_digit(yymmdd(expiry)) + pers + pers_cd
    composite = body[0:10] + body[13:20] + body[21:43]
    return [l1, body + check_digit(composite)]


def td2(*, doc_type: str, issuer: str, surname: str, given: str, number: str, nationality: str,
        birth: date, sex: str, expiry: date, optional: str = "") -> list[str]:
    """ID card or residence permit in the TD2 size: 2 lines of 36."""
    l1 = _pad(doc_type, 2) + issuer + names_field(surname, given, 31)
    num = _docnum(number)
    body = num + check_digit(num) + nationality + yymmdd(birth) + check_digit(yymmdd(birth)) + sex \
        + yymmdd(expiry) + check_digit(yymmdd(expiry)) + _pad(optional, 7)
    composite = body[0:10] + body[13:20] + body[21:35]
    return [l1, body + check_digit(composite)]


def td1(*, doc_type: str, issuer: str, surname: str, given: str, number: str, nationality: str,
        birth: date, sex: str, expiry: date, optional1: str = "", optional2: str = "") -> list[str]:
    """ID card in the TD1 size: 3 lines of 30."""
    num = _docnum(number)
    l1 = _pad(doc_type, 2) + issuer + num + check_digit(num) + _pad(optional1, 15)
    l2 = yymmdd(birth) + check_digit(yymmdd(birth)) + sex + yymmdd(expiry) + check_digit(yymmdd(expiry)) \
        + nationality + _pad(optional2, 11)
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += check_digit(composite)
    return [l1, l2, names_field(surname, given, 30)]


def visa(*, fmt: str, issuer: str, surname: str, given: str, number: str, nationality: str,
         birth: date, sex: str, expiry: date, optional: str = "") -> list[str]:
    """Visa sticker: MRV-A (2 x 44) or MRV-B (2 x 36); visas carry no composite check digit."""
    width = 44 if fmt == "MRV-A" else 36
    l1 = "V<" + issuer + names_field(surname, given, width - 5)
    num = _docnum(number)
    body = num + check_digit(num) + nationality + yymmdd(birth) + check_digit(yymmdd(birth)) + sex \
        + yymmdd(expiry) + check_digit(yymmdd(expiry))
    return [l1, body + _pad(optional, width - len(body))]


def verify(lines: list[str]) -> bool:
    """True when every check digit of an MRZ made by this module verifies (used by the tests and the scorer)."""
    widths = [len(x) for x in lines]
    try:
        if widths == [30, 30, 30]:
            l1, l2, _ = lines
            ok = l1[14] == check_digit(l1[5:14]) and l2[6] == check_digit(l2[0:6]) \
                and l2[14] == check_digit(l2[8:14])
            return ok and l2[29] == check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
        if len(lines) == 2 and widths[0] == widths[1] and widths[0] in (36, 44):
            l2 = lines[1]
            ok = l2[9] == check_digit(l2[0:9]) and l2[19] == check_digit(l2[13:19]) \
                and l2[27] == check_digit(l2[21:27])
            if lines[0].startswith("V"):
                return ok
            if widths[0] == 44:
                return ok and l2[43] == check_digit(l2[0:10] + l2[13:20] + l2[21:43])
            return ok and l2[35] == check_digit(l2[0:10] + l2[13:20] + l2[21:35])
    except ValueError:
        return False
    return False
