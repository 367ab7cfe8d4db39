"""Raw email bytes to plain dataclasses, tolerant of the broken mail that customers really send."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from .autoreply import auto_reply_reason
from .charsets import charset_hints, decode_text
from .headers import clean_text, decode_header_value, msgid_list, normalise_msgid, parse_addresses, parse_date
from .html import html_to_text, sanitize_html
from .mime import content_type_of, disposition_of, header_params, raw_header, safe_filename
from .quotes import strip_quoted
from .refs import format_ticket_reference, ticket_reference_in

__all__ = [
    "Limits",
    "ParsedAttachment",
    "ParsedMessage",
    "UnparseableMessage",
    "format_ticket_reference",
    "parse_message",
    "ticket_reference_in",
]

MAX_DEPTH = 20
_BOM = b"\xef\xbb\xbf"
_TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TNEF_TYPES = ("application/ms-tnef", "application/vnd.ms-tnef")
# Machine-readable parts of reports and signatures: neither body text nor something staff need to open.
_IGNORED_TYPES = {
    "message/delivery-status",
    "message/global-delivery-status",
    "message/disposition-notification",
    "message/feedback-report",
    "message/external-body",
    "message/partial",
    "text/rfc822-headers",
    "application/pgp-signature",
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
    "application/pgp-encrypted",
}
_VALID_HEADER = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
_BAD_NAME_HEADER = re.compile(rb"^([\x21-\x39\x3b-\x7e][\t\x20-\x39\x3b-\x7e]{0,99}):")
_KNOWN_HEADER = re.compile(
    rb"(?mi)^(date|from|to|subject|received|return-path|message-id|mime-version|content-type|delivered-to|"
    rb"sender|reply-to|x-[a-z0-9-]+):"
)


class UnparseableMessage(Exception):
    """Nothing useful could be read from the bytes; str(exc) says why."""


@dataclass(frozen=True)
class Limits:
    """Size limits; the defaults suit a support desk that receives phone photos."""

    max_message_bytes: int = 50 * 1024 * 1024
    max_attachments: int = 20
    max_attachment_bytes: int = 25 * 1024 * 1024
    max_text_chars: int = 1_000_000


@dataclass(frozen=True)
class ParsedAttachment:
    """One attached or inline file, or the record that it was skipped."""

    filename: str
    content_type: str
    payload: bytes
    content_id: str
    is_inline: bool
    skipped_reason: str
    size: int


@dataclass(frozen=True)
class ParsedMessage:
    """Everything the desk needs from one message, with no reference to the email package."""

    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    subject: str
    from_address: str
    from_name: str
    to_addresses: tuple[str, ...]
    date: datetime | None
    text_body: str
    text_clean: str
    html_sanitized: str
    attachments: tuple[ParsedAttachment, ...]
    auto_reply_reason: str
    warnings: tuple[str, ...]
    cc_addresses: tuple[str, ...] = ()
    reply_to: str = ""
    ticket_reference: str | None = None
    content_digest: str = ""

    @property
    def is_auto_reply(self) -> bool:
        """True when the message was sent by a machine."""
        return bool(self.auto_reply_reason)

    @property
    def empty_reason(self) -> str:
        """Why the message holds nothing to work on (no sender, subject, text or file), or ""."""
        if self.from_address or self.subject or self.text_body.strip() or self.html_sanitized.strip() \
                or self.attachments:
            return ""
        return "the message is empty: no sender, subject, text or attachment"


@dataclass
class _Body:
    """Text and HTML parts of one message (the top one or a forwarded one)."""

    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    heading: str = ""

    def text(self) -> str:
        """Plain text preferred, otherwise the HTML as text."""
        plain = "\n\n".join(p for p in self.plain if p.strip())
        if plain.strip():
            return plain.strip()
        return html_to_text("\n".join(self.html))


@dataclass
class _State:
    """What the walk over the MIME tree collects."""

    limits: Limits
    warnings: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    kept_bytes: int = 0
    forwarded: list[_Body] = field(default_factory=list)
    depth_warned: bool = False
    # parts beyond max_attachments: counted and named here, recorded as ONE attachment at the end
    omitted: int = 0
    omitted_bytes: int = 0
    omitted_names: list[str] = field(default_factory=list)

    def warn(self, text: str) -> None:
        """Record a non-fatal problem once."""
        if text and text not in self.warnings and len(self.warnings) < 200:
            self.warnings.append(text)


def _megabytes(size: int) -> str:
    """Human size for reasons."""
    return "%.1f MB" % (size / (1024 * 1024))


def _repair(raw: bytes, state: _State) -> bytes:
    """Fix what stops Python's parser early: binary junk before the headers, header names with spaces."""
    head = raw[:4096]
    first_line = head.split(b"\n", 1)[0]
    if not _VALID_HEADER.match(first_line) and not first_line.startswith(b"From "):
        if re.search(rb"[\x00-\x08\x0e-\x1f\x7f]", first_line):
            match = _KNOWN_HEADER.search(head)
            if match and match.start() > 0:
                state.warn("skipped %d bytes of binary data before the headers" % match.start())
                raw = raw[match.start():]
    end = re.search(rb"\r?\n\r?\n", raw[: 512 * 1024])
    if not end:
        return raw
    block = raw[: end.start()]
    lines = block.split(b"\n")
    kinds = []
    for index, line in enumerate(lines):
        if index == 0 and line.startswith(b"From "):
            kinds.append("ok")
        elif line[:1] in (b" ", b"\t"):
            kinds.append("cont")
        elif _VALID_HEADER.match(line):
            kinds.append("ok")
        elif _BAD_NAME_HEADER.match(line):
            kinds.append("bad")
        else:
            kinds.append("other")
    if "bad" not in kinds or "other" in kinds:
        return raw
    fixed = []
    for line, kind in zip(lines, kinds):
        if kind == "bad":
            name = _BAD_NAME_HEADER.match(line).group(1)  # type: ignore[union-attr]
            line = re.sub(rb"[ \t]", b"-", name) + line[len(name):]
        fixed.append(line)
    state.warn("header field names with spaces were repaired")
    return b"\n".join(fixed) + raw[end.start():]


def _parse_bytes(raw: bytes, state: _State) -> object:
    """Parse with the modern policy; fall back to compat32, then to headers only."""
    from email import policy
    from email.parser import BytesParser

    try:
        return BytesParser(policy=policy.default).parsebytes(raw)
    except RecursionError:
        state.warn("MIME structure nested too deeply; body read as plain text")
        return BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    except Exception as exc:  # noqa: BLE001 - try the lenient legacy policy before giving up
        state.warn("modern parser failed (%s); used compat32" % type(exc).__name__)
        return BytesParser(policy=policy.compat32).parsebytes(raw)


def _structure(part: object) -> object:
    """The payload without decoding text: a list for a multipart, else the raw string.

    get_payload() decodes 8-bit text with the declared charset and 'replace', which some codecs refuse
    (idna, punycode, undefined) and a NUL in the name breaks: fall back to what the parser stored.
    """
    try:
        return part.get_payload()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, ValueError):
        return getattr(part, "_payload", None)


def _payload_bytes(part: object, state: _State) -> bytes:
    """Decoded payload of a leaf part, b"" when there is none."""
    try:
        data = part.get_payload(decode=True)  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001
        state.warn("could not decode a part (%s); kept it undecoded" % type(exc).__name__)
        payload = _structure(part)
        if isinstance(payload, str):
            return payload.encode("utf-8", errors="surrogateescape")
        return b""
    return data if isinstance(data, bytes) else b""


