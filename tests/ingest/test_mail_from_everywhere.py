"""Issue 12: charsets that do not favour Chinese, tolerant UTF-8, mbox splitting that never hides a message,
arrival time from our side, bodies and names as people mean them."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.imapserver import DovecotServer
from tickets.ingest.charsets import charset_hints, codec_for, decode_text, guess_decode, looks_chinese
from tickets.ingest.headers import decode_header_value, parse_addresses, strip_comments
from tickets.ingest.imap import ImapConfig, ImapMailbox, parse_internaldate
from tickets.ingest.parser import content_digest, parse_message
from tickets.ingest.sources import from_line_date, is_mbox_separator, iter_raw_messages

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "emails"
MBOXES = sorted((SAMPLES / "mbox").glob("*.mbox"))


# --- charsets -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Frösche", "latin-1"),
        ("Formação … Verão", "cp1252"),
        ("Müller", "latin-1"),
        ("Ärger", "latin-1"),
        ("Hi señor, the price is 20 €", "cp1252"),
        ("Привет", "cp1251"),
        ("Иван Петров", "koi8_r"),
        ("Zażółć gęślą jaźń", "iso8859_2"),
        ("Γειά σου κόσμε", "cp1253"),
    ],
)
def test_undeclared_european_text_is_not_read_as_chinese(text: str, codec: str) -> None:
    """Latin-1, Windows-1252, Cyrillic, Polish and Greek bytes without a label keep their letters."""
    assert decode_text(text.encode(codec), None)[0] == text


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("您好，我上传身份证的时候一直提示网络错误", "gb18030"),
        ("石室诗士施氏", "gb2312"),
        ("顏氏家訓 顏之推", "big5"),
        ("王小明", "big5"),
        ("人脸", "gb18030"),
    ],
)
def test_undeclared_chinese_is_still_read_as_chinese(text: str, codec: str) -> None:
    """Chinese without a declaration still decodes: the bytes score as Chinese."""
    assert decode_text(text.encode(codec), None)[0] == text


def test_mojibake_of_latin_text_does_not_look_chinese() -> None:
    """Rare characters glued into Latin words are the sign of Latin-1 read as GBK or Big5."""
    assert not looks_chinese("Fr鰏che", "gb18030")
    assert not looks_chinese("M黮ler", "gb18030")
    assert not looks_chinese("se帽or", "gb18030")
    assert looks_chinese("您好，我的身份证审核失败了", "gb18030")


def test_one_bad_byte_in_utf8_costs_one_character() -> None:
    """Declared or not, mostly-valid UTF-8 keeps every other letter; the bad byte becomes one U+FFFD."""
    data = "señor Привет ".encode() + b"\xff" + " конец".encode()
    for charset in ("utf-8", None):
        text, warning = decode_text(data, charset)
        assert text == "señor Привет \ufffd конец"
        assert "replaced" in warning


def test_text_labelled_utf8_or_ascii_that_is_latin1_keeps_its_letters() -> None:
    """A wrong UTF-8 or us-ascii label on Latin-1 bytes does not lose the letters."""
    for charset in ("utf-8", "us-ascii"):
        text, warning = decode_text("Müller".encode("latin-1"), charset)
        assert text == "Müller" and "was not UTF-8" in warning


def test_latin1_declarations_are_read_as_windows_1252() -> None:
    """0x80 in a Latin-1 or undeclared text is the euro sign, not a control character."""
    assert decode_text(b"\x80 20", "iso-8859-1")[0] == "€ 20"
    assert decode_text(b"\x80 20", None)[0] == "€ 20"
    assert decode_text(b"\x81 ok \xe9", "iso-8859-1")[0] == "\ufffd ok é"  # undefined in 1252: one character


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("iso-8859-8-i", "iso8859_8"),
        ("ISO-8859-8-E", "iso8859_8"),
        ("iso-8859-6-i", "iso8859_6"),
        ("ks_c_5601-1987", "cp949"),
        ("windows-874", "cp874"),
        ("x-mac-roman", "mac_roman"),
        ("gb2312", "gb18030"),
        ("big5", "big5hkscs"),
        ("iso-8859-1", "cp1252"),
        ("latin-9", "iso8859_15"),
    ],
)
def test_alias_table(label: str, codec: str) -> None:
    """Labels real clients send map to a Python codec (with the usual supersets)."""
    assert codec_for(label) == codec


def test_hebrew_from_outlook_is_decoded() -> None:
    """iso-8859-8-i, Outlook's Hebrew label, is iso-8859-8."""
    assert decode_text("שלום".encode("iso-8859-8"), "iso-8859-8-i") == ("שלום", "")


