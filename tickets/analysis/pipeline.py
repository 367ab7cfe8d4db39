"""analyse(): bytes in, findings out. Decode once, cheap checks first, OCR only where it can pay off."""

from __future__ import annotations

import logging
import re
import time
from datetime import date
from typing import TYPE_CHECKING

from . import thresholds as T
from .result import AnalysisLimits, AnalysisResult, OcrLine

if TYPE_CHECKING:
    import numpy as np

    from .decode import Decoded
    from .ocr import OcrEngine

logger = logging.getLogger(__name__)

_IMPORTANT = re.compile(r"失败|错误|异常|超时|过期|无法|不支持|不清晰|拒绝|冻结|网络|有效期|error|fail|invalid|timeout|"
                        r"timed out|expired|unable|not supported|denied|network|blur|expiry", re.I)
_DEFAULT_LIMITS = AnalysisLimits()


class _Clock:
    """Stage stopwatch feeding AnalysisResult.timings (seconds, summed per stage)."""

    def __init__(self, timings: dict) -> None:
        self.timings = timings
        self.start = self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Charge the time since the last lap to a stage."""
        now = time.perf_counter()
        self.timings[stage] = round(self.timings.get(stage, 0.0) + now - self.last, 4)
        self.last = now

    def total(self) -> None:
        """Record the whole analysis time."""
        self.timings["total"] = round(time.perf_counter() - self.start, 4)


def analyse(data: bytes, *, filename: str = "", reference_date: date | None = None,
            limits: AnalysisLimits = _DEFAULT_LIMITS, ocr: OcrEngine | None = None,
            preview: bool = True) -> AnalysisResult:
    """Analyse one attachment's bytes; never raises for bad input (it becomes a defect with a reason)."""
    from .decode import DecodeFailure, decode

    res = AnalysisResult()
    clock = _Clock(res.timings)
    try:
        dec = decode(data, limits)
    except DecodeFailure as fail:
        res.sniffed_type = fail.sniffed_type
        res.error = fail.reason
        res.add_defect(fail.code, reason=fail.reason)
        res.metrics["bytes"] = len(data)
        clock.lap("decode")
        clock.total()
        logger.info("Attachment %r not analysed (%s): %s", filename, fail.code, fail.reason)
        return res
    clock.lap("decode")
    try:
        _analyse_image(res, dec, clock, filename=filename, reference=reference_date or date.today(), ocr=ocr,
                       preview=preview)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in one stage must not lose the decoded verdicts
        logger.exception("Analysis of %r failed after decoding", filename)
        res.error = "analysis failed: %s" % exc
    clock.total()
    return res


def _analyse_image(res: AnalysisResult, dec: Decoded, clock: _Clock, *, filename: str, reference: date,
                   ocr: OcrEngine | None, preview: bool) -> None:
    """Run the checks suited to the picture and fill the result in place."""
    import cv2
    import numpy as np

    from . import checks, kind as kinds
    from .ocr import default_engine

    engine = ocr or default_engine()
    res.sniffed_type = dec.sniffed_type
    rgb = np.asarray(dec.image)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    ow, oh = dec.original_size
    m = res.metrics
    m.update({"width": ow, "height": oh, "analysis_width": dec.image.width, "analysis_height": dec.image.height,
              "bytes": 0, "pages": dec.pages, "exif_transposed": dec.exif_transposed})
    flat = checks.screen_flatness(rgb)
    aspect = max(ow, oh) / float(min(ow, oh))
    m["flatness"] = round(flat, 3)
    shapes: list[tuple[str, str, object]] = []

    if kinds.looks_like_screen(flat, aspect):
        # Rendered pixels (app screens, PDF pages): OCR is the whole job; photo checks would be meaningless.
        res.kind = kinds.SCREENSHOT if dec.sniffed_type != "application/pdf" else kinds.OTHER
        clock.lap("checks")
        _ocr_screen(res, dec, engine)
        clock.lap("ocr")
        _find_printed_expiry(res, reference, evidence_kinds=(kinds.OTHER,))
        for line in _important_lines(res.ocr_lines):
            shapes.append(("text", "text: " + line.text, line.bbox))
    else:
        _analyse_photo(res, dec, rgb, grey, clock, filename=filename, reference=reference, engine=engine,
                       shapes=shapes)
    if preview:
        res.preview_png = _preview(rgb, shapes)
        res.preview_redacted_png = _redacted_preview(rgb, shapes, res)
        clock.lap("preview")


def _analyse_photo(res: AnalysisResult, dec: Decoded, rgb: np.ndarray, grey: np.ndarray, clock: _Clock, *,
                   filename: str, reference: date, engine: OcrEngine,
                   shapes: list[tuple[str, str, object]]) -> None:
    """Camera photos (and scanned PDFs): quality, outline, faces, MRZ, then OCR where text is expected."""
    from . import checks, kind as kinds
    from .faces import detect_faces

    m = res.metrics
    h, w = grey.shape
    sharp = checks.sharpness(grey)
    mean, p95 = checks.exposure(grey)
    gl = checks.glare(rgb)
    out = checks.outline(grey)
    density = checks.text_density(grey)
    m.update({"sharpness": round(sharp, 1), "brightness": round(mean, 1), "brightness_p95": round(p95, 1),
              "glare_ratio": gl.ratio, "text_density": density, "document_area": out.area_ratio,
              "document_aspect": out.aspect, "document_fill": out.fill})
    clock.lap("checks")
    faces = detect_faces(grey)
    m["faces"] = len(faces)
    clock.lap("faces")
    dominant_face = bool(faces) and faces[0][2] * faces[0][3] / float(w * h) >= T.FACE_DOMINANT_AREA
    mrz = None
    band_box = None
    if out.document_like or not dominant_face:
        for band in checks.mrz_bands(grey):
            mrz = _read_mrz_band(grey, band.bbox, engine, reference)
            if mrz:
                band_box = band.bbox
                break
    clock.lap("mrz")
    verdict = kinds.classify_photo(mrz_found=mrz is not None, card_like=out.card_like, faces=faces,
                                   frame_area=w * h, text_density=density, filename=filename)
    res.kind = verdict.kind
    m["kind_reason"] = verdict.reason
    if mrz:
        res.mrz = mrz
        shapes.append(("mrz", "MRZ %s %s" % (mrz["format"], "ok" if mrz["checks_ok"] else "check digits fail"),
                       band_box))

    # OCR: documents (printed fields, expiry) and text-bearing "other" photos; selfies skip it.
    if res.kind == kinds.ID_DOCUMENT or (res.kind == kinds.OTHER and density >= 0.01):
        _ocr_photo(res, dec, engine)
        clock.lap("ocr")

    # defects
    if res.kind in (kinds.ID_DOCUMENT, kinds.SELFIE, kinds.OTHER):
        if sharp < T.BLURRY_SHARPNESS:
            res.add_defect("blurry", sharpness=round(sharp, 1), threshold=T.BLURRY_SHARPNESS)
        if gl.ratio >= T.GLARE_RATIO:
            res.add_defect("glare", ratio=gl.ratio, region=gl.region, threshold=T.GLARE_RATIO)
            shapes.append(("glare", "glare %.1f%% %s" % (100 * gl.ratio, gl.region), gl.bbox))
        if mean < T.TOO_DARK_MEAN and p95 < T.TOO_DARK_P95:
            res.add_defect("too_dark", brightness=round(mean, 1), p95=round(p95, 1), threshold=T.TOO_DARK_MEAN)
    short = min(dec.original_size)
    if res.kind == kinds.ID_DOCUMENT:
        if short < T.MIN_SHORT_SIDE_DOCUMENT:
            res.add_defect("low_resolution", short_side=short, minimum=T.MIN_SHORT_SIDE_DOCUMENT)
        if out.document_like and out.touches:
            res.add_defect("cropped", edges=out.touches, document_area=out.area_ratio)
        clearly_id = out.card_like or bool(mrz and mrz["checks_ok"])
        judgeable = not {"too_dark", "blurry", "glare"} & set(res.defects)  # those hide faces by themselves
        if clearly_id and judgeable and not _face_in_portrait(faces, out):
            res.add_defect("no_face", faces=len(faces), where="portrait area of the document")
    elif res.kind == kinds.SELFIE:
        if short < T.MIN_SHORT_SIDE_SELFIE:
            res.add_defect("low_resolution", short_side=short, minimum=T.MIN_SHORT_SIDE_SELFIE)
        if not faces:
            res.add_defect("no_face", faces=0)
        elif len(faces) > 1:
            res.add_defect("multiple_faces", faces=len(faces))
    if out.quad and out.document_like and res.kind == kinds.ID_DOCUMENT:
        shapes.append(("document", "document" + (" cut: " + ",".join(out.touches) if out.touches else ""), out.quad))
    for i, f in enumerate(faces[:6]):
        shapes.append(("face", "face %d" % (i + 1), f))

    # expiry: MRZ first, printed text otherwise
    if mrz and mrz.get("expiry"):
        res.expiry_date = mrz["expiry"]
        if mrz["expiry"] < reference.isoformat():
            res.add_defect("expired_document", expiry=mrz["expiry"], source="mrz", reference=reference.isoformat(),
                           checks_ok=mrz["checks_ok"])
    else:
        _find_printed_expiry(res, reference, evidence_kinds=(kinds.ID_DOCUMENT, kinds.OTHER))
    for line in _important_lines(res.ocr_lines):
        shapes.append(("expiry" if "expir" in line.text.lower() or "有效期" in line.text else "text",
                       "text: " + line.text, line.bbox))


