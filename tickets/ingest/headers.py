"""Header decoding done by hand, because real mail has raw 8-bit headers and charsets Python does not know."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone

from .charsets import decode_text, guess_decode

_ENCODED_WORD = re.compile(r"=\?([^?\s]*)\?([qQbB])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)[ \t\r\n]+(?==\?)")
_MSGID = re.compile(r"<([^<>\s]*)>")
_WS = re.compile(r"\s+")
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w.-]+", re.UNICODE)


def raw_to_str(value: str) -> tuple[str, str]:
    """Turn a header value as stored by the parser (8-bit bytes as surrogates) into text, with a warning."""
    if not isinstance(value, str):
        value = str(value)
    if "\x1b$" in value and value.isascii():
        try:
            return value.encode("ascii").decode("iso2022_jp_ext"), ""
        except UnicodeDecodeError:
            pass
    try:
        value.encode("utf-8")
        return value, ""
    except UnicodeEncodeError:
        pass
    data = value.encode("utf-8", errors="surrogateescape")
    text, used = guess_decode(data)
    return text, "" if used == "utf-8" else "8-bit header decoded as %s" % used


def clean_text(text: str) -> str:
    """Remove control and format characters (keeps tabs/newlines out too) and fold whitespace."""
    out = []
    for ch in text:
        if ch in "\t\r\n":
            out.append(" ")
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs") or (cat == "Cf" and ch not in "\u200d"):
            continue
        out.append(ch)
    return _WS.sub(" ", "".join(out)).strip()


def _decode_word(charset: str, encoding: str, payload: str, warnings: list[str]) -> str:
    """Decode one RFC 2047 encoded word."""
    import base64
    import binascii
    import quopri

    charset = charset.split("*", 1)[0]  # RFC 2231 language suffix
    try:
        if encoding.lower() == "b":
            padded = payload + "=" * (-len(payload) % 4)
            data = base64.b64decode(padded.encode("ascii", "replace"), validate=False)
        else:
            data = quopri.decodestring(payload.replace("_", " ").encode("ascii", "replace"), header=True)
    except (binascii.Error, ValueError):
        warnings.append("broken encoded word in header")
        return payload
    text, warning = decode_text(data, charset)
    if warning:
        warnings.append("header: " + warning)
    return text


def decode_header_value(value: str | None, warnings: list[str] | None = None) -> str:
    """RFC 2047 decode a raw header value into clean single-line text."""
    if value is None:
        return ""
    warnings = warnings if warnings is not None else []
    text, warning = raw_to_str(value)
    if warning:
        warnings.append(warning)
    text = _BETWEEN_WORDS.sub(r"\1", text)
    text = _ENCODED_WORD.sub(lambda m: _decode_word(m.group(1), m.group(2), m.group(3), warnings), text)
    return clean_text(text)


def normalise_msgid(value: str | None) -> str:
    """First message id in a header as "<...>", or "" when there is none."""
    ids = msgid_list(value)
    return ids[0] if ids else ""


def msgid_list(value: str | None) -> tuple[str, ...]:
    """All message ids in a References-like header, normalised to "<...>" and de-duplicated in order."""
    if not value:
        return ()
    text = clean_text(raw_to_str(str(value))[0])
    found = [m for m in _MSGID.findall(text) if m]
    if not found:
        found = [tok.strip("<>,;") for tok in text.split() if "@" in tok]
        if not found and text and len(text.split()) == 1:
            found = [text.strip("<>")]
    seen: dict[str, None] = {}
    for item in found:
        if item:
            seen.setdefault("<%s>" % item[:900], None)
    return tuple(seen)


def parse_addresses(value: str | None, warnings: list[str] | None = None) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs from an address header, tolerant of junk."""
    from email.utils import getaddresses

    if not value:
        return []
    warnings = warnings if warnings is not None else []
    raw, warning = raw_to_str(str(value))
    if warning:
        warnings.append(warning)
    raw = raw.replace("\r", " ").replace("\n", " ")
    try:
        pairs = getaddresses([raw])
    except Exception:  # noqa: BLE001 - stdlib address parsing has raised on hostile input
        pairs = []
    result = []
    for name, addr in pairs:
        addr = clean_text(addr).lower()
        if not addr or "@" not in addr:
            if addr and not result:
                result.append((decode_header_value(name, warnings), addr))
            continue
        result.append((decode_header_value(name, warnings), addr))
    if not any("@" in a for _, a in result):
        decoded = decode_header_value(raw, warnings)
        found = _ADDRESS.findall(decoded)
        if found:
            result = [(decoded.split("<", 1)[0].strip(' "') if "<" in decoded else "", a.lower()) for a in found]
    return [(n, a) for n, a in result if a]


def parse_date(value: str | None) -> datetime | None:
    """Timezone-aware datetime from a Date header (UTC when it has no zone), or None."""
    from email.utils import parsedate_to_datetime

    if not value:
        return None
    text = clean_text(raw_to_str(str(value))[0])
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed
