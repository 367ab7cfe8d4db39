"""Hypothesis strategies and byte mutators for tests/test_fuzz.py: hostile emails and hostile image files.

Everything here is pure (no Django, no database). The sample corpora (real .eml files, tiny images made with Pillow)
are built once per process and cached.
"""
from __future__ import annotations

import base64
import io
import quopri
import re
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

EMAIL_DIR = Path(__file__).parent / "samples" / "emails"

# --------------------------------------------------------------------------- generic byte mutations

# Values that make header size fields interesting (0, 1, huge, negative when signed).
_INTERESTING_WORDS = (b"\x00\x00\x00\x00", b"\x00\x00\x00\x01", b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff",
                      b"\x80\x00\x00\x00", b"\x00\x01\x00\x00", b"\xff\xff", b"\x00\x00", b"\x01\x00")


@st.composite
def byte_mutation(draw: st.DrawFn) -> tuple:
    """One mutation, as data (so Hypothesis shows and shrinks it): (op, position, argument)."""
    op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "overwrite", "word", "repeat"]))
    pos = draw(st.integers(0, 1 << 20))
    if op == "flip":
        return (op, pos, draw(st.integers(1, 255)))
    if op in ("insert", "overwrite"):
        return (op, pos, draw(st.binary(min_size=1, max_size=16)))
    if op == "delete":
        return (op, pos, draw(st.integers(1, 64)))
    if op == "word":
        return (op, pos, draw(st.sampled_from(_INTERESTING_WORDS)))
    if op == "repeat":
        return (op, pos, (draw(st.integers(1, 64)), draw(st.integers(2, 8))))
    return (op, pos, None)


def apply_byte_mutation(data: bytes, mutation: tuple) -> bytes:
    """Apply one byte_mutation() to data; positions wrap around the current length."""
    op, pos, arg = mutation
    n = len(data)
    if n == 0:
        return bytes(arg) if op == "insert" else data
    i = pos % n
    if op == "flip":
        return data[:i] + bytes([data[i] ^ arg]) + data[i + 1:]
    if op == "insert":
        return data[:i] + arg + data[i:]
    if op == "overwrite":
        return data[:i] + arg + data[i + len(arg):]
    if op == "delete":
        return data[:i] + data[i + arg:]
    if op == "truncate":
        return data[:i]
    if op == "word":
        return data[:i] + arg + data[i + len(arg):]
    if op == "repeat":
        length, times = arg
        return data[:i] + data[i:i + length] * times + data[i + length:]
    raise AssertionError(op)


# --------------------------------------------------------------------------- email-aware mutations

_CHARSET = re.compile(rb'(?i)charset="?([^";\s]+)')
_BOUNDARY = re.compile(rb'(?i)boundary="?([^";\s]+)')


@st.composite
def email_mutation(draw: st.DrawFn) -> tuple:
    """A mutation that knows about headers, charsets and MIME boundaries, or a plain byte mutation."""
    op = draw(st.sampled_from(["bytes", "bytes", "dup_header", "charset", "boundary", "crlf", "drop_blank"]))
    if op == "bytes":
        return (op, draw(byte_mutation()))
    if op == "dup_header":
        return (op, draw(st.integers(0, 1000)))
    if op == "charset":
        replacement = draw(st.one_of(
            st.sampled_from([b"", b"x-unknown", b"utf-7", b"utf-16", b"utf-32", b"iso-2022-jp", b"gb18030", b"hz",
                             b"big5-hkscs", b"unicode-1-1-utf-7", b"rot13", b"base64", b"zlib", b"idna",
                             b"utf_8_sig", b"cp65001", b"'", b"\"", b"*", b"utf-8*en", b"punycode", b"undefined"]),
            st.binary(max_size=20),
            st.text(max_size=20).map(lambda t: t.encode("utf-8")),
        ))
        return (op, draw(st.integers(0, 100)), replacement)
    if op == "boundary":
        how = draw(st.sampled_from(["rename_decl", "rename_use", "drop_close", "truncate_use", "empty_decl"]))
        return (op, draw(st.integers(0, 100)), how, draw(st.binary(max_size=12)))
    if op == "crlf":
        return (op, draw(st.sampled_from(["to_lf", "to_crlf", "to_cr", "mixed"])))
    return (op, draw(st.integers(0, 100)))