def _part_text(part: object, state: _State, content_type: str) -> str:
    """Text of a text part, decoded with the charset fallback chain and cut at the text limit."""
    data = _payload_bytes(part, state)
    limit = state.limits.max_text_chars
    if len(data) > limit * 4:
        data = data[: limit * 4]
        state.warn("a %s part was truncated to %d bytes" % (content_type, limit * 4))
    charset = header_params(raw_header(part, "Content-Type")).get("charset")
    text, warning = decode_text(data, charset)
    state.warn(warning)
    if len(text) > limit:
        text = text[:limit]
        state.warn("a %s part was truncated to %d characters" % (content_type, limit))
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _add_attachment(part: object, content_type: str, disposition: str, state: _State, reason: str = "") -> None:
    """Record an attachment, skipping it with a reason when a limit is hit."""
    limits = state.limits
    index = len(state.attachments) + 1
    params = header_params(raw_header(part, "Content-Disposition"))
    name = params.get("filename") or header_params(raw_header(part, "Content-Type")).get("name", "")
    filename = safe_filename(name, content_type, index)
    content_id = clean_text(decode_header_value(raw_header(part, "Content-ID"))).strip().strip("<>").strip()
    payload = _payload_bytes(part, state)
    size = len(payload)
    if index > limits.max_attachments:
        state.omitted += 1
        state.omitted_bytes += size
        if len(state.omitted_names) < 10:
            state.omitted_names.append(filename)
        return
    if not reason and size > limits.max_attachment_bytes:
        reason = "attachment is %s, over the %s limit" % (_megabytes(size), _megabytes(limits.max_attachment_bytes).replace(".0 MB", " MB"))
    if not reason and state.kept_bytes + size > limits.max_message_bytes:
        reason = "attachment is %s; keeping it would take the message over the %s limit" % (
            _megabytes(size),
            _megabytes(limits.max_message_bytes).replace(".0 MB", " MB"),
        )
    if reason:
        state.warn("%s skipped: %s" % (filename, reason))
        payload = b""
    else:
        state.kept_bytes += size
    is_inline = disposition == "inline" or (disposition == "" and bool(content_id))
    state.attachments.append(
        ParsedAttachment(
            filename=filename,
            content_type=content_type,
            payload=payload,
            content_id=content_id,
            is_inline=is_inline,
            skipped_reason=reason,
            size=size,
        )
    )


def _omitted_record(state: _State) -> ParsedAttachment:
    """The one record that stands for every part over the attachment limit (never one row per part)."""
    names = ", ".join(state.omitted_names)
    if state.omitted > len(state.omitted_names):
        names += " and %d more" % (state.omitted - len(state.omitted_names))
    reason = "more than %d attachments in the message; %d more (%s in all: %s) were not kept" % (
        state.limits.max_attachments, state.omitted, _megabytes(state.omitted_bytes), names)
    state.warn(reason)
    return ParsedAttachment(filename="more-attachments-not-kept", content_type="", payload=b"", content_id="",
                            is_inline=False, skipped_reason=reason, size=0)


def _tnef_reason(part: object, state: _State) -> str:
    """Why a TNEF (winmail.dat) part is skipped, or "" when it is not really TNEF."""
    head = _payload_bytes(part, state)[:4]
    if head == _TNEF_SIGNATURE:
        return "Outlook TNEF (winmail.dat) container; its files cannot be read here, ask the sender to resend without rich text"
    state.warn("a part labelled TNEF is not a TNEF stream; kept as an ordinary attachment")
    return ""


def _forward_heading(message: object) -> str:
    """The marker put before the text of a forwarded message."""
    lines = ["---------- Forwarded message ----------"]
    for name in ("From", "Date", "Subject", "To"):
        value = decode_header_value(raw_header(message, name))
        if value:
            lines.append("%s: %s" % (name, value))
    return "\n".join(lines)


def _transfer_encoding(part: object) -> str:
    """Content-Transfer-Encoding in lower case, "" when missing."""
    return clean_text(raw_header(part, "Content-Transfer-Encoding")).lower()


