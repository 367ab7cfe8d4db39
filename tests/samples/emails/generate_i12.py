"""Write the samples of issue 12 (mail from everywhere): charsets, names, bodies and mbox variants.

Run by hand: .venv/bin/python tests/samples/emails/generate_i12.py. Tests read the files, not this script.
Every message is written here as bytes, so the mistakes real clients make (raw 8-bit headers, wrong labels,
one bad byte) are reproduced exactly. The .expected.json files beside the .eml files are written by hand.
"""
from __future__ import annotations

import base64
import quopri
from pathlib import Path

HERE = Path(__file__).resolve().parent
MBOX = HERE / "mbox"

HEAD = b"To: kyc@exchange.example\nDate: Thu, 26 Nov 2026 08:00:00 +0000\nMIME-Version: 1.0\n"


def eml_samples() -> dict[str, bytes]:
    """Single messages, one case each."""
    samples: dict[str, bytes] = {}
    # Latin-1 / Windows-1252 everywhere without a declaration: name, subject, attachment name and body.
    samples["latin1_undeclared.eml"] = (
        b"From: J\xfcrgen M\xfcller <juergen@example.de>\n"
        b"Subject: Fr\xf6sche, Forma\xe7\xe3o \x85 Ver\xe3o\n"
        b"Message-ID: <latin1-001@example.de>\n" + HEAD
        + b"Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
        b"--b1\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n"
        b"Hola se\xf1or, meine Verifizierung f\xfcr 20 \x80 ist fehlgeschlagen.\n"
        b"--b1\nContent-Type: application/pdf; name=\"Ausweis_M\xfcller.pdf\"\n"
        b"Content-Disposition: attachment; filename=\"Ausweis_M\xfcller.pdf\"\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.b64encode(b"%PDF-1.4\n%%EOF\n") + b"\n--b1--\n"
    )
    # UTF-8 body with one invalid byte: one replacement character, not a whole body of Chinese.
    samples["utf8_one_bad_byte.eml"] = (
        b"From: Ana <ana@example.es>\nSubject: verificaci\xc3\xb3n\nMessage-ID: <utf8bad-001@example.es>\n" + HEAD
        + b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        + "Buenos días, señor. Привет, документ не загружается.".encode() + b" \xff "
        + "Спасибо!\n".encode()
    )
    # Labelled UTF-8, really Latin-1: the letters are kept.
    samples["utf8_label_latin1_body.eml"] = (
        b"From: Heinz <heinz@example.de>\nSubject: Pass\nMessage-ID: <lie-001@example.de>\n" + HEAD
        + b"Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n\n"
        + quopri.encodestring("Grüße aus München, Herr Müller.\n".encode("latin-1"))
    )
    # Outlook's Hebrew label.
    samples["hebrew_iso_8859_8_i.eml"] = (
        b"From: =?iso-8859-8-i?B?" + base64.b64encode("דוד כהן".encode("iso-8859-8")) + b"?= <david@example.co.il>\n"
        b"Subject: =?iso-8859-8-i?Q?" + quopri.encodestring("אימות".encode("iso-8859-8"), header=True)
        + b"?=\nMessage-ID: <he-001@example.co.il>\n" + HEAD
        + b"Content-Type: text/plain; charset=\"iso-8859-8-i\"\nContent-Transfer-Encoding: 8bit\n\n"
        + "שלום, הדרכון שלי נדחה.\n".encode("iso-8859-8")
    )
    # Encoded words that hold raw 8-bit bytes (not =F6 but the byte itself).
    samples["encoded_word_raw_8bit.eml"] = (
        b"From: =?iso-8859-1?Q?Ren\xe9_Fr\xf6hlich?= <rene@example.fr>\n"
        b"Subject: =?iso-8859-1?Q?Fr\xf6sche_und_K\xe4fer?=\nMessage-ID: <raw-ew-001@example.fr>\n" + HEAD
        + b"Content-Type: text/plain; charset=iso-8859-1\n\nBonjour.\n"
    )
    # RFC 822 comments around a name and inside the address.
    samples["address_comments.eml"] = (
        b"From: Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>\n"
        b"Subject: Where is my review?\nMessage-ID: <comments-001@silly.test>\n" + HEAD
        + b"Content-Type: text/plain; charset=us-ascii\n\nStill waiting.\n"
    )
    # The old style: the comment is the only name.
    samples["address_comment_is_the_name.eml"] = (
        b"From: mary@example.org (Mary Smith)\nSubject: Selfie fails\nMessage-ID: <comment-name-001@example.org>\n"
        + HEAD + b"Content-Type: text/plain\n\nThe selfie check fails every time.\n"
    )
    # A top-level text part with a file name is the body.
    samples["top_level_text_with_filename.eml"] = (
        b"From: Lee <lee@example.com>\nSubject: My problem\nMessage-ID: <named-001@example.com>\n" + HEAD
        + b"Content-Type: text/plain; charset=utf-8; name=\"problem.txt\"\n"
        b"Content-Disposition: attachment; filename=\"problem.txt\"\n\n"
        + "The upload stops at 99% with a network error.\n".encode()
    )
    # An inline text part with a file name in a multipart is the body too.
    samples["inline_text_with_filename.eml"] = (
        b"From: Kim <kim@example.com>\nSubject: Upload\nMessage-ID: <named-002@example.com>\n" + HEAD
        + b"Content-Type: multipart/mixed; boundary=\"b2\"\n\n"
        b"--b2\nContent-Type: text/plain; charset=utf-8; name=\"note.txt\"\n"
        b"Content-Disposition: inline; filename=\"note.txt\"\n\nThe page stays blank after I press verify.\n"
        b"--b2\nContent-Type: image/png\nContent-Disposition: attachment; filename=\"shot.png\"\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.b64encode(b"\x89PNG\r\n\x1a\nnot-really") + b"\n--b2--\n"
    )
    inner = (
        b"From: Support <support@bank.example>\nSubject: Your verification was rejected\n"
        b"Date: Wed, 25 Nov 2026 10:00:00 +0000\nContent-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: 8bit\n\n" + "Your ID photo has glare. Grüße.\n".encode()
    )
    for name, encoding, data in (("forwarded_base64_rfc822.eml", b"base64", base64.encodebytes(inner)),
                                 ("forwarded_qp_rfc822.eml", b"quoted-printable", quopri.encodestring(inner))):
        samples[name] = (
            b"From: Carol <carol@example.com>\nSubject: Fwd: rejected\nMessage-ID: <fwd-%s@example.com>\n"
            % encoding + HEAD + b"Content-Type: multipart/mixed; boundary=\"b3\"\n\n"
            b"--b3\nContent-Type: text/plain\n\nWhy was this rejected?\n"
            b"--b3\nContent-Type: message/rfc822\nContent-Transfer-Encoding: " + encoding + b"\n\n"
            + data + b"\n--b3--\n"
        )
    # Nothing at all: no sender, no subject, no text, no file.
    samples["empty_message.eml"] = b"Message-ID: <empty-001@example.com>\n" + HEAD + b"\n\n"
    # Undeclared Cyrillic (Windows-1251) body and subject.
    samples["cp1251_undeclared.eml"] = (
        b"From: Ivan <ivan@example.ru>\nSubject: " + "Проблема с проверкой".encode("cp1251")
        + b"\nMessage-ID: <cp1251-001@example.ru>\n" + HEAD + b"Content-Type: text/plain\n\n"
        + "Здравствуйте! Документ не загружается, пишет ошибку сети.\n".encode("cp1251")
    )
    # A back-dated Date header (the arrival time comes from our side, see the service tests).
    samples["backdated_date_header.eml"] = (
        b"From: Max <max@example.com>\nSubject: Passport\nMessage-ID: <backdated-001@example.com>\n"
        b"To: kyc@exchange.example\nDate: Mon, 01 Mar 2021 09:00:00 +0000\nMIME-Version: 1.0\n"
        b"Content-Type: text/plain\n\nHere is my passport.\n"
    )
    # A byte-order mark before the headers of a single message.
    samples["bom_before_headers.eml"] = (
        b"\xef\xbb\xbfFrom: Bo <bo@example.com>\nSubject: BOM\nMessage-ID: <bom-001@example.com>\n" + HEAD
        + b"Content-Type: text/plain\n\nA file saved by a Windows editor.\n"
    )
    return samples


