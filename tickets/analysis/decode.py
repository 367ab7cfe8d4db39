"""Safe decoding: sniff the type from the bytes, enforce size/pixel limits from headers, decode once, reduced."""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .result import AnalysisLimits

if TYPE_CHECKING:
    from PIL import Image

logger = logging.getLogger(__name__)

OCR_MAX_LONG_SIDE = 2600  # screens are OCR'd near full size; larger sources are reduced to this first
PDF_MAX_DPI = 150.0
PDF_MAX_LONG_SIDE = 2400
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff", "image/heic",
               "image/heif", "image/avif"}
_HEIF_BRANDS = {b"heic": "image/heic", b"heix": "image/heic", b"hevc": "image/heic", b"hevx": "image/heic",
                b"heim": "image/heic", b"heis": "image/heic", b"mif1": "image/heif", b"msf1": "image/heif",
                b"avif": "image/avif", b"avis": "image/avif"}


class DecodeFailure(Exception):
    """The file cannot be analysed; `code` is the contract defect, `reason` is for humans."""

    def __init__(self, code: str, reason: str, sniffed_type: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.sniffed_type = sniffed_type


@dataclass
class Decoded:
    """A decoded image: the full-ish picture for OCR and the reduced one every check runs on."""

    sniffed_type: str
    ocr_image: Image.Image  # RGB, long side <= OCR_MAX_LONG_SIDE
    image: Image.Image  # RGB, long side <= analysis_long_side
    original_size: tuple[int, int]  # after EXIF orientation
    pages: int = 1
    exif_transposed: bool = False

    @property
    def scale(self) -> float:
        """Analysis pixels per original pixel."""
        return self.image.width / float(self.original_size[0])


def sniff(data: bytes) -> str:
    """Content type from magic numbers (never from the filename)."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:2] == b"BM" and len(data) > 26:
        return "image/bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(head[8:12], "video/mp4")
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "application/zip"
    if head[:2] == b"\x1f\x8b":
        return "application/gzip"
    if head[:6] == b"Rar!\x1a\x07" or head[:6] == b"7z\xbc\xaf\x27\x1c":
        return "application/x-archive"
    if head[:2] == b"MZ" or head[:4] == b"\x7fELF":
        return "application/x-executable"
    if not data:
        return "application/x-empty"
    text = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text) or b"<svg" in text[:512]:
        return "image/svg+xml"
    if text.startswith(b"<!doctype html") or text.startswith(b"<html") or b"<script" in text[:512]:
        return "text/html"
    if text.startswith(b"<?xml"):
        return "application/xml"
    if b"\x00" not in data[:4096]:
        try:
            data[:4096].decode("utf-8")
            return "text/plain"
        except UnicodeDecodeError as exc:  # a multi-byte sequence cut at 4096 is still text
            if exc.start >= 4090:
                return "text/plain"
    return "application/octet-stream"


_UNSUPPORTED_REASON = {
    "application/zip": "ZIP archive (or Office file), not an image: send the photo itself",
    "application/gzip": "compressed archive, not an image",
    "application/x-archive": "archive file, not an image",
    "application/x-executable": "program file, not an image",
    "image/svg+xml": "SVG drawings are not analysed (they can carry scripts): send a photo or PNG screenshot",
    "text/html": "HTML page, not an image: send a screenshot instead",
    "application/xml": "XML file, not an image",
    "text/plain": "text file, not an image",
    "video/mp4": "video file, not an image",
}


def _register_heif() -> None:
    """Teach Pillow HEIC/HEIF (iPhone photos) once per process."""
    global _HEIF_READY
    if not _HEIF_READY:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _HEIF_READY = True


_HEIF_READY = False


def _to_rgb(im: Image.Image) -> Image.Image:
    """Any mode to RGB; transparency is flattened onto white like a viewer shows it."""
    from PIL import Image

    if im.mode == "RGB":
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        bg = Image.new("RGB", rgba.size, (255, 255, 255))
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        return im.point(lambda v: v / 256).convert("L").convert("RGB")
    return im.convert("RGB")


def _fit(im: Image.Image, long_side: int) -> Image.Image:
    """Downscale so the long side fits (integer reduce first: cheap and alias-free), never upscale."""
    from PIL import Image

    w, h = im.size
    if max(w, h) <= long_side:
        return im
    factor = max(w, h) // long_side
    if factor >= 2:
        im = im.reduce(factor)
        w, h = im.size
        if max(w, h) <= long_side:
            return im
    s = long_side / float(max(w, h))
    return im.resize((max(1, round(w * s)), max(1, round(h * s))), Image.BILINEAR, reducing_gap=2.0)


def decode(data: bytes, limits: AnalysisLimits) -> Decoded:
    """Decode bytes into reduced RGB images, or raise DecodeFailure with a contract code and a reason."""
    ctype = sniff(data)
    if not data:
        raise DecodeFailure("unreadable", "empty file (0 bytes)", ctype)
    if len(data) > limits.max_file_bytes:
        raise DecodeFailure("file_too_large", "file is %d bytes, the limit is %d" % (len(data), limits.max_file_bytes),
                            ctype)
    if ctype == "application/pdf":
        return _decode_pdf(data, limits)
    if ctype not in IMAGE_TYPES:
        reason = _UNSUPPORTED_REASON.get(ctype, "not an image or PDF (unknown file type)")
        raise DecodeFailure("unsupported_file", reason, ctype)
    return _decode_image(data, ctype, limits)


def _decode_image(data: bytes, ctype: str, limits: AnalysisLimits) -> Decoded:
    """Raster images: header first (pixel limit), then a reduced decode, EXIF orientation, RGB."""
    from PIL import Image, ImageOps

    if ctype in ("image/heic", "image/heif", "image/avif"):
        _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard fired while parsing the header (its limit is above ours): same verdict, our wording.
        m = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = "%.1f megapixels" % (int(m.group(1)) / 1e6) if m else "too many pixels"
        raise DecodeFailure("file_too_large", "image header declares %s, the limit is %.1f" % (
            pixels, limits.max_pixels / 1e6), ctype) from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure means the file is damaged
        raise DecodeFailure("unreadable", "cannot read the %s header: %s" % (ctype, exc), ctype) from exc
    w, h = im.size
    if w * h > limits.max_pixels:
        raise DecodeFailure("file_too_large", "image is %dx%d = %.1f megapixels, the limit is %.1f" % (
            w, h, w * h / 1e6, limits.max_pixels / 1e6), ctype)
    if w < 1 or h < 1:
        raise DecodeFailure("unreadable", "image has no pixels", ctype)
    try:
        if im.format == "JPEG":
            # DCT-domain reduction (1/2, 1/4, 1/8) keeps at least the analysis size: cheap on 50 MP photos.
            s = limits.analysis_long_side / float(max(w, h))
            im.draft("RGB", (max(1, int(w * s)), max(1, int(h * s))))
        im.seek(0)  # first frame of GIF/TIFF/WebP animations
        im.load()
        transposed = ImageOps.exif_transpose(im)
        rotated = transposed is not im and transposed.size != im.size
        orientation = im.getexif().get(0x0112, 1) if hasattr(im, "getexif") else 1
        im = _to_rgb(transposed)
    except DecodeFailure:
        raise
    except Exception as exc:  # noqa: BLE001 - truncated, corrupt, unsupported sub-format
        raise DecodeFailure("unreadable", "image data is damaged: %s" % exc, ctype) from exc
    original = (h, w) if orientation in (5, 6, 7, 8) else (w, h)
    ocr_image = _fit(im, OCR_MAX_LONG_SIDE)
    analysis = _fit(ocr_image, limits.analysis_long_side)
    return Decoded(ctype, ocr_image, analysis, original, 1, rotated or orientation != 1)


def _decode_pdf(data: bytes, limits: AnalysisLimits) -> Decoded:
    """Render the first pages of a PDF at a scale that keeps within the pixel limits, stacked vertically."""
    import pypdfium2 as pdfium
    from PIL import Image

    ctype = "application/pdf"
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4 or "password" in str(exc).lower():
            raise DecodeFailure("unreadable", "PDF is password-protected", ctype) from exc
        raise DecodeFailure("unreadable", "PDF cannot be opened: %s" % exc, ctype) from exc
    try:
        n = len(pdf)
        if n == 0:
            raise DecodeFailure("unreadable", "PDF has no pages", ctype)
        pages: list[Image.Image] = []
        budget = min(limits.max_pixels, 24_000_000) / max(1, min(n, limits.pdf_max_pages))
        for i in range(min(n, limits.pdf_max_pages)):
            page = pdf[i]
            pw, ph = page.get_size()
            if pw <= 0 or ph <= 0:
                continue
            scale = min(PDF_MAX_DPI / 72.0, PDF_MAX_LONG_SIDE / max(pw, ph), (budget / (pw * ph)) ** 0.5)
            pages.append(_to_rgb(page.render(scale=scale).to_pil()))
            page.close()
    except DecodeFailure:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfium refuses damaged files in many ways
        raise DecodeFailure("unreadable", "PDF page cannot be rendered: %s" % exc, ctype) from exc
    finally:
        pdf.close()
    if not pages:
        raise DecodeFailure("unreadable", "PDF pages are empty", ctype)
    if len(pages) == 1:
        full = pages[0]
    else:
        width = max(p.width for p in pages)
        gap = 16
        full = Image.new("RGB", (width, sum(p.height for p in pages) + gap * (len(pages) - 1)), (255, 255, 255))
        y = 0
        for p in pages:
            full.paste(p, (0, y))
            y += p.height + gap
    ocr_image = _fit(full, OCR_MAX_LONG_SIDE)
    return Decoded(ctype, ocr_image, _fit(ocr_image, limits.analysis_long_side), full.size, len(pages))