def _encoded_message_bytes(inner: object, encoding: str) -> bytes:
    """The bytes of a message/rfc822 part sent base64 or quoted-printable (the parser read the encoded text)."""
    import base64
    import binascii
    import quopri
    from email import policy

    encoded = inner.as_bytes(policy=policy.compat32)  # type: ignore[attr-defined]
    if encoding == "base64":
        try:
            return base64.b64decode(re.sub(rb"[^A-Za-z0-9+/=]", b"", encoded).split(b"=", 1)[0] + b"==",
                                    validate=False)
        except (binascii.Error, ValueError):
            return encoded
    return quopri.decodestring(encoded)


def _walk(part: object, body: _Body, state: _State, depth: int, root: bool = False) -> None:
    """Collect text, HTML and attachments from one MIME part and its children (root: a message's own part)."""
    if depth > MAX_DEPTH:
        if not state.depth_warned:
            state.depth_warned = True
            state.warn("MIME nesting deeper than %d levels; the inner parts were ignored" % MAX_DEPTH)
        return
    content_type = content_type_of(part)
    if content_type in _IGNORED_TYPES:
        return
    maintype = content_type.split("/", 1)[0]
    payload = _structure(part)
    if isinstance(payload, list):
        if maintype == "message" or content_type == "message/rfc822":
            encoding = _transfer_encoding(part)
            if encoding in ("base64", "quoted-printable") and len(payload) == 1:
                state.warn("a forwarded message was sent %s-encoded; it was decoded" % encoding)
                _walk_forwarded_bytes(_encoded_message_bytes(payload[0], encoding), state, depth + 1)
                return
            for inner in payload:
                _walk_forwarded(inner, state, depth + 1)
            return
        for child in payload:
            _walk(child, body, state, depth + 1)
        return
    disposition = disposition_of(part)
    if content_type in ("message/rfc822", "message/global"):
        _walk_forwarded_bytes(_payload_bytes(part, state), state, depth + 1)
        return
    has_name = bool(
        header_params(raw_header(part, "Content-Disposition")).get("filename")
        or header_params(raw_header(part, "Content-Type")).get("name")
    )
    if maintype == "multipart":
        state.warn("a %s part has no usable boundary; read as plain text" % content_type)
        body.plain.append(_part_text(part, state, content_type))
        return
    is_text = content_type in ("text/plain", "text/html") or (content_type == "text/enriched")
    # a text part with a file name is still the body when it is the message itself or shown inline
    if is_text and (root or disposition != "attachment" and (not has_name or disposition == "inline")):
        text = _part_text(part, state, content_type)
        (body.html if content_type == "text/html" else body.plain).append(text)
        return
    reason = ""
    if content_type in _TNEF_TYPES or (
        has_name and header_params(raw_header(part, "Content-Disposition")).get("filename", "").lower() == "winmail.dat"
    ):
        reason = _tnef_reason(part, state)
    _add_attachment(part, content_type, disposition, state, reason)


def _walk_forwarded(message: object, state: _State, depth: int) -> None:
    """Walk an attached message: its files count as attachments, its text is kept apart."""
    body = _Body(heading=_forward_heading(message))
    state.forwarded.append(body)
    _walk(message, body, state, depth, root=True)


def _walk_forwarded_bytes(data: bytes, state: _State, depth: int) -> None:
    """Parse and walk a message/rfc822 part that the parser left as bytes."""
    if not data.strip():
        return
    _walk_forwarded(_parse_bytes(data, state), state, depth)


def _collect_defects(message: object, state: _State) -> None:
    """Turn the parser's defect lists into readable warnings."""
    stack = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        for defect in getattr(part, "defects", []) or []:
            state.warn("MIME defect: %s" % type(defect).__name__)
        payload = _structure(part) if hasattr(part, "get_payload") else None
        if content_type_of(part).startswith("message/") and _transfer_encoding(part) in ("base64", "quoted-printable"):
            continue  # the parser read the encoded text as a message; the decoded one is parsed on its own
        if isinstance(payload, list) and depth < MAX_DEPTH:
            stack.extend((child, depth + 1) for child in payload)