def _face_in_portrait(faces: list[tuple[int, int, int, int]], out: object) -> bool:
    """A face whose centre lies in the document's left half (where ID portraits sit), or anywhere if unknown."""
    if not faces:
        return False
    x, y, w, h = out.bbox  # type: ignore[attr-defined]
    if w <= 0:
        return True
    for fx, fy, fw, fh in faces:
        cx, cy = fx + fw / 2, fy + fh / 2
        if x <= cx <= x + 0.55 * w and y <= cy <= y + h:
            return True
    return False


def _read_mrz_band(grey: np.ndarray, bbox: tuple[int, int, int, int], engine: OcrEngine, reference: date) -> dict | None:
    """OCR one candidate band with the MRZ charset and parse it."""
    import cv2
    from PIL import Image

    from .mrz import find_mrz

    x, y, w, h = bbox
    crop = grey[y:y + h, x:x + w]
    if crop.size == 0:
        return None
    crop = cv2.normalize(crop, None, 0, 255, cv2.NORM_MINMAX)  # dark photos: stretch before OCR
    if h < 70:
        f = 70.0 / h
        crop = cv2.resize(crop, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_CUBIC)
    lines = engine.read_mrz(Image.fromarray(crop))
    return find_mrz(lines, reference)


def _ocr_screen(res: AnalysisResult, dec: Decoded, engine: OcrEngine) -> None:
    """OCR a rendered screen near full size with the engine the OCR policy picks, boxes in analysis px."""
    from .ocr import SCREEN_PSM

    read = getattr(engine, "read", None)  # engines without it (test doubles) read one Tesseract-style pass
    if read is None:
        lines = engine.read_lines(dec.ocr_image, psm=SCREEN_PSM)
        res.metrics["ocr_second_pass"] = 0
        _store_lines(res, lines, dec.image.width / float(dec.ocr_image.width))
        return
    reading = read(dec.ocr_image, purpose="screen")
    res.metrics["ocr_second_pass"] = reading.second_pass  # rows re-read with chi_tra+eng (0 on well-read screens)
    _note_engine(res, reading)
    _store_lines(res, reading.lines, dec.image.width / float(dec.ocr_image.width))


def _ocr_photo(res: AnalysisResult, dec: Decoded, engine: OcrEngine) -> None:
    """OCR a photo at analysis size (each engine prepares it; a dark photo is not a dark theme)."""
    read = getattr(engine, "read", None)
    if read is None:  # test doubles: Tesseract-style, darkest channel stretched
        import cv2
        import numpy as np
        from PIL import Image

        from .ocr import DOCUMENT_PSM

        grey = cv2.normalize(np.asarray(dec.image).min(axis=2), None, 0, 255, cv2.NORM_MINMAX)
        _store_lines(res, engine.read_lines(Image.fromarray(grey), psm=DOCUMENT_PSM, prepared=True), 1.0)
        return
    reading = read(dec.image, purpose="photo")
    _note_engine(res, reading)
    _store_lines(res, reading.lines, 1.0)


def _note_engine(res: AnalysisResult, reading: object) -> None:
    """Which OCR engine read the image (and why the chosen one did not), in metrics and timings."""
    res.metrics["ocr_engine"] = reading.engine  # type: ignore[attr-defined]
    if reading.fallback:  # type: ignore[attr-defined]
        res.metrics["ocr_fallback"] = reading.fallback  # type: ignore[attr-defined]
    res.timings["ocr_" + reading.engine] = round(reading.seconds, 4)  # type: ignore[attr-defined]