def apply_email_mutation(raw: bytes, mutation: tuple) -> bytes:
    """Apply one email_mutation() to a raw message."""
    op = mutation[0]
    if op == "bytes":
        return apply_byte_mutation(raw, mutation[1])
    if op == "dup_header":
        head, sep, body = raw.partition(b"\n\n") if b"\r\n\r\n" not in raw else raw.partition(b"\r\n\r\n")
        lines = head.split(b"\n")
        i = mutation[1] % len(lines)
        lines.insert(i, lines[i])
        return b"\n".join(lines) + sep + body
    if op == "charset":
        found = list(_CHARSET.finditer(raw))
        if not found:
            return raw
        m = found[mutation[1] % len(found)]
        return raw[:m.start(1)] + mutation[2] + raw[m.end(1):]
    if op == "boundary":
        _, index, how, junk = mutation
        found = list(_BOUNDARY.finditer(raw))
        if not found:
            return raw
        m = found[index % len(found)]
        name = m.group(1)
        if how == "rename_decl":
            return raw[:m.start(1)] + junk + raw[m.end(1):]
        if how == "empty_decl":
            return raw[:m.start(1)] + raw[m.end(1):]
        if how == "drop_close":
            return raw.replace(b"--" + name + b"--", b"")
        uses = [u.start() for u in re.finditer(re.escape(b"--" + name), raw)]
        if not uses:
            return raw
        at = uses[index % len(uses)]
        if how == "rename_use":
            return raw[:at + 2] + junk + raw[at + 2 + len(name):]
        return raw[:at + 2 + len(name) // 2] + raw[at + 2 + len(name):]  # truncate_use
    if op == "crlf":
        how = mutation[1]
        lf = raw.replace(b"\r\n", b"\n")
        if how == "to_lf":
            return lf
        if how == "to_crlf":
            return lf.replace(b"\n", b"\r\n")
        if how == "to_cr":
            return lf.replace(b"\n", b"\r")
        lines = lf.split(b"\n")
        return b"".join(line + (b"\r\n" if i % 2 else b"\n") for i, line in enumerate(lines))
    if op == "drop_blank":
        blanks = [m.start() for m in re.finditer(rb"\r?\n\r?\n", raw)]
        if not blanks:
            return raw
        at = blanks[mutation[1] % len(blanks)]
        return raw[:at] + raw[at:].replace(b"\n\n", b"\n", 1).replace(b"\r\n\r\n", b"\r\n", 1)
    raise AssertionError(op)


@lru_cache(maxsize=None)
def sample_emails() -> tuple[tuple[str, bytes], ...]:
    """(name, raw bytes) of every sample .eml."""
    return tuple((p.name, p.read_bytes()) for p in sorted(EMAIL_DIR.glob("*.eml")))


@st.composite
def mutated_emails(draw: st.DrawFn) -> bytes:
    """A real sample email with 1-6 random mutations applied."""
    names = [name for name, _ in sample_emails()]
    name = draw(st.sampled_from(names))
    raw = dict(sample_emails())[name]
    for mutation in draw(st.lists(email_mutation(), min_size=1, max_size=6)):
        raw = apply_email_mutation(raw, mutation)
    return raw


# --------------------------------------------------------------------------- structured emails

CHARSETS = ["utf-8", "us-ascii", "iso-8859-1", "windows-1252", "gb2312", "gbk", "gb18030", "big5", "shift_jis",
            "euc-kr", "iso-2022-jp", "koi8-r", "utf-16", "utf-7", "x-unknown", "", "utf-8*zh-cn", "unicode",
            "ks_c_5601-1987", "x-mac-chinesesimp", "8bit", "\"utf-8\""]

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\" onmouseover='alert(1)'>hover</div>",
    "<svg/onload=alert(1)>",
    "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
    "<p title=\"x\" ONCLICK=\"alert(1)\">p</p>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<!--<script>-->alert(1)<!--</script>-->",
    "<img src=\"cid:x\" onerror\x0b=alert(1)>",
    "<a href=# on\x00click=alert(1)>nul</a>",
    "<object data=\"x.swf\"></object><embed src=x>",
    "<form action=//evil><input onfocus=alert(1) autofocus></form>",
    "<img/src/onerror=alert(1)>",
    "<table background=\"javascript:alert(1)\"><tr><td onmouseenter=alert(1)>t</td></tr></table>",
]

