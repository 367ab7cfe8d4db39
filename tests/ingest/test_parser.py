"""parse_message edge cases: limits, hostile structure, charsets, auto replies and ticket references."""
from __future__ import annotations

import base64

import pytest

from tickets.ingest.charsets import decode_text
from tickets.ingest.parser import Limits, UnparseableMessage, format_ticket_reference, parse_message, ticket_reference_in


def _multipart(parts: list[bytes], headers: bytes = b"") -> bytes:
    """A multipart/mixed message around the given MIME parts."""
    body = b"".join(b"--B\n" + p + b"\n" for p in parts) + b"--B--\n"
    return (
        b"From: user@example.com\nSubject: files\nMessage-ID: <m@example.com>\n" + headers
        + b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n" + body
    )


def _attachment(name: str, size: int) -> bytes:
    """A base64 attachment part of `size` bytes."""
    data = base64.encodebytes(b"x" * size)
    return (
        b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
        b'Content-Disposition: attachment; filename="' + name.encode() + b'"\n\n' + data
    )


def test_more_attachments_than_the_limit_are_skipped_with_a_reason() -> None:
    """The extra attachments are named, with their total size, no payload, and why, in ONE record."""
    raw = _multipart([b"Content-Type: text/plain\n\nhi"] + [_attachment("f%d.pdf" % i, 10) for i in range(4)])
    message = parse_message(raw, Limits(max_attachments=2))
    assert [a.filename for a in message.attachments][:2] == ["f0.pdf", "f1.pdf"]
    assert [bool(a.skipped_reason) for a in message.attachments] == [False, False, True]
    omitted = message.attachments[2]
    assert omitted.payload == b""
    assert "more than 2 attachments" in omitted.skipped_reason
    assert "2 more" in omitted.skipped_reason and "f2.pdf, f3.pdf" in omitted.skipped_reason


def test_thousands_of_parts_over_the_limit_make_one_record_not_thousands() -> None:
    """A message with 3,000 tiny parts keeps the first ones and one record for the rest (a 21 MB page before)."""
    raw = _multipart([b"Content-Type: text/plain\n\nhi"] + [_attachment("p%d.pdf" % i, 3) for i in range(3000)])
    message = parse_message(raw, Limits(max_attachments=20))
    assert len(message.attachments) == 21
    assert "2980 more" in message.attachments[-1].skipped_reason
    assert "and 2970 more" in message.attachments[-1].skipped_reason
    assert sum("not kept" in w for w in message.warnings) == 1


def test_oversized_attachment_is_skipped_but_the_text_is_kept() -> None:
    """An attachment over max_attachment_bytes has no payload and a reason naming the sizes."""
    raw = _multipart([b"Content-Type: text/plain\n\nmy passport", _attachment("big.pdf", 3 * 1024 * 1024)])
    message = parse_message(raw, Limits(max_attachment_bytes=2 * 1024 * 1024))
    (big,) = message.attachments
    assert big.payload == b"" and big.size == 3 * 1024 * 1024
    assert big.skipped_reason == "attachment is 3.0 MB, over the 2 MB limit"
    assert message.text_body == "my passport"


def test_message_over_the_size_limit_still_gives_headers_and_text() -> None:
    """A message over max_message_bytes keeps subject and text; attachments past the budget are skipped."""
    raw = _multipart([b"Content-Type: text/plain\n\nplease help", _attachment("a.pdf", 600), _attachment("b.pdf", 600)])
    message = parse_message(raw, Limits(max_message_bytes=1000))
    assert message.subject == "files" and message.text_body == "please help"
    assert [bool(a.skipped_reason) for a in message.attachments] == [False, True]
    assert any("over the" in w for w in message.warnings)


def test_deeply_nested_mime_does_not_recurse_forever() -> None:
    """Thousands of nested multiparts end in a result or UnparseableMessage, never RecursionError."""
    depth = 3000
    opening = b"".join(b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(depth))
    raw = b"From: a@example.com\nSubject: deep\n" + opening + b"Content-Type: text/plain\n\ndeep text\n"
    try:
        message = parse_message(raw)
    except UnparseableMessage as exc:
        assert "nested" in str(exc)
    else:
        assert message.subject == "deep"


def test_nesting_beyond_twenty_levels_is_cut_with_a_warning() -> None:
    """Parts deeper than 20 levels are ignored and a warning says so."""
    depth = 25
    opening = b"".join(b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(depth))
    closing = b"".join(b"\n--b%d--\n" % i for i in reversed(range(depth)))
    raw = b"From: a@example.com\nSubject: deep\n" + opening + b"Content-Type: text/plain\n\ndeep text" + closing
    message = parse_message(raw)
    assert any("deeper than 20" in w for w in message.warnings)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Outlook .msg"),
        (b"\x00\x01\x02\x03" * 500, "binary"),
    ],
)
def test_unparseable_input_raises_with_a_reason(raw: bytes, reason: str) -> None:
    """Only UnparseableMessage leaves parse_message, and it says why."""
    with pytest.raises(UnparseableMessage, match=reason):
        parse_message(raw)


