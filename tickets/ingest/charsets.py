"""Text decoding with fallbacks, because mail from Chinese clients often lies about its charset."""
from __future__ import annotations

import codecs

# Mislabelled East Asian mail is decoded with the superset of the declared charset.
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
}
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
    "x-sjis": "shift_jis",
    "x-mac-cyrillic": "mac_cyrillic",
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
}
GUESS_CHAIN = ("utf-8", "gb18030", "big5hkscs")
# Legacy double-byte codecs that happily decode UTF-8 bytes into nonsense.
_MULTIBYTE = {"gb18030", "big5hkscs", "cp949", "cp932", "euc_jp"}


def codec_for(charset: str | None) -> str | None:
    """Python codec name to use for a declared charset, or None when it is missing or unknown."""
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        canonical = codecs.lookup(name).name
    except (LookupError, ValueError, TypeError):
        return None
    canonical = canonical.replace("-", "_")
    if canonical in ("utf_8", "utf_8_sig"):
        return "utf-8"
    return _SUPERSETS.get(canonical, canonical)


# Frequent characters of simplified and traditional Chinese: a right guess shows many of them.
_COMMON = set(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家"
    "种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实请您照片身份证审核失败"
    "這個們來為國說時會對於著過發後裡種經麼學現當沒動還進樣開從實請審核護證"
)


def _score(text: str) -> int:
    """How plausible decoded text is: common characters count for it, private-use and rare ones against."""
    score = 0
    for ch in text:
        code = ord(ch)
        if ch in _COMMON:
            score += 2
        elif 0xE000 <= code <= 0xF8FF or 0x3400 <= code <= 0x4DBF or code >= 0x20000 or ch == "\ufffd":
            score -= 3
        elif code < 32 and ch not in "\t\r\n":
            score -= 3
    return score


def guess_decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown charset; returns (text, codec used)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for name in GUESS_CHAIN[1:]:
        try:
            candidates.append((data.decode(name), name))
        except UnicodeDecodeError:
            continue
    if candidates:
        best = max(candidates, key=lambda item: _score(item[0]))
        return best
    return data.decode("latin-1", errors="replace"), "latin-1"


def decode_text(data: bytes, charset: str | None) -> tuple[str, str]:
    """Decode bytes declared as `charset`; returns (text, warning) where warning is "" when all went well."""
    if not data:
        return "", ""
    codec = codec_for(charset)
    if data.isascii() and b"\x1b" not in data and codec not in ("utf_7", "hz"):
        return data.decode("ascii"), ""
    if codec is None:
        text, used = guess_decode(data)
        if charset and charset.strip().lower() not in ("unknown-8bit", "x-unknown", "unknown"):
            return text, "unknown charset %r, decoded as %s" % (charset, used)
        return text, "undeclared charset, decoded as %s" % used if used != "utf-8" else ""
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
        return text, ""
    if data.isascii():
        try:
            return data.decode(codec, errors="replace"), "text not valid %s; bad bytes replaced" % charset
        except (LookupError, ValueError):
            return data.decode("ascii"), ""
    text, used = guess_decode(data)
    if used != "latin-1":
        return text, "text labelled %s decoded as %s" % (charset, used)
    try:
        return data.decode(codec, errors="replace"), "text not valid %s; bad bytes replaced" % charset
    except (LookupError, ValueError):
        return text, "text labelled %s decoded as latin-1" % charset