EVIL_FILENAMES = ["../../etc/passwd", "..\\..\\windows\\system32\\cmd.exe", "a\x00b.jpg", "/etc/shadow", "..", ".",
                  "", " ", "\u202egpj.exe", "con.jpg", "x\r\ny.png", "\x1b[31mred.png", "a/b\\c/d.pdf", "....//x",
                  "%2e%2e%2fetc%2fpasswd", "name\u2028with\u2029seps.jpg", "\u200b\u200e.jpg", "身份证正面.jpg",
                  "x" * 400 + ".jpg", "<script>.png", "a\tb\x7f.gif", "\\\\server\\share\\f.png"]

# Text that mixes ordinary Unicode with C0/C1 controls, bidi overrides and line separators.
_hostile_chars = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(list("\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\u2028\u2029\u202e\u200b\ufeff\r\n\t")),
)
hostile_text = st.text(_hostile_chars, max_size=40)


@st.composite
def encoded_word(draw: st.DrawFn) -> bytes:
    """An RFC 2047 encoded word with a random (possibly bogus) charset and a random or broken payload."""
    charset = draw(st.one_of(st.sampled_from(CHARSETS), st.text("abcdefghijklmnopqrstuvwxyz0123456789-_*'", max_size=12)))
    encoding = draw(st.sampled_from(["B", "Q", "b", "q"]))
    text = draw(hostile_text)
    try:
        payload = text.encode(charset.strip('"').split("*")[0] or "utf-8")
    except (LookupError, UnicodeError):
        payload = text.encode("utf-8")
    if draw(st.booleans()):
        payload = draw(st.binary(max_size=30))
    if encoding in "Bb":
        encoded = base64.b64encode(payload)
        if draw(st.integers(0, 4)) == 0:
            encoded = encoded[: draw(st.integers(0, len(encoded)))]  # broken padding
    else:
        encoded = quopri.encodestring(payload, header=True).replace(b"\n", b"").replace(b"?", b"=3F")
        encoded = encoded.replace(b" ", b"_")
    return b"=?" + charset.encode("utf-8") + b"?" + encoding.encode() + b"?" + encoded + b"?="


@st.composite
def header_value(draw: st.DrawFn) -> bytes:
    """A header value: raw 8-bit text (any charset), encoded words, or a mix; sometimes with raw line breaks."""
    pieces = draw(st.lists(st.one_of(
        hostile_text.map(lambda t: t.encode("utf-8")),
        hostile_text.map(lambda t: t.encode("gb18030")),
        hostile_text.map(lambda t: t.encode("latin-1", errors="replace")),
        encoded_word(),
        st.binary(max_size=20),
    ), max_size=4))
    sep = draw(st.sampled_from([b" ", b"", b"\r\n ", b"\n\t", b"\r\n"]))
    return sep.join(pieces)


def _quote(value: bytes) -> bytes:
    return b'"' + value.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


