"""Header decoding done by hand, because real mail has raw 8-bit headers and charsets Python does not know."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone

from .charsets import UTF8_REPLACED, charset_hints, decode_text, guess_decode

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
    if used == UTF8_REPLACED:
        return text, "8-bit header was UTF-8 with bad bytes; they were replaced"
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
    # raw 8-bit bytes inside a word (the parser keeps them as surrogates) are kept as the bytes they were
    raw = payload.encode("utf-8", errors="surrogateescape")
    try:
        if encoding.lower() == "b":
            raw = raw.replace(b" ", b"")
            data = base64.b64decode(raw + b"=" * (-len(raw) % 4), validate=False)
        else:
            data = quopri.decodestring(raw.replace(b"_", b" "), header=True)
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
    if not isinstance(value, str):
        value = str(value)
    value = _BETWEEN_WORDS.sub(r"\1", value)
    words = list(_ENCODED_WORD.finditer(value))
    if not words:
        text, warning = raw_to_str(value)
        if warning:
            warnings.append(warning)
        return clean_text(text)
    pieces = []
    position = 0
    # raw 8-bit text between encoded words is most likely in the charset those words declare
    with charset_hints(m.group(1).split("*", 1)[0] for m in words):
        for match in words:
            pieces.append(_raw_piece(value[position:match.start()], warnings))
            pieces.append(_decode_word(match.group(1), match.group(2), match.group(3), warnings))
            position = match.end()
        pieces.append(_raw_piece(value[position:], warnings))
    return clean_text("".join(pieces))


def _raw_piece(text: str, warnings: list[str]) -> str:
    """Text outside encoded words, decoded when it holds raw 8-bit bytes."""
    if not text:
        return ""
    decoded, warning = raw_to_str(text)
    if warning:
        warnings.append(warning)
    return decoded


def strip_comments(value: str) -> str:
    """An address header without its RFC 5322 comments "(...)", nested or escaped, outside quoted strings."""
    out = []
    depth = 0
    quoted = False
    escaped = False
    for ch in value:
        if escaped:
            escaped = False
            if not depth:
                out.append(ch)
            continue
        if ch == "\\" and (quoted or depth):
            escaped = True
            if not depth:
                out.append(ch)
            continue
        if depth:
            depth += ch == "("
            depth -= ch == ")"
            if not depth:
                out.append(" ")
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == "(" and not quoted:
            depth = 1
            continue
        out.append(ch)
    return "".join(out)


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
    # 8-bit bytes stay surrogates until each name is decoded on its own (an encoded word may hold them)
    raw = str(value).replace("\r", " ").replace("\n", " ")
    try:
        pairs = getaddresses([strip_comments(raw)])
        with_comments = getaddresses([raw])
    except Exception:  # noqa: BLE001 - stdlib address parsing has raised on hostile input
        pairs = with_comments = []
    if len(pairs) == len(with_comments):  # "addr (Full Name)": the comment is the only name there is
        pairs = [(name or old_name, addr) for (name, addr), (old_name, _) in zip(pairs, with_comments)]
    result = []
    for name, addr in pairs:
        addr, warning = raw_to_str(addr)
        if warning:
            warnings.append(warning)
        addr = clean_text(addr).lower()
        if not addr or "@" not in addr:
            if addr and not result:
                result.append((decode_header_value(name, warnings), addr))
            continue
        result.append((decode_header_value(name, warnings), addr))
    if not any("@" in a for _, a in result):
        decoded = decode_header_value(strip_comments(raw), warnings)
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


HEADER_PEEK_BYTES = 256 * 1024


def header_block(raw: bytes, *, limit: int = HEADER_PEEK_BYTES, max_headers: int = 200) -> list[tuple[str, str]]:
    """A delivered message's headers as (name, decoded value), read leniently from its first bytes.

    For the record of a message that may never parse (the quarantine): nothing past the headers is read, nothing
    raises, and a message with no header block gives an empty list.
    """
    from email import policy
    from email.parser import BytesHeaderParser

    head = raw[:limit]
    for separator in (b"\r\n\r\n", b"\n\n"):
        end = head.find(separator)
        if end != -1:
            head = head[:end + len(separator)]
            break
    try:
        parsed = BytesHeaderParser(policy=policy.compat32).parsebytes(head)
        return [(str(name)[:100], decode_header_value(value)[:2000]) for name, value in parsed.items()[:max_headers]]
    except Exception:  # noqa: BLE001 - hostile bytes: the record shows no headers rather than failing
        return []


def sender_in(headers: list[tuple[str, str]]) -> str:
    """The sender's address from From (Sender, Reply-To or Return-Path when From holds none), lower case."""
    for wanted in ("from", "sender", "reply-to", "return-path"):
        for name, value in headers:
            if name.lower() == wanted:
                found = [address for _, address in parse_addresses(value) if "@" in address]
                if found:
                    return found[0][:320]
    return ""
