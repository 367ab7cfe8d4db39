"""Text decoding that trusts a declared charset first and guesses only what is undeclared or plainly wrong.

Mail from everywhere: Chinese clients that mislabel GBK as GB2312, Outlook's iso-8859-8-i, Latin-1 sent as
"utf-8" or with no label at all. The rules, in order:

1. A declared charset is used first (through an alias table, with the usual supersets: GB2312 → GB18030,
   Big5 → Big5-HKSCS, Latin-1 → Windows-1252). A few bad bytes are replaced where they are: one bad byte
   costs one character, never the whole text.
2. Text that is not valid in its declared charset, or has none, is read as UTF-8 when its multi-byte
   sequences are mostly valid UTF-8.
3. Otherwise the bytes are legacy 8-bit text: a double-byte Chinese reading is taken only when the result
   scores as Chinese (mostly frequent characters, not a lone character glued into a Latin word); else a
   single-byte charset is chosen by a plausibility score and charset-normalizer's statistics. Charsets
   declared elsewhere in the same message (`charset_hints`) are tried first.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

# Mislabelled mail is decoded with the superset of the declared charset (what mail clients really send).
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "euc_cn": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "iso2022_jp": "iso2022_jp_ext",
    "ascii": "utf-8",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "tis_620": "cp874",
}
# Labels seen in real mail that Python's codec registry does not know (WHATWG and IANA aliases).
_ALIASES = {
    "x-gbk": "gbk",
    "gb_2312-80": "gb2312",
    "chinese": "gb2312",
    "csgb2312": "gb2312",
    "x-euc-cn": "gb2312",
    "cn-big5": "big5",
    "x-x-big5": "big5",
    "csbig5": "big5",
    "big5-hkscs": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ks_c_5601-1989": "cp949",
    "windows-949": "cp949",
    "x-sjis": "shift_jis",
    "windows-31j": "cp932",
    "x-euc-jp": "euc_jp",
    "x-mac-cyrillic": "mac_cyrillic",
    "x-mac-roman": "mac_roman",
    "x-mac-ce": "mac_latin2",
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    # Hebrew and Arabic with explicit (i) or implicit (e) direction: the same bytes as the plain charset.
    "iso-8859-8-i": "iso8859_8",
    "iso-8859-8-e": "iso8859_8",
    "iso_8859-8-i": "iso8859_8",
    "csiso88598i": "iso8859_8",
    "csiso88598e": "iso8859_8",
    "logical": "iso8859_8",
    "visual": "iso8859_8",
    "iso-8859-6-i": "iso8859_6",
    "iso-8859-6-e": "iso8859_6",
    "csiso88596i": "iso8859_6",
    "csiso88596e": "iso8859_6",
    "windows-874": "cp874",
    "x-cp1250": "cp1250",
    "x-cp1251": "cp1251",
    "latin-9": "iso8859_15",
    "8859-1": "latin_1",
    "iso8859-1": "latin_1",
}
# Legacy double-byte codecs that happily decode UTF-8 or Latin-1 bytes into nonsense.
_MULTIBYTE = {"gb18030", "big5hkscs", "cp949", "cp932", "euc_jp", "iso2022_jp_ext", "iso2022_kr", "johab"}
# Undeclared double-byte text is tried as Chinese only (the desk's customers); other codecs need a hint.
_CJK_GUESSES = ("gb18030", "big5hkscs")
# Single-byte charsets tried for undeclared legacy text, most common first (ties go to the earlier one).
_SINGLE_BYTE_GUESSES = ("cp1252", "cp1251", "koi8_r", "iso8859_2", "cp1250", "cp1253", "cp1254", "cp1255",
                        "cp1257", "cp1256", "cp874")
_UNDECLARED = ("unknown-8bit", "x-unknown", "unknown")
# Python codecs that are not mail charsets: they refuse to decode or turn text into something else.
_NOT_CHARSETS = {"undefined", "idna", "punycode", "raw_unicode_escape", "unicode_escape", "palmos"}
UTF8_REPLACED = "utf-8 (bad bytes replaced)"

_hints: ContextVar[tuple[str, ...]] = ContextVar("charset_hints", default=())


@contextmanager
def charset_hints(charsets: object) -> Iterator[None]:
    """Within the block, undeclared 8-bit text tries the charsets the same message declares elsewhere first.

    Nested blocks put their charsets before the outer ones (a header's encoded words, then the message's parts).
    """
    found: list[str] = []
    for name in charsets:  # type: ignore[attr-defined]
        codec = codec_for(name)
        if codec and codec not in ("utf-8", "utf_7", "hz") and codec not in found:
            found.append(codec)
    token = _hints.set(tuple(dict.fromkeys([*found, *_hints.get()])))
    try:
        yield
    finally:
        _hints.reset(token)


def codec_for(charset: str | None) -> str | None:
    """Python codec name to use for a declared charset, or None when it is missing or unknown."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    canonical = info.name.replace("-", "_")
    if not getattr(info, "_is_text_encoding", True) or canonical in _NOT_CHARSETS:
        return None
    if canonical in ("utf_8", "utf_8_sig"):
        return "utf-8"
    return _SUPERSETS.get(canonical, canonical)


# Frequent characters of simplified and traditional Chinese: a right guess shows many of them.
_COMMON = set(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家"
    "种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实请您照片身份证审核失败"
    "這個們來為國說時會對於著過發後裡種經麼學現當沒動還進樣開從實請審核護證"
)
_SAMPLE = 4000


def _score(text: str) -> int:
    """How plausible decoded text is: common characters count for it, private-use and rare ones against."""
    score = 0
    for ch in text[:_SAMPLE * 4]:
        code = ord(ch)
        if ch in _COMMON:
            score += 2
        elif 0xE000 <= code <= 0xF8FF or 0x3400 <= code <= 0x4DBF or code >= 0x20000 or ch == "\ufffd":
            score -= 3
        elif code < 32 and ch not in "\t\r\n":
            score -= 3
    return score


def _is_cjk(ch: str) -> bool:
    return 0x4E00 <= ord(ch) <= 0x9FFF or 0x3400 <= ord(ch) <= 0x4DBF or 0xF900 <= ord(ch) <= 0xFAFF


def _frequent_hanzi(ch: str, codec: str) -> bool:
    """In GB2312's level 1 (3755 characters) or Big5's frequent block (5401): the characters people write.

    Only the block of the codec that produced the character counts: mojibake from one codec is often a
    frequent character of the other.
    """
    if codec != "big5hkscs":
        try:
            gb = ch.encode("gb2312")
            if len(gb) == 2 and 0xB0 <= gb[0] <= 0xD7:
                return True
        except UnicodeEncodeError:
            pass
    if codec != "gb18030":
        try:
            big5 = ch.encode("big5")
            return len(big5) == 2 and 0xA440 <= (big5[0] << 8 | big5[1]) <= 0xC67E
        except UnicodeEncodeError:
            return False
    return False


def looks_chinese(text: str, codec: str = "", *, trusted: bool = False) -> bool:
    """True when decoded text reads as Chinese, not as Latin-1 bytes paired into rare characters.

    Mojibake of European text shows rare characters and lone characters glued into Latin words ("Fr鰏che",
    "M黮ler"); real Chinese is mostly frequent characters in runs. `trusted` (the message declares a Chinese
    charset elsewhere) lowers the bar.
    """
    sample = text[:_SAMPLE]
    hanzi = frequent = glued = 0
    for index, ch in enumerate(sample):
        if not _is_cjk(ch):
            if 0xE000 <= ord(ch) <= 0xF8FF or 0x80 <= ord(ch) <= 0x9F:
                return False
            continue
        hanzi += 1
        frequent += _frequent_hanzi(ch, codec)
        before = sample[index - 1] if index else " "
        after = sample[index + 1] if index + 1 < len(sample) else " "
        if not _is_cjk(before) and not _is_cjk(after) and (before.isascii() and before.isalpha()
                                                            or after.isascii() and after.isalpha()):
            glued += 1
    if not hanzi:
        return False
    need = 0.5 if trusted else 0.75
    return frequent >= need * hanzi and glued <= 0.25 * hanzi


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return "?"


_WORD = re.compile(r"\S+")
_IN_WORD = "\u2019\u2018\u00b7\u2013\u2014\u2010\u00ad"  # apostrophes, dots and dashes that do sit inside words


def _implausibility(text: str) -> int:
    """How much single-byte-decoded text looks like mojibake: mixed scripts, symbols inside words, and so on."""
    penalty = 0
    for match in _WORD.finditer(text[:_SAMPLE]):
        word = match.group()
        if word.isascii():
            continue
        letters = [ch for ch in word if ch.isalpha()]
        scripts = {_script(ch) for ch in letters}
        if len(scripts) > 1:
            penalty += 3
        for i in range(1, len(word) - 1):
            ch = word[i]
            if not ch.isascii() and not ch.isalpha() and word[i - 1].isalpha() and word[i + 1].isalpha() \
                    and ch not in _IN_WORD and unicodedata.category(ch)[0] != "M":
                penalty += 2
        if scripts == {"LATIN"} and len(letters) >= 3 and not any(ch.isascii() for ch in letters):
            penalty += 2
        for i in range(1, len(letters)):
            if letters[i].isupper() and letters[i - 1].islower() and not (letters[i].isascii() and letters[i - 1].isascii()):
                penalty += 2
                break
        penalty += 5 * sum(1 for ch in word if 0x80 <= ord(ch) <= 0x9F or ch == "\ufffd")
    return penalty


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 with a few bad bytes (more valid multi-byte characters than errors)."""
    data = data[:262144]  # a sample decides; the cut may split one character, which counts as one error
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good > 0 and good >= bad


def _single_byte_decode(data: bytes, hints: tuple[str, ...]) -> tuple[str, str]:
    """The most plausible single-byte reading, hints first; charset-normalizer breaks ties on longer text.

    The candidates are ranked on the first 64 KB; only the winner decodes the whole text.
    """
    sample = data[:65536]
    names = list(dict.fromkeys([h for h in hints if h not in _MULTIBYTE] + list(_SINGLE_BYTE_GUESSES)))
    readings = []
    for name in names:
        try:
            readings.append((name, sample.decode(name)))
        except (UnicodeError, LookupError):
            continue
    if not readings:
        return data.decode("cp1252", errors="replace"), "cp1252"
    statistics: dict[str, tuple[float, float]] = {}
    if len(sample.translate(None, bytes(range(128)))) >= 16:  # enough 8-bit bytes for statistics
        from charset_normalizer import from_bytes

        for match in from_bytes(sample, cp_isolation=[name for name, _ in readings], preemptive_behaviour=False):
            statistics[match.encoding] = (round(match.chaos, 2), -round(match.coherence, 2))
            for alias in match.could_be_from_charset:
                statistics.setdefault(alias, statistics[match.encoding])
    ranked = sorted(
        (_implausibility(text), *statistics.get(name, (1.0, 0.0)), index, name)
        for index, (name, text) in enumerate(readings)
    )
    best = ranked[0][-1]
    return data.decode(best, errors="replace"), best


def guess_decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown charset; returns (text, codec used)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    hints = _hints.get()
    chinese = []
    for order, name in enumerate(dict.fromkeys([h for h in hints if h in _MULTIBYTE] + list(_CJK_GUESSES))):
        try:
            # a sample first (a character cut at its end is left out), the whole text only for a plausible codec
            sample = codecs.getincrementaldecoder(name)().decode(data[:65536], final=len(data) <= 65536)
        except (UnicodeError, LookupError):
            continue
        if name in hints and name not in _CJK_GUESSES or looks_chinese(sample, name, trusted=name in hints):
            try:
                text = data.decode(name)
            except (UnicodeError, LookupError):
                continue
            if name in hints and name not in _CJK_GUESSES:  # declared Japanese or Korean elsewhere
                return text, name
            chinese.append((_score(sample), -order, text, name))
    if chinese:
        best = max(chinese)
        return best[2], best[3]
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), UTF8_REPLACED
    return _single_byte_decode(data, hints)


def _warning_for_guess(charset: str | None, used: str) -> str:
    if charset and charset.strip().lower() not in _UNDECLARED:
        return "unknown charset %r, decoded as %s" % (charset, used)
    return "undeclared charset, decoded as %s" % used if used != "utf-8" else ""


def decode_text(data: bytes, charset: str | None) -> tuple[str, str]:
    """Decode bytes declared as `charset`; returns (text, warning) where warning is "" when all went well."""
    if not data:
        return "", ""
    codec = codec_for(charset)
    if data.isascii() and b"\x1b" not in data and codec not in ("utf_7", "hz"):
        return data.decode("ascii"), ""
    if codec is None:
        text, used = guess_decode(data)
        return text, _warning_for_guess(charset, used)
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        pass
    else:
        if codec in _MULTIBYTE:
            try:
                as_utf8 = data.decode("utf-8")
            except UnicodeDecodeError:
                return text, ""
            if _score(as_utf8) > _score(text):
                return as_utf8, "text labelled %s was UTF-8" % charset
        elif not codec.startswith(("utf", "iso2022")) and _is_utf8_text(data):
            return data.decode("utf-8"), "text labelled %s was UTF-8" % charset
        return text, ""
    if codec == "utf-8":
        text, used = guess_decode(data)
        if used == UTF8_REPLACED:
            return text, "text not valid %s; bad bytes replaced" % charset
        return text, "text labelled %s was not UTF-8; decoded as %s" % (charset, used)
    try:
        replaced = data.decode(codec, errors="replace")
    except (LookupError, ValueError):
        replaced = ""
    if replaced and replaced.count("\ufffd") <= max(1, len(replaced) // 50):
        return replaced, "text not valid %s; bad bytes replaced" % charset
    text, used = guess_decode(data)
    return text, "text labelled %s decoded as %s" % (charset, used)


def _is_utf8_text(data: bytes) -> bool:
    """Valid UTF-8 with at least one multi-byte character: single-byte text almost never is by chance."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii()