@st.composite
def filename_param(draw: st.DrawFn, key: str = "filename") -> bytes:
    """A filename parameter in one of the many ways mail clients write it, from a hostile name."""
    name = draw(st.one_of(st.sampled_from(EVIL_FILENAMES), hostile_text,
                          st.builds(lambda a, b: a + b, st.sampled_from(["../", "..\\", "/", "a\x00"]), hostile_text)))
    style = draw(st.sampled_from(["quoted", "plain", "rfc2231", "rfc2231_cont", "rfc2047", "raw8bit", "broken"]))
    k = key.encode()
    if style == "quoted":
        return b"; " + k + b"=" + _quote(name.encode("utf-8"))
    if style == "plain":
        return b"; " + k + b"=" + name.encode("utf-8")
    if style == "raw8bit":
        return b"; " + k + b"=" + _quote(name.encode("gb18030"))
    if style == "rfc2047":
        return b"; " + k + b'="=?utf-8?B?' + base64.b64encode(name.encode("utf-8")) + b'?="'
    charset = draw(st.sampled_from(CHARSETS)).strip('"').encode()
    try:
        data = name.encode(charset.decode().split("*")[0] or "utf-8")
    except (LookupError, UnicodeError):
        data = name.encode("utf-8")
    pct = "".join("%%%02X" % b for b in data).encode()
    if style == "rfc2231":
        return b"; " + k + b"*=" + charset + b"''" + pct
    if style == "rfc2231_cont":
        cut = draw(st.integers(0, len(pct)))
        first = draw(st.sampled_from([b"0", b"1", b"00", b"-1", b"99999999999999999999"]))
        return (b"; " + k + b"*" + first + b"*=" + charset + b"'en'" + pct[:cut] + b";\r\n " + k + b"*1*="
                + pct[cut:] + b"; " + k + b"*2=" + _quote(b"tail"))
    # broken: unterminated quote, stray percent signs, missing charset quotes
    return b"; " + k + draw(st.sampled_from([b"*=", b"*0*=", b"="])) + draw(st.sampled_from(
        [b'"' + data, pct.replace(b"%", b"%Z", 1), charset + b"'" + pct, b"%%%", b"''", data + b'"; x="']))


@lru_cache(maxsize=None)
def _tiny_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 10, 10)).save(buffer, "PNG")
    return buffer.getvalue()