def test_unexpected_errors_are_wrapped(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A bug deeper down still surfaces as UnparseableMessage with the cause."""
    import tickets.ingest.parser as parser

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyError("surprise")

    monkeypatch.setattr(parser, "_walk", boom)
    with pytest.raises(UnparseableMessage, match="KeyError"):
        parse_message(b"From: a@example.com\nSubject: x\n\nbody")


def test_headers_with_control_characters_are_cleaned() -> None:
    """NUL, bell and escape characters never reach subject or names."""
    raw = b"From: \"Bad\x07 Name\" <A@Example.com>\nSubject: hello\x00 \x1bworld\r\n\tagain\n\nbody"
    message = parse_message(raw)
    assert message.subject == "hello world again"
    assert message.from_name == "Bad Name" and message.from_address == "a@example.com"


def test_unknown_charsets_never_raise() -> None:
    """x-unknown and unknown-8bit fall back to guessing."""
    raw = (
        b"From: a@example.com\nSubject: =?x-unknown?B?" + base64.b64encode("护照".encode()) + b"?=\n"
        b"Content-Type: text/plain; charset=unknown-8bit\n\n" + "身份证".encode("gbk")
    )
    message = parse_message(raw)
    assert message.subject == "护照" and message.text_body == "身份证"


@pytest.mark.parametrize(
    ("data", "charset", "expected"),
    [
        ("镕喆".encode("gbk"), "gb2312", "镕喆"),
        ("㗎".encode("big5hkscs"), "big5", "㗎"),
        ("认证".encode(), "gb2312", "认证"),
        ("café".encode("latin-1"), None, "café"),
        ("身份证".encode("gbk"), "x-unknown", "身份证"),
    ],
)
def test_charset_fallback_chain(data: bytes, charset: str | None, expected: str) -> None:
    """gb2312/gbk read as gb18030, big5 as big5hkscs, mislabelled UTF-8 and unknown labels guessed."""
    assert decode_text(data, charset)[0] == expected


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        (b"Auto-Submitted: auto-replied\n", "Auto-Submitted"),
        (b"Precedence: bulk\n", "Precedence"),
        (b"X-Autoreply: yes\n", "X-Autoreply"),
        (b"List-Id: <news.example.com>\n", "List-Id"),
        (b"Content-Type: multipart/report; report-type=delivery-status; boundary=x\n", "delivery-status"),
    ],
)
def test_automatic_mail_is_recognised(headers: bytes, fragment: str) -> None:
    """Each machine-sent marker yields a reason naming it."""
    raw = b"From: someone@example.com\nSubject: hello\n" + headers + b"\nbody"
    assert fragment in parse_message(raw).auto_reply_reason


def test_postmaster_sender_is_automatic_and_a_person_is_not() -> None:
    """postmaster@ is a machine; an ordinary sender with Auto-Submitted: no is a person."""
    assert parse_message(b"From: postmaster@example.com\nSubject: x\n\nb").auto_reply_reason
    assert parse_message(b"From: p@example.com\nAuto-Submitted: no\nSubject: x\n\nb").auto_reply_reason == ""


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Re: [KYC-000042] Proof of address", "KYC-000042"),
        ("回复：【kyc-000123】护照", "KYC-000123"),
        ("KYC-1234567 follow-up", "KYC-1234567"),
        ("KYC-12 too short", None),
        ("no reference", None),
        ("XKYC-000042", None),
    ],
)
def test_ticket_reference_in_subject(subject: str, expected: str | None) -> None:
    """References are found in brackets or bare, any case, and canonicalised."""
    assert ticket_reference_in(subject) == expected


def test_format_ticket_reference_pads_to_six_digits() -> None:
    """123 -> KYC-000123; longer numbers are not cut."""
    assert format_ticket_reference(123) == "KYC-000123"
    assert format_ticket_reference(1234567) == "KYC-1234567"
    assert ticket_reference_in(format_ticket_reference(42)) == "KYC-000042"


def test_message_ids_are_normalised() -> None:
    """Ids get angle brackets; References keeps order without duplicates."""
    raw = (
        b"From: a@example.com\nMessage-ID: abc@example.com\nIn-Reply-To: <p@x> (comment)\n"
        b"References: <r1@x> <p@x>\n\t<r1@x>\nSubject: s\n\nb"
    )
    message = parse_message(raw)
    assert message.message_id == "<abc@example.com>"
    assert message.in_reply_to == "<p@x>"
    assert message.references == ("<r1@x>", "<p@x>")


def test_invalid_date_is_none_and_naive_date_is_utc() -> None:
    """A Date that cannot be read is None (with a warning); one without zone is taken as UTC."""
    bad = parse_message(b"From: a@example.com\nDate: yesterday-ish\nSubject: s\n\nb")
    assert bad.date is None and any("Date" in w for w in bad.warnings)
    naive = parse_message(b"From: a@example.com\nDate: 26 Nov 2026 08:00:00\nSubject: s\n\nb")
    assert naive.date is not None and naive.date.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_filenames_are_made_safe() -> None:
    """Paths, control and bidi-override characters are removed; empty names get a typed fallback."""
    raw = _multipart(
        [
            b'Content-Type: application/pdf\nContent-Disposition: attachment; filename="..\\\\..\\\\evil\xe2\x80\xaegpj.exe"\n\nx',
            b"Content-Type: image/jpeg\nContent-Disposition: attachment\n\nx",
            b'Content-Type: image/png\nContent-Disposition: attachment; filename=".."\n\nx',
        ]
    )
    names = [a.filename for a in parse_message(raw).attachments]
    assert names == ["evilgpj.exe", "attachment-2.jpg", "attachment-3.png"]
