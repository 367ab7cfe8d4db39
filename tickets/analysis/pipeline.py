"""analyse(): bytes in, findings out. Decode once, cheap checks first, OCR only where it can pay off."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from . import thresholds as T
from .result import AnalysisLimits, AnalysisResult, OcrLine

if TYPE_CHECKING:
    import numpy as np

    from . import checks
    from .checks import Glare
    from .decode import Decoded
    from .ocr import OcrEngine

logger = logging.getLogger(__name__)

_IMPORTANT = re.compile(r"失败|错误|异常|超时|过期|无法|不支持|不清晰|拒绝|冻结|网络|有效期|"
                        r"失敗|錯誤|異常|逾時|超時|過期|無法|不支援|拒絕|凍結|網路|網絡|"  # the same in Traditional
                        r"error|fail|invalid|timeout|timed out|expired|unable|not supported|denied|network|blur|"
                        r"expiry", re.I)
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
            preview: bool = True, hint: str | None = None) -> AnalysisResult:
    """Analyse one attachment's bytes; never raises for bad input (it becomes a defect with a reason).

    `hint` is the kind the customer's message suggests for this file ("selfie", "id_document", "screenshot";
    see kind.message_hint): one cue among the others, like the file name.
    """
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
                       preview=preview, hint=hint)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug in one stage must not lose the decoded verdicts
        logger.exception("Analysis of %r failed after decoding", filename)
        res.error = "analysis failed: %s" % exc
    clock.total()
    return res


@dataclass
class PhotoFacts:
    """What the defect rules judge: measurements of one decoded picture and its kind."""

    kind: str
    short_side: int
    sharpness: float = 0.0
    edge_width: float = 0.0
    brightness: float = 0.0
    brightness_p95: float = 0.0
    subject: str = "frame"  # where exposure was judged: "document", "face" or "frame"
    glare: Glare | None = None
    cut: list[str] = field(default_factory=list)
    cut_seen_by: str = "outline"  # "outline": the bright region's contact with the frame; "edges": checks.card_cut
    cut_quad: list[tuple[int, int]] = field(default_factory=list)  # the cut card when seen by its edges
    document_area: float = 0.0
    faces: list[tuple[int, int, int, int]] = field(default_factory=list)
    kyc_chance: float = 1.0  # the kind model's p(id_document) + p(selfie): an `other` may be one it missed


def _rule_too_dark(f: PhotoFacts) -> dict | None:
    if f.brightness < T.TOO_DARK_MEAN and f.brightness_p95 < T.TOO_DARK_P95:
        return {"brightness": round(f.brightness, 1), "p95": round(f.brightness_p95, 1), "judged_on": f.subject,
                "threshold": T.TOO_DARK_MEAN}
    return None


def _rule_blurry(f: PhotoFacts) -> dict | None:
    if f.kind == "selfie" and not f.faces:
        return None  # blur is judged against the face; a selfie without one is no_face, whatever its focus
    soft_edges = f.edge_width >= T.BLURRY_EDGE_WIDTH
    if soft_edges or f.sharpness < T.BLURRY_SHARPNESS:
        return {"sharpness": round(f.sharpness, 1), "threshold": T.BLURRY_SHARPNESS,
                "edge_width_px": round(f.edge_width, 2), "edge_width_limit": T.BLURRY_EDGE_WIDTH}
    return None


def _rule_glare(f: PhotoFacts) -> dict | None:
    g = f.glare
    if g is not None and g.ratio >= T.GLARE_RATIO:
        return {"ratio": g.ratio, "region": g.region, "threshold": T.GLARE_RATIO}
    return None


def _rule_low_resolution(f: PhotoFacts) -> dict | None:
    minimum = T.MIN_SHORT_SIDE_DOCUMENT if f.kind == "id_document" else T.MIN_SHORT_SIDE_SELFIE
    if f.short_side < minimum:
        return {"short_side": f.short_side, "minimum": minimum}
    return None


def _rule_cropped(f: PhotoFacts) -> dict | None:
    if f.cut:
        return {"edges": f.cut, "document_area": f.document_area, "seen_by": f.cut_seen_by}
    return None


def _rule_no_face(f: PhotoFacts) -> dict | None:
    return {"faces": 0} if not f.faces else None


def _rule_multiple_faces(f: PhotoFacts) -> dict | None:
    return {"faces": len(f.faces)} if len(f.faces) > 1 else None


# (defect, kinds it applies to, rule, defects that pre-empt it). Order matters: darkness is judged before blur,
# because an under-exposed photo also loses its edges and the customer's fix is light, not focus.
DEFECT_RULES = (
    ("too_dark", ("id_document", "selfie", "other"), _rule_too_dark, ()),
    ("blurry", ("id_document", "selfie", "other"), _rule_blurry, ("too_dark",)),
    ("glare", ("id_document", "selfie", "other"), _rule_glare, ()),
    ("low_resolution", ("id_document", "selfie"), _rule_low_resolution, ()),
    ("cropped", ("id_document",), _rule_cropped, ()),
    ("no_face", ("selfie",), _rule_no_face, ()),
    ("multiple_faces", ("selfie",), _rule_multiple_faces, ()),
)


def photo_defects(facts: PhotoFacts) -> list[tuple[str, dict]]:
    """The photo defects of one picture, each with its evidence, by the table above. An `other` attachment (a
    receipt, a landscape) gets none unless it may be a document or a selfie after all: its blur or darkness asks
    nothing of the customer, and an agent reading "blurry" on it would ask for a sharper receipt."""
    found: list[tuple[str, dict]] = []
    if facts.kind == "other" and facts.kyc_chance < T.OTHER_DEFECTS_MIN_KYC_CHANCE:
        return found
    for code, kinds, rule, pre_empted_by in DEFECT_RULES:
        if facts.kind not in kinds or any(code2 == c for c in pre_empted_by for code2, _ in found):
            continue
        details = rule(facts)
        if details is not None:
            found.append((code, details))
    return found


def _analyse_image(res: AnalysisResult, dec: Decoded, clock: _Clock, *, filename: str, reference: date,
                   ocr: OcrEngine | None, preview: bool, hint: str | None) -> None:
    """Measure, read, decide the kind from every cue, then judge the defects that kind can have."""
    import cv2
    import numpy as np

    from . import checks, kind as kinds
    from .faces import detect_faces
    from .ocr import default_engine

    engine = ocr or default_engine()
    res.sniffed_type = dec.sniffed_type
    rgb = np.asarray(dec.image)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    ow, oh = dec.original_size
    h, w = grey.shape
    m = res.metrics
    m.update({"width": ow, "height": oh, "analysis_width": dec.image.width, "analysis_height": dec.image.height,
              "bytes": 0, "pages": dec.pages, "exif_transposed": dec.exif_transposed})
    flat = checks.screen_flatness(rgb)
    aspect = max(ow, oh) / float(min(ow, oh))
    m["flatness"] = round(flat, 3)
    screen_like = kinds.looks_like_screen(flat, aspect)
    out = checks.outline(grey)
    density = checks.text_density(grey)
    clock.lap("checks")
    faces = detect_faces(grey, thorough=not screen_like)
    m["faces"] = len(faces)
    face_text = kinds.text_beside_face(grey, faces[0] if faces else None)
    clock.lap("faces")

    # Reading: rendered screens and pages are read whole; photos too when PP-OCR reads them, even a portrait with
    # little text: the app's own camera step is a face under the error line (key-line CER 0.89 on the tune
    # camera screens while they were skipped), and PP-OCR's detector finds no line in a plain selfie, so reading
    # one costs a detection pass. Tesseract (which reads skin and fabric as text) skips a portrait photo with
    # little text, unless the big face has text beside it or sits inside a document's outline (a printed portrait
    # photographed close) or the frame is taller than any camera's (an app's camera screen). The MRZ comes from
    # the lines read, or from a dedicated pass over the MRZ-like bands when the lines do not hold one.
    dominant = bool(faces) and faces[0][2] * faces[0][3] / float(w * h) >= T.OCR_SKIP_FACE_AREA
    portrait_photo = (dominant and density <= T.SELFIE_MAX_TEXT_DENSITY and face_text < kinds.FACE_TEXT_PRINTED
                      and not kinds.tall_screen(w, h) and not kinds.printed_portrait(faces, out))
    reads_portraits = getattr(engine, "engine_for", lambda purpose: "tesseract")("photo") == "rapidocr"
    card, card_box = kinds.card_region(rgb)
    clock.lap("checks")
    if screen_like:
        _ocr_screen(res, dec, engine)
    elif reads_portraits or not portrait_photo:
        _ocr_photo(res, dec, engine)
        clock.lap("ocr")
        face_share = faces[0][2] * faces[0][3] / float(w * h) if faces else 0.0
        if face_share < T.CARD_READ_MAX_FACE_AREA:  # a person's face, not a card's portrait: nothing to re-read
            _read_card(res, rgb, engine, card_box or (out.bbox if out.document_like else None))
        clock.lap("ocr_card")
    clock.lap("ocr")
    mrz, band_box = _find_mrz(res, grey, engine, reference, search_bands=not screen_like or bool(faces))
    clock.lap("mrz")

    name_hint = kinds.filename_hint(filename)
    features = kinds.kind_features(flatness=flat, aspect=aspect, mrz=mrz, ocr_text=res.ocr_text, outline=out,
                                   faces=faces, frame=(w, h), text_density=density, hint=hint or name_hint,
                                   texture=checks.texture(rgb), face_text=face_text, card=card, card_box=card_box)
    verdict = kinds.classify(features)
    res.kind = verdict.kind
    if dec.sniffed_type == "application/pdf" and res.kind == kinds.SCREENSHOT:
        res.kind = kinds.OTHER  # a rendered PDF page is a document of some sort, never a phone screen
    m["kind_reason"] = verdict.reason
    m["kind_probabilities"] = verdict.probabilities
    m["kind_features"] = features
    if mrz:
        res.mrz = mrz

    shapes: list[tuple[str, dict, object]] = []
    if res.kind != kinds.SCREENSHOT:
        facts = _photo_facts(res, rgb, grey, out, faces, short_side=min(dec.original_size))
        clock.lap("checks")
        for code, details in photo_defects(facts):
            res.add_defect(code, **details)
        shapes += _photo_shapes(res, facts, out, faces)
    if mrz:
        shapes.append(("mrz", {"format": mrz["format"], "checks_ok": bool(mrz["checks_ok"])}, band_box))
    _expiry(res, reference)
    if preview:
        for line in _important_lines(res.ocr_lines, res.kind):  # highlighted: its words stay in the picture
            shapes.append(("expiry" if "expir" in line.text.lower() or "有效期" in line.text else "error", {},
                           line.bbox))
        res.preview_png = _preview(rgb, shapes, res)
        res.preview_redacted_png = _redacted_preview(rgb, shapes, res)
        clock.lap("preview")


def _photo_facts(res: AnalysisResult, rgb: np.ndarray, grey: np.ndarray, out: checks.Outline,
                 faces: list[tuple[int, int, int, int]], *, short_side: int) -> PhotoFacts:
    """Measure what the defect rules judge, on the subject (document or face) where there is one."""
    from . import checks

    m = res.metrics
    subject_box, subject = None, "frame"
    if res.kind == "id_document" and out.document_like:
        subject_box, subject = out.bbox, "document"
    elif res.kind == "selfie" and faces:
        fx, fy, fw, fh = faces[0]
        subject_box, subject = (max(0, fx - fw // 4), max(0, fy - fh // 4), fw + fw // 2, fh + fh // 2), "face"
    mean, p95 = checks.region_exposure(grey, subject_box)
    sharp = checks.sharpness(grey)
    width = checks.edge_width(grey, subject_box if subject == "document" else None)
    gl = checks.specular_glare(rgb, subject_box if subject == "document" else None)
    cut, seen_by, cut_quad = checks.cut_edges(out), "outline", []  # a flat, rendered picture can show a cut card
    if cut and res.kind == "id_document":  # the bright region may be card and hand: judge the card alone
        cut = checks.cut_edges(checks.outline(grey, exclude=checks.skin(rgb)))
    elif res.kind == "id_document":  # on a plain light table the bright region is card and table: find its edges
        (cut, cut_quad), seen_by = checks.card_cut_quad(rgb), "edges"
    m.update({"sharpness": round(sharp, 1), "edge_width": round(width, 2), "brightness": round(mean, 1),
              "brightness_p95": round(p95, 1), "exposure_on": subject, "glare_ratio": gl.ratio,
              "document_area": out.area_ratio, "document_aspect": out.aspect, "document_fill": out.fill})
    return PhotoFacts(kind=res.kind, short_side=short_side, sharpness=sharp, edge_width=width, brightness=mean,
                      brightness_p95=p95, subject=subject, glare=gl, cut=cut, cut_seen_by=seen_by,
                      cut_quad=cut_quad, document_area=out.area_ratio, faces=faces,
                      kyc_chance=sum(m.get("kind_probabilities", {}).get(k, 0.0) for k in ("id_document", "selfie"))
                      if m.get("kind_probabilities") else 1.0)


def _photo_shapes(res: AnalysisResult, facts: PhotoFacts, out: checks.Outline,
                  faces: list[tuple[int, int, int, int]]) -> list[tuple[str, dict, object]]:
    """The preview's shapes (kind, what its label says, where) for a photo: glare, the document, faces."""
    shapes: list[tuple[str, dict, object]] = []
    if "glare" in res.defects and facts.glare is not None:
        shapes.append(("glare", {"percent": round(100 * facts.glare.ratio, 1)}, facts.glare.bbox))
    if facts.cut and facts.cut_quad and res.kind == "id_document":  # the card its edges found (the outline's
        shapes.append(("document", {"cut": list(facts.cut)}, facts.cut_quad))  # region is card and table)
    elif out.quad and out.document_like and res.kind == "id_document":
        shapes.append(("document", {"cut": list(facts.cut)}, out.quad))
    for i, f in enumerate(faces[:6]):
        shapes.append(("face", {"number": i + 1, "of": min(len(faces), 6)}, f))
    return shapes