def test_text_labelled_latin1_that_is_utf8_is_read_as_utf8() -> None:
    """Valid multi-byte UTF-8 under a single-byte label is UTF-8 (Latin-1 text almost never is by chance)."""
    assert decode_text("café".encode(), "iso-8859-1") == ("café", "text labelled iso-8859-1 was UTF-8")


def test_charsets_declared_elsewhere_in_the_message_are_tried_first() -> None:
    """A raw 8-bit header is read in the charset the body declares (here Polish, iso-8859-2)."""
    data = "Łódź".encode("iso8859_2")
    assert guess_decode(data)[0] != "Łódź"
    with charset_hints(["iso-8859-2"]):
        assert guess_decode(data) == ("Łódź", "iso8859_2")
    raw = (b"From: " + "Paweł Łódź".encode("iso8859_2") + b" <p@example.pl>\nSubject: x\n"
           b"Content-Type: text/plain; charset=iso-8859-2\n\n" + "Dzień dobry".encode("iso8859_2"))
    message = parse_message(raw)
    assert message.from_name == "Paweł Łódź" and message.text_body == "Dzień dobry"


# --- headers and names ----------------------------------------------------------------------------------------

def test_encoded_words_holding_raw_8bit_bytes_keep_their_letters() -> None:
    """=?iso-8859-1?q?Fr<F6>sche?= (a raw byte, not =F6) is "Frösche", not "Fr?che"."""
    assert decode_header_value("=?iso-8859-1?q?Fr\udcf6sche?=") == "Frösche"
    assert decode_header_value("=?iso-8859-1?q?Fr\udcf6sche?= und M\udcfcller") == "Frösche und Müller"


def test_rfc822_comments_are_not_part_of_the_name() -> None:
    """Comments (nested, escaped) are dropped from names; a bare address keeps its comment as the name."""
    assert strip_comments('Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>').split() == [
        "Pete", "<pete", "@silly.test", ">"]
    assert strip_comments('"Joe (not a comment)" <j@x.y>') == '"Joe (not a comment)" <j@x.y>'
    assert parse_addresses("Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>") == [
        ("Pete", "pete@silly.test")]
    assert parse_addresses("Mary Smith (the boss) <m@x.y>") == [("Mary Smith", "m@x.y")]
    assert parse_addresses("a@b.example (John Doe)") == [("John Doe", "a@b.example")]
    assert parse_addresses('"Joe (not a comment)" <j@x.y>') == [("Joe (not a comment)", "j@x.y")]


# --- bodies ---------------------------------------------------------------------------------------------------

def test_an_attached_text_file_in_a_multipart_stays_an_attachment() -> None:
    """Only inline or top-level named text parts are the body; an attached .txt next to a body is a file."""
    raw = (b"From: a@example.com\nSubject: s\nContent-Type: multipart/mixed; boundary=b\n\n"
           b"--b\nContent-Type: text/plain\n\nthe body\n"
           b"--b\nContent-Type: text/plain; name=log.txt\nContent-Disposition: attachment; filename=log.txt\n\n"
           b"a log\n--b--\n")
    message = parse_message(raw)
    assert message.text_body == "the body"
    assert [a.filename for a in message.attachments] == ["log.txt"]


def test_an_empty_message_says_why_it_is_empty() -> None:
    """No sender, subject, text or file: a reason; any one of them: no reason."""
    assert parse_message((SAMPLES / "empty_message.eml").read_bytes()).empty_reason
    assert parse_message(b"Subject: only a subject\n\n").empty_reason == ""
    assert parse_message(b"From: a@example.com\n\n").empty_reason == ""


