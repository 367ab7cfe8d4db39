"""A corpus of hostile files and emails, generated (not committed): what an attacker or a broken phone sends."""

import io
import zipfile
from email.message import EmailMessage

from PIL import Image


def png_bomb() -> bytes:
    """A few KB of PNG whose header declares 12000 x 12000 pixels."""
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    from demo.images import make_id_document

    data = make_id_document()
    return data[: len(data) // 3]


def zip_bomb() -> bytes:
    """200 MB of zeros in about 200 KB: must never be unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("passport.jpg", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    return buffer.getvalue()


def polyglot_jpeg() -> bytes:
    """A real JPEG with an HTML page and a zip appended: decodes as an image, is never served as HTML."""
    from demo.images import make_selfie

    return make_selfie() + b"<html><script>alert(1)</script></html>" + zip_bomb()[:2000]


SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="10" height="10"/></svg>'
HTML_SCRIPT = b"<html><body><img src=x onerror=alert(1)><script>alert(2)</script></body></html>"


def hostile_attachments() -> list[tuple[str, str, bytes, set[str]]]:
    """(case, filename, bytes, acceptable defect codes) — the analysis must end in one of these."""
    return [
        ("decompression bomb", "passport.png", png_bomb(), {"file_too_large"}),
        ("truncated jpeg", "id.jpg", truncated_jpeg(), {"unreadable"}),
        ("zip renamed jpg", "selfie.jpg", zip_bomb(), {"unsupported_file"}),
        ("svg with script", "photo.svg", SVG_SCRIPT, {"unsupported_file"}),
        ("html with script", "photo.jpg", HTML_SCRIPT, {"unsupported_file"}),
        ("empty file", "empty.png", b"", {"unreadable"}),
        ("random bytes", "noise.jpg", bytes(range(256)) * 64, {"unsupported_file", "unreadable"}),
    ]


def _nested(depth: int) -> bytes:
    inner = b"Content-Type: text/plain\r\n\r\nthe bottom\r\n"
    for level in range(depth):
        boundary = b"b%d" % level
        inner = (b"Content-Type: multipart/mixed; boundary=" + boundary + b"\r\n\r\n--" + boundary + b"\r\n" + inner
                 + b"\r\n--" + boundary + b"--\r\n")
    return (b"From: deep@example.com\r\nSubject: deep\r\nMessage-ID: <deep@example.com>\r\nMIME-Version: 1.0\r\n"
            + inner)


def hostile_emails() -> list[tuple[str, bytes]]:
    """(case, raw message): each must be ingested or quarantined with a reason, never crash the run."""
    big = EmailMessage()
    big["From"], big["Subject"], big["Message-ID"] = "big@example.com", "huge attachment", "<big@example.com>"
    big.set_content("my passport scan is attached")
    big.add_attachment(b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024), maintype="image", subtype="jpeg",
                       filename="passport.jpg")

    traversal = EmailMessage()
    traversal["From"], traversal["Subject"] = "evil@example.com", "names"
    traversal["Message-ID"] = "<names@example.com>"
    traversal.set_content("see attachments")
    traversal.add_attachment(b"x", maintype="application", subtype="octet-stream", filename="../../etc/passwd")
    traversal.add_attachment(b"y", maintype="application", subtype="octet-stream", filename="a\x00b.jpg")

    return [
        ("deeply nested mime", _nested(300)),
        ("control characters in headers",
         b"From: a\x01b <ctl@example.com>\r\nSubject: hi\x07\x1b[31m there\r\nMessage-ID: <ctl@example.com>\r\n\r\nbody"),
        ("invalid charset", b"From: cs@example.com\r\nSubject: =?x-nonsense?B?5L2g5aW9?=\r\nMessage-ID: <cs@example.com>"
                            b"\r\nContent-Type: text/plain; charset=x-nonsense\r\n\r\n\xc4\xe3\xba\xc3"),
        ("50 MB attachment", big.as_bytes()),
        ("path traversal and NUL in filenames", traversal.as_bytes()),
        ("binary garbage", bytes(range(256)) * 200),
        ("html body with scripts",
         b"From: x@example.com\r\nSubject: html\r\nMessage-ID: <html@example.com>\r\nContent-Type: text/html\r\n\r\n"
         + HTML_SCRIPT),
    ]