def _find_mrz(res: AnalysisResult, grey: np.ndarray, engine: OcrEngine, reference: date, *,
              search_bands: bool) -> tuple[dict | None, tuple[int, int, int, int] | None]:
    """MRZ from the lines already read (any engine), else from a dedicated pass over MRZ-like bands."""
    from . import checks
    from .mrz import find_mrz

    found = find_mrz([ln.text for ln in res.ocr_lines], reference) if res.ocr_lines else None
    box = None
    if found is not None:
        mrz_lines = [ln for ln in res.ocr_lines if len(ln.text.replace(" ", "")) >= 28 and "<" in ln.text]
        if mrz_lines:
            xs = [ln.bbox[0] for ln in mrz_lines] + [ln.bbox[0] + ln.bbox[2] for ln in mrz_lines]
            ys = [ln.bbox[1] for ln in mrz_lines] + [ln.bbox[1] + ln.bbox[3] for ln in mrz_lines]
            box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    if (found is None or not found["checks_ok"]) and search_bands:
        for band in checks.mrz_bands(grey):
            candidate = _read_mrz_band(grey, band.bbox, engine, reference)
            if candidate and (found is None or sum(candidate["checks"].values()) > sum(found["checks"].values())):
                found, box = candidate, band.bbox
            if found and found["checks_ok"]:
                break
    return found, box