def _message(n: int, eol: bytes = b"\n") -> bytes:
    return (b"From: user%d@example.com\nSubject: case %d\nMessage-ID: <mbox-%d@example.com>\n\nbody %d\n"
            % (n, n, n, n)).replace(b"\n", eol)


def mbox_samples() -> dict[str, bytes]:
    """mbox files, each with the number of messages it holds in its name."""
    samples: dict[str, bytes] = {}
    samples["dateless_from_lines.3.mbox"] = b"".join(
        b"From %d@archive.example\n" % n + _message(n) + b"\n" for n in range(1, 4))
    samples["bom.2.mbox"] = b"\xef\xbb\xbf" + b"".join(
        b"From sender@example.com Thu Nov 26 08:00:0%d 2026\n" % n + _message(n) + b"\n" for n in range(1, 3))
    samples["no_blank_line_between.3.mbox"] = b"".join(
        b"From sender@example.com Thu Nov 26 08:00:0%d 2026\n" % n + _message(n) for n in range(1, 4))
    samples["crlf.2.mbox"] = b"".join(
        b"From sender@example.com Thu Nov 26 08:00:0%d 2026\r\n" % n + _message(n, b"\r\n") + b"\r\n"
        for n in range(1, 3))
    body = (b"A quoted bounce follows.\n\nFrom someone@example.com Mon Nov 30 10:00:00 2026\n"
            b"Subject: this is text inside the body, not a new message\n\nend\n")
    first = (b"From: user1@example.com\nSubject: case 1\nMessage-ID: <mbox-cl-1@example.com>\n"
             b"Content-Length: %d\n\n" % len(body)) + body
    samples["content_length.2.mbox"] = (b"From sender@example.com Thu Nov 26 08:00:01 2026\n" + first + b"\n"
                                        b"From sender@example.com Thu Nov 26 08:00:02 2026\n" + _message(2) + b"\n")
    samples["mboxrd_escaped.1.mbox"] = (b"From sender@example.com Thu Nov 26 08:00:01 2026\n"
                                        + _message(1) + b"\n>From here on\n>>From quoted\n\n")
    samples["empty_message_inside.3.mbox"] = (
        b"From sender@example.com Thu Nov 26 08:00:01 2026\n" + _message(1) + b"\n"
        b"From sender@example.com Thu Nov 26 08:00:02 2026\n\n"
        b"From sender@example.com Thu Nov 26 08:00:03 2026\n" + _message(3) + b"\n")
    return samples


def main() -> None:
    for name, raw in eml_samples().items():
        (HERE / name).write_bytes(raw)
    MBOX.mkdir(exist_ok=True)
    for name, raw in mbox_samples().items():
        (MBOX / name).write_bytes(raw)


if __name__ == "__main__":
    main()