def _store_lines(res: AnalysisResult, lines: list[OcrLine], f: float) -> None:
    """Keep lines (boxes scaled by f) and the joined text plus cheap text metrics."""
    if f != 1.0:
        lines = [OcrLine(ln.text, ln.confidence, tuple(int(v * f) for v in ln.bbox)) for ln in lines]  # type: ignore
    res.ocr_lines = lines
    res.ocr_text = "\n".join(ln.text for ln in lines)
    res.metrics["ocr_lines"] = len(lines)
    res.metrics["ocr_chars"] = sum(len(ln.text) for ln in lines)
    if lines:
        res.metrics["ocr_confidence"] = round(sum(ln.confidence for ln in lines) / len(lines), 1)


def _find_printed_expiry(res: AnalysisResult, reference: date, evidence_kinds: tuple[str, ...]) -> None:
    """Printed expiry when there is no MRZ; a defect only for documents (and unknown photos)."""
    from .expiry import find_printed_expiry

    if not res.ocr_lines:
        return
    found = find_printed_expiry([ln.text for ln in res.ocr_lines])
    if not found:
        return
    res.expiry_date = found["expiry"]
    if res.kind in evidence_kinds and found["expiry"] < reference.isoformat():
        res.add_defect("expired_document", expiry=found["expiry"], source="printed", line=found["line"],
                       reference=reference.isoformat())


def _important_lines(lines: list[OcrLine]) -> list[OcrLine]:
    """OCR lines worth pointing at in the preview: error/expiry wording with usable confidence."""
    picked = [ln for ln in lines if ln.confidence >= T.OCR_MIN_LINE_CONFIDENCE and _IMPORTANT.search(ln.text)]
    return picked[:8]


def _preview(rgb: np.ndarray, shapes: list[tuple[str, str, object]]) -> bytes:
    """Annotated PNG of the analysis image."""
    from .preview import render

    return render(rgb, [s for s in shapes if s[2] is not None])


def identity_regions(shapes: list[tuple[str, str, object]], res: AnalysisResult,
                     size: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """Where identity data sits, from the analysis' own boxes (x, y, w, h in analysis pixels).

    Documents: the MRZ band, every OCR line with a number or a date, the portrait (the detected face, or
    the left part of the document outline when no face was found). Selfies: the face, or the whole
    picture when none was found. Any kind: OCR lines that hold an ID number or a date of birth.
    """
    from tickets.masking import mask_text

    width, height = size
    regions: list[tuple[int, int, int, int]] = []

    def grow(box, by: float) -> tuple[int, int, int, int]:
        x, y, w, h = (int(v) for v in box)
        dx, dy = int(w * by), int(h * by)
        return (x - dx, y - dy, w + 2 * dx, h + 2 * dy)

    faces = [geom for kind, _, geom in shapes if kind == "face" and geom is not None]
    if res.kind == "selfie":
        return [grow(f, 0.3) for f in faces] or [(0, 0, width, height)]
    document = res.kind == "id_document" or res.mrz is not None
    if document:
        regions += [grow(geom, 0.1) for kind, _, geom in shapes if kind == "mrz" and geom is not None]
        regions += [grow(f, 0.5) for f in faces]  # the whole portrait, not just the face inside it
        if not faces:
            for kind, _, geom in shapes:
                if kind == "document" and geom is not None:
                    xs, ys = [int(p[0]) for p in geom], [int(p[1]) for p in geom]
                    x0, y0 = min(xs), min(ys)
                    regions.append((x0, y0, int((max(xs) - x0) * 0.4), max(ys) - y0))
    previous = ""
    for line in res.ocr_lines:
        sensitive = mask_text(previous + "\n" + line.text).split("\n")[-1] != line.text
        if document and (re.search(r"\d{4}", line.text) or re.search(r"\d{1,2}\s*[./\-年]\s*\d{1,2}", line.text)):
            sensitive = True
        if sensitive:
            regions.append(grow(line.bbox, 0.1))
        previous = line.text
    return regions


def _redacted_preview(rgb: np.ndarray, shapes: list[tuple[str, str, object]], res: AnalysisResult) -> bytes:
    """The preview agents see: identity regions blurred, OCR text in labels masked."""
    from tickets.masking import mask_text

    from .preview import render

    h, w = rgb.shape[:2]
    regions = identity_regions(shapes, res, (w, h))
    labelled = [(kind, mask_text(label) if kind in ("text", "expiry") else label, geom)
                for kind, label, geom in shapes if geom is not None]
    return render(rgb, labelled, blur=regions)