def _expiry(res: AnalysisResult, reference: date) -> None:
    """Expiry from the MRZ (when its expiry check digit verifies), from the MRZ's birth/expiry run when the zone
    as a whole did not parse, or from printed dates; compared with the day the mail reached us.

    A defect for documents, and for pictures the kind model called "other" (a document it did not recognise
    still expires; selfies and screenshots never do).
    """
    from .expiry import find_printed_expiry
    from .mrz import find_expiry_run

    mrz = res.mrz
    texts = [ln.text for ln in res.ocr_lines]
    found: dict | None = None
    run = find_expiry_run(texts, reference) if texts and not (mrz and mrz.get("checks_ok")) else None
    if mrz and mrz.get("expiry") and mrz.get("checks", {}).get("expiry", True) and (mrz["checks_ok"] or not run) \
            and mrz["expiry"] > (mrz.get("birth_date") or ""):
        found = {"expiry": mrz["expiry"], "source": "mrz", "checks_ok": mrz["checks_ok"]}
    elif run:
        found = {"expiry": run["expiry"], "source": "mrz", "line": run["line"]}
    elif texts:
        found = find_printed_expiry(texts, [ln.bbox for ln in res.ocr_lines])
    if not found:
        return
    res.expiry_date = found["expiry"]
    if res.kind in ("id_document", "other") and found["expiry"] < reference.isoformat():
        res.add_defect("expired_document", **found, reference=reference.isoformat())


