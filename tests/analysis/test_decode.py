"""Safe decoding: type from bytes, limits from headers, hostile files become defects with reasons."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from tickets.analysis import AnalysisLimits, analyse
from tickets.analysis.decode import sniff


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge image (a few KB of zlib data would inflate to gigabytes)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x00" * (width * 3)
    comp = zlib.compressobj(9)
    idat = comp.compress(row * 64) + comp.flush()  # only a few rows: never decoded anyway
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _jpeg(size=(800, 600), exif_orientation: int | None = None) -> bytes:
    from PIL import Image

    im = Image.new("RGB", size, (200, 120, 40))
    im.paste((10, 10, 200), (0, 0, size[0] // 4, size[1] // 4))  # marks the top-left corner
    buf = io.BytesIO()
    kwargs = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif.tobytes()
    im.save(buf, "JPEG", quality=90, **kwargs)
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    """A one-page PDF with a Standard security handler whose user password is not empty."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<" % (len(objs) + 1) + b"ab" * 16 + b"><"
            + b"ab" * 16 + b">] >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out


def test_huge_png_header_is_rejected_as_too_large_without_decoding(monkeypatch):
    from PIL import ImageFile

    def no_pixels(self):  # decoding 432 MB of pixels is what the header check exists to prevent
        raise AssertionError("the pixels of a decompression bomb were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_pixels)
    data = _png_header_only(12000, 12000)
    assert len(data) < 20_000
    r = analyse(data, filename="bomb.png")
    assert r.defects == ["file_too_large"]
    assert "144.0 megapixels" in r.error


def test_file_over_byte_limit_is_too_large():
    r = analyse(_jpeg(), limits=AnalysisLimits(max_file_bytes=1000))
    assert r.defects == ["file_too_large"] and r.error


def test_truncated_jpeg_is_unreadable():
    data = _jpeg((1200, 900))
    r = analyse(data[: len(data) // 2], filename="cut.jpg")
    assert r.sniffed_type == "image/jpeg"
    assert r.defects == ["unreadable"] and "damaged" in r.error


def test_zip_renamed_to_jpg_is_unsupported():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("passport.jpg", b"not really")
    r = analyse(buf.getvalue(), filename="passport.jpg")
    assert r.sniffed_type == "application/zip"
    assert r.defects == ["unsupported_file"] and "ZIP" in r.error


def test_svg_with_script_is_unsupported():
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    r = analyse(svg, filename="id.png")
    assert r.sniffed_type == "image/svg+xml"
    assert r.defects == ["unsupported_file"]


@pytest.mark.parametrize("data,ctype", [(b"<!DOCTYPE html><html><body>x</body></html>", "text/html"),
                                        (b"hello, my KYC failed", "text/plain")])
def test_html_and_text_are_unsupported(data, ctype):
    r = analyse(data, filename="x.jpg")
    assert r.sniffed_type == ctype and r.defects == ["unsupported_file"]


def test_empty_bytes_are_unreadable():
    r = analyse(b"")
    assert r.defects == ["unreadable"] and "empty" in r.error


def test_encrypted_pdf_is_unreadable_with_password_reason():
    r = analyse(_encrypted_pdf(), filename="statement.pdf")
    assert r.sniffed_type == "application/pdf"
    assert r.defects == ["unreadable"]
    assert r.error == "PDF is password-protected"


def test_heic_is_decoded():
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 120, 160)).save(buf, format="HEIF")
    r = analyse(buf.getvalue(), filename="IMG_0001.HEIC")
    assert r.sniffed_type == "image/heic"
    assert not r.error and (r.metrics["width"], r.metrics["height"]) == (640, 480)


def test_pdf_page_is_rendered_and_read(engine):
    from demo.images import make_pdf, make_screenshot

    pdf = make_pdf([make_screenshot(["Upload failed: network timeout"], lang="en", size=(720, 1560))])
    r = analyse(pdf, filename="scan.pdf", ocr=engine)
    assert r.sniffed_type == "application/pdf" and not r.error
    assert r.metrics["pages"] == 1
    assert "network timeout" in r.ocr_text


def test_exif_rotation_is_applied():
    r = analyse(_jpeg((800, 600), exif_orientation=6), filename="rotated.jpg", preview=False)
    assert r.metrics["exif_transposed"] is True
    assert (r.metrics["width"], r.metrics["height"]) == (600, 800)


def test_type_comes_from_bytes_not_filename():
    assert sniff(_jpeg()) == "image/jpeg"
    assert sniff(b"%PDF-1.7\n...") == "application/pdf"
    assert sniff(b"\x00\x01\x02garbage") == "application/octet-stream"


def test_large_jpeg_is_decoded_reduced():
    from tickets.analysis.decode import decode

    d = decode(_jpeg((6000, 4000)), AnalysisLimits())
    assert max(d.image.size) == 1600 and d.original_size == (6000, 4000)
    assert max(d.ocr_image.size) <= 3000  # draft() decoded at 1/2 scale, not 24 MP