def test_the_date_header_is_parsed_but_is_only_the_senders_claim() -> None:
    """parse_message reports the Date header as written (the service keeps arrival apart)."""
    message = parse_message((SAMPLES / "backdated_date_header.eml").read_bytes())
    assert message.date == datetime(2021, 3, 1, 9, 0, tzinfo=timezone.utc)


# --- content digest -------------------------------------------------------------------------------------------

def test_content_digest_ignores_transport_and_sees_content() -> None:
    """Received headers, CRLF and mbox From-quoting do not change the digest; the body or subject does."""
    raw = b"From: a@example.com\nSubject: s\nDate: Thu, 26 Nov 2026 08:00:00 +0000\nMessage-ID: <x@y>\n\nFrom here\nbody\n"
    relayed = b"Received: from mx by relay; Thu, 26 Nov 2026 08:00:05 +0000\r\n" + raw.replace(b"\n", b"\r\n")
    quoted = raw.replace(b"\nFrom here", b"\n>From here")
    assert content_digest(raw) == content_digest(relayed) == content_digest(quoted)
    assert content_digest(raw) != content_digest(raw.replace(b"body", b"other body"))
    assert content_digest(raw) != content_digest(raw.replace(b"Subject: s", b"Subject: t"))
    assert parse_message(raw).content_digest == content_digest(raw)


# --- mbox -----------------------------------------------------------------------------------------------------

def test_there_are_mbox_samples() -> None:
    assert len(MBOXES) >= 7


@pytest.mark.parametrize("path", MBOXES, ids=[p.name for p in MBOXES])
def test_each_mbox_sample_yields_every_message_it_holds(path: Path) -> None:
    """name.N.mbox holds N messages: each one is read (or named with its reason), none swallowed."""
    expected = int(path.name.split(".")[-2])
    items = list(iter_raw_messages(str(path)))
    assert len(items) == expected
    assert [i.label for i in items] == ["%s#%d" % (path, n) for n in range(1, expected + 1)]
    assert all(i.mbox == str(path) for i in items)
    for item in items:
        if item.raw is None:
            assert item.error == "empty message in mbox"
            continue
        message = parse_message(item.raw)
        assert message.from_address.endswith("@example.com") and message.subject.startswith("case ")
        assert not item.raw.startswith(b"\xef\xbb\xbf") and not item.raw.startswith(b"From ")


def test_mbox_content_length_keeps_a_from_line_inside_the_body() -> None:
    """With a correct Content-Length, a "From ..." line followed by a header-like line stays in the body."""
    first, second = iter_raw_messages(str(SAMPLES / "mbox" / "content_length.2.mbox"))
    assert b"From someone@example.com Mon Nov 30 10:00:00 2026\nSubject: this is text" in (first.raw or b"")
    assert parse_message(second.raw or b"").subject == "case 2"


def test_mbox_crlf_and_mboxrd_unescaping() -> None:
    """CRLF mboxes split the same; >From lines lose one level of quoting."""
    crlf = list(iter_raw_messages(str(SAMPLES / "mbox" / "crlf.2.mbox")))
    assert [parse_message(i.raw or b"").subject for i in crlf] == ["case 1", "case 2"]
    (escaped,) = iter_raw_messages(str(SAMPLES / "mbox" / "mboxrd_escaped.1.mbox"))
    assert b"\nFrom here on\n>From quoted" in (escaped.raw or b"")


def test_mbox_from_line_gives_the_arrival_time() -> None:
    """The date of the "From " line is when the message arrived; a line without a date gives none."""
    first, second = iter_raw_messages(str(SAMPLES / "mbox" / "bom.2.mbox"))
    assert first.received_at == datetime(2026, 11, 26, 8, 0, 1, tzinfo=timezone.utc)
    assert second.received_at == datetime(2026, 11, 26, 8, 0, 2, tzinfo=timezone.utc)
    assert all(i.received_at is None for i in iter_raw_messages(str(SAMPLES / "mbox" / "dateless_from_lines.3.mbox")))
    assert from_line_date(b"From x@y Mon Jan  3 09:07:01 +0100 2011\n") == datetime(
        2011, 1, 3, 8, 7, 1, tzinfo=timezone.utc)
    assert from_line_date(b"From x@y Wed Dec 31 23:59:59 3609\n") is None  # absurd dates are not arrival times
    assert from_line_date(b"From 123@archive.example\n") is None