def _read_mrz_band(grey: np.ndarray, bbox: tuple[int, int, int, int], engine: OcrEngine, reference: date) -> dict | None:
    """OCR one candidate band with the MRZ charset, as is and enlarged; the reading with more checks wins.

    A local helper over the engine's read_mrz(): small scans (a 280-px card) need the band enlarged to about
    three times the height Tesseract reads best, well-lit large ones read as they are.
    """
    import cv2
    from PIL import Image

    from .mrz import find_mrz

    x, y, w, h = bbox
    crop = grey[y:y + h, x:x + w]
    if crop.size == 0:
        return None
    crop = cv2.normalize(crop, None, 0, 255, cv2.NORM_MINMAX)  # dark photos: stretch before OCR
    best = None
    for target in (70, 120):
        f = max(1.0, target / float(h))
        if best is not None and f == 1.0:
            break
        img = cv2.resize(crop, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_CUBIC) \
            if f != 1.0 else crop
        found = find_mrz(engine.read_mrz(Image.fromarray(img)), reference)
        if found and (best is None or sum(found["checks"].values()) > sum(best["checks"].values())):
            best = found
        if best and best["checks_ok"]:
            break
    return best


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


def _read_card(res: AnalysisResult, rgb: np.ndarray, engine: OcrEngine,
               box: tuple[int, int, int, int] | None) -> None:
    """A second read of a card or page region when the first read almost nothing: a dark, blurred or small card
    whose print the detector missed at the frame's scale is read on a contrast-normalised, enlarged copy of the
    card (checks.card_crop_for_ocr). Its lines replace the first read's lines inside the card when they hold more."""
    import numpy as np
    from PIL import Image

    from . import checks

    read = getattr(engine, "read", None)
    if box is None or read is None or res.metrics.get("ocr_chars", 0) >= T.CARD_READ_MIN_CHARS:
        return
    crop, back = checks.card_crop_for_ocr(rgb, box)
    reading = read(Image.fromarray(crop), purpose="photo")
    if sum(len(ln.text) for ln in reading.lines) < T.CARD_READ_MIN_CHARS:  # a card laid level may lie upside down
        turned = read(Image.fromarray(np.ascontiguousarray(crop[::-1, ::-1])), purpose="photo")
        if sum(len(ln.text) for ln in turned.lines) > sum(len(ln.text) for ln in reading.lines):
            ch, cw = crop.shape[:2]
            back = back @ np.array([[-1.0, 0.0, cw - 1], [0.0, -1.0, ch - 1], [0.0, 0.0, 1.0]])
            reading = turned
    lines = [OcrLine(ln.text, ln.confidence, _mapped_box(ln.bbox, back)) for ln in reading.lines]
    x, y, w, h = box
    inside = [ln for ln in res.ocr_lines
              if x <= ln.bbox[0] + ln.bbox[2] / 2 <= x + w and y <= ln.bbox[1] + ln.bbox[3] / 2 <= y + h]
    res.metrics["ocr_card_pass"] = sum(len(ln.text) for ln in lines)
    if sum(len(ln.text) for ln in lines) <= sum(len(ln.text) for ln in inside):
        return
    kept = [ln for ln in res.ocr_lines if ln not in inside]
    _store_lines(res, sorted(kept + lines, key=lambda ln: (ln.bbox[1], ln.bbox[0])), 1.0)