@lru_cache(maxsize=None)
def _tiny_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (10, 200, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


def _encode_body(data: bytes, cte: bytes) -> bytes:
    if cte.lower() == b"base64":
        return base64.encodebytes(data)
    if cte.lower() == b"quoted-printable":
        return quopri.encodestring(data)
    return data


_CTES = [b"7bit", b"8bit", b"binary", b"base64", b"quoted-printable", b"BASE64", b"x-uuencode", b"bogus", b""]


@st.composite
def text_leaf(draw: st.DrawFn) -> bytes:
    """A text/plain or text/html part (HTML often carries script payloads), in a random charset and encoding."""
    html = draw(st.booleans())
    parts = draw(st.lists(st.one_of(hostile_text, st.sampled_from(XSS)) if html else hostile_text, max_size=5))
    text = "".join(parts)
    if html and draw(st.booleans()):
        text = "<html><head><title>t</title><script>evil()</script></head><body>%s</body></html>" % text
    charset = draw(st.sampled_from(CHARSETS))
    try:
        data = text.encode(charset.strip('"').split("*")[0] or "utf-8", errors="replace")
    except LookupError:
        data = text.encode("utf-8")
    cte = draw(st.sampled_from(_CTES))
    body = _encode_body(data, cte)
    if draw(st.integers(0, 5)) == 0:
        body = draw(st.binary(max_size=64))
    ctype = b"text/html" if html else draw(st.sampled_from([b"text/plain", b"text/enriched", b"TEXT/PLAIN"]))
    headers = b"Content-Type: " + ctype + b"; charset=" + charset.encode()
    if draw(st.integers(0, 3)) == 0:
        headers += draw(filename_param("name"))
    headers += b"\r\nContent-Transfer-Encoding: " + cte + b"\r\n"
    if draw(st.integers(0, 3)) == 0:
        headers += b"Content-Disposition: " + draw(st.sampled_from([b"inline", b"attachment", b"bogus"])) + b"\r\n"
    return headers + b"\r\n" + body


@st.composite
def file_leaf(draw: st.DrawFn) -> bytes:
    """An image or other binary attachment with a hostile filename."""
    ctype = draw(st.sampled_from([b"image/jpeg", b"image/png", b"application/octet-stream", b"application/pdf",
                                  b"application/ms-tnef", b"image/", b"/", b"image/jpeg/extra", b"x" * 300]))
    payload = draw(st.one_of(st.sampled_from([_tiny_png(), _tiny_jpeg(), b"\x78\x9f\x3e\x22junk", b""]),
                             st.binary(max_size=64)))
    cte = draw(st.sampled_from(_CTES))
    headers = b"Content-Type: " + ctype
    if draw(st.booleans()):
        headers += draw(filename_param("name"))
    headers += b"\r\nContent-Transfer-Encoding: " + cte + b"\r\n"
    disposition = draw(st.sampled_from([b"attachment", b"inline", b"", b"form-data"]))
    if disposition or draw(st.booleans()):
        headers += b"Content-Disposition: " + disposition + draw(filename_param("filename")) + b"\r\n"
    if draw(st.booleans()):
        headers += b"Content-ID: " + draw(st.one_of(st.just(b"<img1@x>"), header_value())) + b"\r\n"
    body = _encode_body(payload, cte)
    if cte.lower() == b"base64" and draw(st.integers(0, 4)) == 0:
        body = body[: draw(st.integers(0, len(body)))] + b"!!=="  # broken base64
    return headers + b"\r\n" + body


def _boundary_text() -> st.SearchStrategy[bytes]:
    return st.one_of(st.text("abcdefghijklmnopqrstuvwxyz0123456789'()+_,-./:=?", min_size=1, max_size=20)
                     .map(str.encode), st.sampled_from([b"", b" ", b"--", b"a" * 80]))


def _multipart(children: list[bytes]) -> st.SearchStrategy[bytes]:
    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        subtype = draw(st.sampled_from([b"mixed", b"alternative", b"related", b"report", b"signed", b"digest"]))
        boundary = draw(_boundary_text())
        used = boundary if draw(st.integers(0, 7)) else draw(_boundary_text())  # sometimes mismatched
        decl = draw(st.sampled_from([b'; boundary="%s"', b"; boundary=%s", b"; BOUNDARY=%s", b""])).replace(b"%s", boundary)
        out = [b"Content-Type: multipart/" + subtype + decl + b"\r\n\r\npreamble\r\n"]
        for child in children:
            out.append(b"--" + used + b"\r\n" + child + b"\r\n")
        if draw(st.integers(0, 5)):
            out.append(b"--" + used + b"--\r\nepilogue\r\n")
        return b"".join(out)

    return build()


def _rfc822(message: bytes) -> st.SearchStrategy[bytes]:
    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        ctype = draw(st.sampled_from([b"message/rfc822", b"message/global", b"message/partial",
                                      b"message/delivery-status"]))
        cte = draw(st.sampled_from([b"7bit", b"8bit", b"base64", b""]))
        return (b"Content-Type: " + ctype + b"\r\nContent-Transfer-Encoding: " + cte + b"\r\n\r\n"
                + _encode_body(message, cte))

    return build()


def _with_headers(part: bytes) -> st.SearchStrategy[bytes]:
    return top_headers().map(lambda headers: headers + part)


mime_tree = st.recursive(
    st.one_of(text_leaf(), text_leaf(), file_leaf()),
    lambda children: st.one_of(
        st.lists(children, max_size=4).flatmap(_multipart),
        children.flatmap(_with_headers).flatmap(_rfc822),
    ),
    max_leaves=8,
)


@st.composite
def top_headers(draw: st.DrawFn) -> bytes:
    """From/To/Subject/Message-ID/Date and friends, each possibly missing, duplicated or hostile."""
    lines = []
    names = [b"From", b"To", b"Cc", b"Subject", b"Message-ID", b"In-Reply-To", b"References", b"Date", b"Reply-To",
             b"Sender", b"Auto-Submitted", b"X-Autoreply", b"Precedence", b"X-Random", b"Bad Name", b"Subject"]
    for name in draw(st.lists(st.sampled_from(names), max_size=10)):
        if name in (b"Message-ID", b"In-Reply-To", b"References") and draw(st.booleans()):
            value = b"<" + draw(st.text(max_size=20)).encode("utf-8") + b"@" + draw(st.binary(max_size=8)) + b">"
        elif name in (b"From", b"To", b"Cc", b"Reply-To", b"Sender") and draw(st.booleans()):
            value = draw(header_value()) + b" <" + draw(st.text(max_size=12)).encode("utf-8") + b"@example.com>"
        else:
            value = draw(header_value())
        lines.append(name + b": " + value + b"\r\n")
    if draw(st.booleans()):
        lines.append(b"MIME-Version: 1.0\r\n")
    return b"".join(lines)


@st.composite
def structured_emails(draw: st.DrawFn) -> bytes:
    """A whole message: hostile top-level headers over a random MIME tree (possibly nested messages)."""
    return draw(top_headers()) + draw(mime_tree)


# --------------------------------------------------------------------------- image files

IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")


def _pattern(size: tuple[int, int], mode: str, seed: int):  # noqa: ANN202 - PIL image
    """A small picture with some structure (gradient, a box, noise) so decoders and checks have work to do."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    arr = np.stack([(xx * 255 // max(1, w - 1)), (yy * 255 // max(1, h - 1)), (xx + yy) % 256], axis=-1)
    arr = (arr + rng.integers(0, 30, arr.shape)).clip(0, 255).astype("uint8")
    arr[h // 4: 3 * h // 4, w // 4: 3 * w // 4] = (250, 250, 250)
    im = Image.fromarray(arr, "RGB")
    if mode != "RGB":
        im = im.convert(mode)
    return im


def encode_image(fmt: str, size: tuple[int, int] = (48, 36), mode: str = "RGB", seed: int = 0, **kw) -> bytes:
    """Encode a small patterned image; raises (OSError/ValueError/KeyError) for mode/format pairs Pillow refuses."""
    im = _pattern(size, mode, seed)
    buffer = io.BytesIO()
    im.save(buffer, fmt, **kw)
    return buffer.getvalue()


@lru_cache(maxsize=None)
def sample_images() -> tuple[tuple[str, bytes], ...]:
    """(label, bytes) of small valid files in every supported container, plus a PDF."""
    from demo.images import make_pdf

    out = []
    for fmt in IMAGE_FORMATS:
        out.append((fmt, encode_image(fmt)))
    out.append(("JPEG-progressive", encode_image("JPEG", progressive=True, quality=60)))
    out.append(("PNG-palette-transparent", encode_image("PNG", mode="P", transparency=0)))
    out.append(("PNG-LA", encode_image("PNG", mode="LA")))
    out.append(("TIFF-I;16", encode_image("TIFF", mode="I;16")))
    out.append(("GIF-animated", _animated_gif()))
    out.append(("PDF", make_pdf([encode_image("PNG", (40, 30))])))
    return tuple(out)


def _animated_gif() -> bytes:
    frames = [_pattern((24, 18), "RGB", seed).convert("P") for seed in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0)
    return buffer.getvalue()


@st.composite
def mutated_images(draw: st.DrawFn) -> bytes:
    """A valid small image or PDF with 1-4 byte-level mutations."""
    label = draw(st.sampled_from([label for label, _ in sample_images()]))
    data = dict(sample_images())[label]
    for mutation in draw(st.lists(byte_mutation(), min_size=1, max_size=4)):
        data = apply_byte_mutation(data, mutation)
    return data


MAGICS = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"GIF87a", b"RIFF\x10\x00\x00\x00WEBPVP8 ", b"BM",
          b"II*\x00", b"MM\x00*", b"\x00\x00\x00\x18ftypheic", b"\x00\x00\x00\x18ftypavif", b"%PDF-1.4\n",
          b"PK\x03\x04", b"\x1f\x8b", b"<svg", b"\xef\xbb\xbf<html>", b"\x00\x00\x00\x0cjP  \r\n\x87\n"]

# Random bytes behind a real magic number: gets past the sniffer into each decoder.
magic_prefixed_bytes = st.builds(lambda magic, tail: magic + tail, st.sampled_from(MAGICS), st.binary(max_size=2048))


@st.composite
def generated_images(draw: st.DrawFn) -> bytes:
    """Valid images in odd modes and shapes (1-pixel lines, 16-bit, CMYK, palettes) that Pillow can write."""
    fmt = draw(st.sampled_from(IMAGE_FORMATS))
    mode = draw(st.sampled_from(["RGB", "RGBA", "L", "LA", "P", "1", "CMYK", "I;16", "I", "F", "YCbCr", "PA"]))
    size = draw(st.one_of(
        st.tuples(st.integers(1, 80), st.integers(1, 80)),
        # extreme aspect ratios (receipts, scanner strips, hostile 1-pixel lines): few pixels, odd shapes
        st.tuples(st.integers(500, 2000), st.integers(1, 3)),
        st.tuples(st.integers(1, 3), st.integers(500, 2000)),
    ))
    try:
        return encode_image(fmt, size, mode, seed=draw(st.integers(0, 3)))
    except (OSError, ValueError, KeyError, TypeError):
        return encode_image(fmt, size, "RGB")