def _looks_useless(raw: bytes, message: object) -> str:
    """A reason when the bytes are not a message at all, else ""."""
    if raw.startswith(_OLE2_SIGNATURE):
        return "this is an Outlook .msg file (OLE2 compound document), not an RFC 5322 message; save it as .eml"
    keys = list(message.keys())  # type: ignore[attr-defined]
    if keys:
        return ""
    sample = raw[:4096]
    if sample.count(b"\x00") > 16 or sum(1 for b in sample if b < 9 or 13 < b < 32) > len(sample) // 10:
        return "no email headers found and the content is binary data"
    return ""


def _parse(raw: bytes, limits: Limits) -> ParsedMessage:
    """parse_message without the error wrapping."""
    if isinstance(raw, (bytearray, memoryview)):
        raw = bytes(raw)
    if not isinstance(raw, bytes):
        raise UnparseableMessage("expected the raw message as bytes, got %s" % type(raw).__name__)
    if not raw.strip():
        raise UnparseableMessage("the message is empty")
    if raw.startswith(_OLE2_SIGNATURE):
        raise UnparseableMessage(_looks_useless(raw, None))
    state = _State(limits=limits)
    if raw.startswith(_BOM):  # saved by a Windows editor: the headers start after the byte-order mark
        raw = raw[len(_BOM):]
        state.warn("a byte-order mark before the headers was removed")
    if len(raw) > limits.max_message_bytes:
        state.warn(
            "message is %s, over the %s limit; large parts were skipped or truncated"
            % (_megabytes(len(raw)), _megabytes(limits.max_message_bytes).replace(".0 MB", " MB"))
        )
    message = _parse_bytes(_repair(raw, state), state)
    useless = _looks_useless(raw, message)
    if useless:
        raise UnparseableMessage(useless)
    _collect_defects(message, state)
    # undeclared 8-bit text (raw headers, unlabelled parts) is tried first in the charsets declared elsewhere
    with charset_hints(_declared_charsets(message)):
        return _read(message, raw, state)


def _declared_charsets(message: object) -> list[str]:
    """Charsets the message's parts and encoded words declare, in order of appearance."""
    found: list[str] = []
    stack = [(message, 0)]
    while stack:
        part, depth = stack.pop(0)
        charset = header_params(raw_header(part, "Content-Type")).get("charset")
        if charset:
            found.append(charset)
        for name in ("Subject", "From"):
            found.extend(m.group(1) for m in _WORD_CHARSET.finditer(raw_header(part, name)))
        payload = _structure(part)
        if isinstance(payload, list) and depth < MAX_DEPTH and len(stack) < 200:
            stack.extend((child, depth + 1) for child in payload)
    return found


_WORD_CHARSET = re.compile(r"=\?([^?*\s]+)(?:\*[^?]*)?\?[qQbB]\?")


def content_digest(raw: bytes) -> str:
    """SHA-256 of what a message says (From, Subject and the body bytes), not of how it travelled.

    Two deliveries of one message differ in Received/Delivered-To headers, line endings and mbox
    From-quoting; the digest ignores those, so the same Message-ID with another digest is another message.
    The Date header is left out: a client that sends the same text again under the same id is one message.
    """
    match = re.search(rb"\r?\n\r?\n", raw)
    head, body = (raw[: match.start()], raw[match.end():]) if match else (raw, b"")
    unfolded = re.sub(rb"\r?\n[ \t]+", b" ", head.replace(b"\r\n", b"\n"))
    fields = {}
    for line in unfolded.split(b"\n"):
        name, _, value = line.partition(b":")
        key = name.strip().lower()
        if key in (b"from", b"subject") and key not in fields:
            fields[key] = b" ".join(value.split())
    body = (b"\n" + body.replace(b"\r\n", b"\n")).replace(b"\n>From ", b"\nFrom ").rstrip()  # one level, as mboxrd
    digest = hashlib.sha256()
    for part in (fields.get(b"from", b""), fields.get(b"subject", b""), body):
        digest.update(part + b"\0")
    return digest.hexdigest()