def _mapped_box(bbox: tuple[int, int, int, int], back: np.ndarray) -> tuple[int, int, int, int]:
    """A box read on a prepared copy, as the bounding box of its corners mapped back by the affine `back`."""
    import numpy as np

    x, y, w, h = bbox
    corners = back @ np.array([[x, x + w, x, x + w], [y, y, y + h, y + h], [1.0, 1.0, 1.0, 1.0]])
    x0, y0 = corners.min(axis=1)
    x1, y1 = corners.max(axis=1)
    return int(x0), int(y0), max(1, int(round(x1 - x0))), max(1, int(round(y1 - y0)))


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


def _important_lines(lines: list[OcrLine], kind: str) -> list[OcrLine]:
    """OCR lines worth pointing at in the preview, read with usable confidence: error or expiry wording, and on
    screens (and unclassified images) every line the triage would quote as a support-guide problem."""
    from tickets.triage.rules import OCR_KINDS, states_a_known_problem

    known = states_a_known_problem if kind in OCR_KINDS else (lambda text: False)
    picked = [ln for ln in lines if ln.confidence >= T.OCR_MIN_LINE_CONFIDENCE
              and (_IMPORTANT.search(ln.text) or known(ln.text))]
    return picked[:8]


def _preview(rgb: np.ndarray, shapes: list[tuple[str, dict, object]], res: AnalysisResult) -> bytes:
    """The full preview: the analysis image with its marks (labelled when it is served)."""
    from .preview import render

    return render(rgb, [s for s in shapes if s[2] is not None], defects=res.defects,
                  text_boxes=[line.bbox for line in res.ocr_lines])


def identity_regions(shapes: list[tuple[str, dict, object]], res: AnalysisResult,
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


def _redacted_preview(rgb: np.ndarray, shapes: list[tuple[str, dict, object]], res: AnalysisResult) -> bytes:
    """The preview agents see: identity regions blurred (labels never carry the text read, only what it is)."""
    from .preview import render

    h, w = rgb.shape[:2]
    regions = identity_regions(shapes, res, (w, h))
    return render(rgb, [s for s in shapes if s[2] is not None], blur=regions, defects=res.defects,
                  text_boxes=[line.bbox for line in res.ocr_lines])