@pytest.mark.parametrize(
    ("line", "next_line", "previous_blank", "expected"),
    [
        (b"From a@b Thu Nov 26 08:00:00 2026\n", b"Subject: x\n", True, True),
        (b"From a@b Thu Nov 26 08:00:00 2026\n", b"Subject: x\n", False, True),  # no blank line before it
        (b"From 123@archive.example\n", b"Return-Path: <a@b>\n", True, True),  # no date
        (b"From MAILER-DAEMON\n", b"Received: from x\n", True, True),
        (b"From 123@archive.example\n", b"and some text\n", True, False),
        (b"From time to time we check.\n", b"Subject: x\n", True, False),
        (b"From a@b Thu Nov 26 08:00:00 2026\n", b"not a header\n", False, False),
    ],
)
def test_what_is_an_mbox_separator(line: bytes, next_line: bytes, previous_blank: bool, expected: bool) -> None:
    assert is_mbox_separator(line, next_line, previous_blank) is expected


def test_a_bom_before_a_single_message_is_dropped() -> None:
    (item,) = iter_raw_messages(str(SAMPLES / "bom_before_headers.eml"))
    assert (item.raw or b"").startswith(b"From: Bo")
    assert parse_message(item.raw or b"").subject == "BOM"


# --- IMAP INTERNALDATE ----------------------------------------------------------------------------------------

def test_internaldate_is_parsed() -> None:
    response = b'2 (UID 7 INTERNALDATE "02-Dec-2026 03:04:05 +0800" BODY[] {120}'
    assert parse_internaldate(response) == datetime(2026, 12, 1, 19, 4, 5, tzinfo=timezone.utc)
    assert parse_internaldate(b"2 (UID 7 BODY[] {120}") is None


def test_fetch_returns_the_servers_arrival_time(dovecot_server: DovecotServer) -> None:
    """The server's INTERNALDATE (a Maildir file's time) comes with the message, not the Date header."""
    raw = (SAMPLES / "backdated_date_header.eml").read_bytes()
    name = dovecot_server.deliver(raw)
    arrived = datetime(2026, 11, 30, 12, 0, 0, tzinfo=timezone.utc)
    os.utime(os.path.join(dovecot_server.maildir, "new", name), (arrived.timestamp(), arrived.timestamp()))
    config = ImapConfig(host=dovecot_server.host, port=dovecot_server.port, security="none",
                        username=dovecot_server.username, password=dovecot_server.password, timeout=5.0)
    with ImapMailbox(config) as box:
        fetched = box.fetch(1)
    assert fetched.raw.replace(b"\r\n", b"\n") == raw  # IMAP sends CRLF
    assert fetched.internal_date == arrived


@pytest.mark.parametrize("label", ["undefined", "base64", "idna", "rot13", "hex"])
def test_python_codecs_that_are_not_charsets_count_as_unknown(label: str) -> None:
    """charset=undefined (found by the fuzzer) or a bytes-to-bytes codec is guessed, never raised on."""
    assert codec_for(label) is None
    assert decode_text("Müller".encode("latin-1"), label)[0] == "Müller"
    raw = b"From: a@example.com\nSubject: s\nContent-Type: text/plain; charset=%s\n\ncaf\xe9\n" % label.encode()
    assert parse_message(raw).text_body == "café"


def test_hints_nest_inner_first() -> None:
    """A header's own encoded-word charsets come before the message's, which are kept."""
    from tickets.ingest.charsets import _hints

    with charset_hints(["iso-8859-2"]):
        with charset_hints(["koi8-r"]):
            assert _hints.get() == ("koi8_r", "iso8859_2")
        assert _hints.get() == ("iso8859_2",)
    assert _hints.get() == ()