def _read(message: object, raw: bytes, state: _State) -> ParsedMessage:
    """The ParsedMessage of a parsed email.message tree."""
    hdr_warnings: list[str] = []

    def header(name: str) -> str:
        return decode_header_value(raw_header(message, name), hdr_warnings)

    message_id = normalise_msgid(raw_header(message, "Message-ID"))
    if not message_id:
        message_id = "<%s@kyctriage.invalid>" % hashlib.sha256(raw).hexdigest()
        state.warn("no Message-ID header; one was made from the message's SHA-256")
    subject = decode_header_value(raw_header(message, "Subject"), hdr_warnings)
    senders = parse_addresses(raw_header(message, "From"), hdr_warnings) or parse_addresses(
        raw_header(message, "Sender"), hdr_warnings
    )
    from_name, from_address = senders[0] if senders else ("", "")
    to_addresses = tuple(a for _, a in parse_addresses(raw_header(message, "To"), hdr_warnings))
    cc_addresses = tuple(a for _, a in parse_addresses(raw_header(message, "Cc"), hdr_warnings))
    reply_to = parse_addresses(raw_header(message, "Reply-To"), hdr_warnings)
    date_raw = raw_header(message, "Date")
    date = parse_date(date_raw)
    if date_raw and date is None:
        state.warn("Date header could not be read: %s" % clean_text(date_raw)[:60])
    body = _Body()
    _walk(message, body, state, 0, root=True)
    if state.omitted:
        state.attachments.append(_omitted_record(state))
    own_text = body.text()
    forwarded = [(fwd.heading, fwd.text()) for fwd in state.forwarded]
    parts = [own_text] if own_text else []
    parts += ["%s\n\n%s" % (heading, text) for heading, text in forwarded if text]
    text_body = "\n\n".join(parts).strip()
    text_clean = strip_quoted(own_text) if own_text.strip() else ""
    if not text_clean:
        text_clean = "\n\n".join(strip_quoted(text) for _, text in forwarded if text.strip()).strip()
    html_sanitized = sanitize_html("\n".join(body.html)) if body.html else ""

    content_type = content_type_of(message)
    report_type = header_params(raw_header(message, "Content-Type")).get("report-type", "").lower()
    reason = auto_reply_reason(header, from_address, content_type, report_type, subject)
    for item in hdr_warnings:
        state.warn(item)
    return ParsedMessage(
        message_id=message_id,
        in_reply_to=normalise_msgid(raw_header(message, "In-Reply-To")),
        references=msgid_list(raw_header(message, "References")),
        subject=subject,
        from_address=from_address,
        from_name=from_name,
        to_addresses=to_addresses,
        date=date,
        text_body=text_body,
        text_clean=text_clean,
        html_sanitized=html_sanitized,
        attachments=tuple(state.attachments),
        auto_reply_reason=reason,
        warnings=tuple(state.warnings),
        cc_addresses=cc_addresses,
        reply_to=reply_to[0][1] if reply_to else "",
        ticket_reference=ticket_reference_in(subject),
        content_digest=content_digest(raw),
    )


def parse_message(raw: bytes, limits: Limits = Limits()) -> ParsedMessage:
    """Parse one raw message; raises only UnparseableMessage, with a reason a person can act on."""
    try:
        return _parse(raw, limits)
    except UnparseableMessage:
        raise
    except RecursionError as exc:
        raise UnparseableMessage("the MIME structure is nested too deeply to read") from exc
    except MemoryError as exc:
        raise UnparseableMessage("the message is too large to parse in memory") from exc
    except Exception as exc:  # noqa: BLE001 - the contract is: only UnparseableMessage leaves this function
        raise UnparseableMessage("unexpected error while parsing (%s: %s)" % (type(exc).__name__, exc)) from exc
