"""Tesseract in-process (tesserocr), tuned for phone screens, with a chi_tra second pass; pytesseract fallback."""

from __future__ import annotations

import logging
import os
import re
import threading
from typing import TYPE_CHECKING

from .. import thresholds as T
from ..result import OcrLine
from .text import cjk_punctuation, remove_cjk_spaces

if TYPE_CHECKING:
    from PIL import Image

logger = logging.getLogger(__name__)

DEFAULT_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"
DEFAULT_LANG = "chi_sim+eng"
# Second pass for Traditional Chinese (Hong Kong / Taiwan customers): chi_sim misses or fragments it. Loaded lazily,
# only when a screen shows unread text (see unread_regions); the common simplified/English screen never loads it.
TRADITIONAL_LANG = "chi_tra+eng"
# The second pass reads the whole screen as one block: PSM 6 read both Traditional lines of the reported screen
# (conf 86 and 95) where PSM 11 fragmented them and PSM 3 lost one.
SECOND_PASS_PSM = 6
# Row crops were tried first and were unstable (empty PSM 6/7 results, Latin garbage with PSM 13 depending on the
# padding); the whole prepared screen with PSM 6 costs 0.13-0.21 s and read 18 of 20 Traditional screens exactly.
# Page segmentation for UI screens. Measured on the synthetic screens (tests/analysis/measure.py):
# PSM 11 (sparse text) read every label and the red error line; PSM 3 (auto) was as accurate but slower on
# sparse screens, PSM 6 (single block) merged the status bar and buttons into the lines and lost text.
SCREEN_PSM = 11
DOCUMENT_PSM = 3
MRZ_PSM = 6
# One text line cut from a PP-OCR box (traditional.py): a single line.
LINE_PSM = 7
MRZ_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

def tessdata_path() -> str:
    """TESSDATA_PREFIX when set (tessdata dir or its parent), else Debian's tessdata directory."""
    env = os.environ.get("TESSDATA_PREFIX", "").strip()
    if env:
        if os.path.isdir(os.path.join(env, "tessdata")) and not os.path.exists(os.path.join(env, "eng.traineddata")):
            env = os.path.join(env, "tessdata")
        return env.rstrip("/") + "/"
    return DEFAULT_TESSDATA


def is_dark(gray_mean: float) -> bool:
    """A dark-theme screen (light text on dark background) needs inverting for Tesseract."""
    return gray_mean < T.DARK_THEME_LUMA


def prepare(image: Image.Image, *, upscale: bool = True) -> tuple[Image.Image, float, bool]:
    """Grey image with dark text on light ground, keeping coloured text: returns (image, scale, inverted).

    Plain grey + invert + Otsu loses red error text on dark screens (red is mid-grey in luminance). Taking the
    darkest channel on light screens (and, on dark ones, the mean of inverted luminance and inverted brightest
    channel) maps saturated text colours (red, blue) to near black like black text; Tesseract then binarises
    locally (Sauvola, thresholding_method=2), which measured the lowest error-line CER on small dark screens.
    """
    import numpy as np
    from PIL import Image

    rgb = image.convert("RGB")
    arr = np.asarray(rgb)
    lum = np.asarray(rgb.convert("L"))
    dark = is_dark(float(lum[::8, ::8].mean()))
    if dark:  # half inverted luminance (keeps white-on-blue button text), half inverted brightest channel (red)
        grey = ((255 - lum).astype(np.uint16) + (255 - arr.max(axis=2))) // 2
    else:  # darkest channel: red/blue text becomes as dark as black text
        grey = arr.min(axis=2)
    out = Image.fromarray(np.ascontiguousarray(grey, dtype=np.uint8), "L")
    scale = 1.0
    if upscale and min(out.size) < T.OCR_UPSCALE_BELOW and max(out.size) <= 2 * T.OCR_UPSCALE_BELOW:
        scale = 2.0
        out = out.resize((out.width * 2, out.height * 2), Image.BICUBIC)
    return out, scale, dark


class OcrTimeout(RuntimeError):
    """OCR was stopped at the engine's timeout: the attachment's analysis fails with this reason."""


class TesseractEngine:
    """Reusable Tesseract APIs (created once: loading chi_sim costs ~0.3 s, so it must not happen per image)."""

    name = "tesseract"

    def __init__(self, lang: str = DEFAULT_LANG, tessdata: str | None = None, *, timeout: float = 0) -> None:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before Tesseract loads: OpenMP halves throughput
        self.lang = lang
        self.timeout = timeout  # seconds one Tesseract run may take (0: no limit); over it, OcrTimeout
        self.tessdata = tessdata or tessdata_path()
        self._api = None
        self._mrz_api = None
        self._tra_api = None
        self.second_passes = 0  # screens that needed the Traditional pass (a counter for tests and benchmarks)
        self._lock = threading.Lock()
        self.backend = "tesserocr"
        try:
            import tesserocr  # noqa: F401 - availability probe
        except ImportError:  # pragma: no cover - depends on the installation
            logger.warning("tesserocr is not importable; falling back to pytesseract (slower, one process per call)")
            self.backend = "pytesseract"

    def _get_api(self, mrz: bool = False, traditional: bool = False):  # noqa: ANN202 - tesserocr type is optional
        """Lazily create the main API (and the MRZ one: eng with a restricted charset; the Traditional one)."""
        from tesserocr import OEM, PyTessBaseAPI

        if traditional:
            if self._tra_api is None:
                self._tra_api = PyTessBaseAPI(path=self.tessdata, lang=TRADITIONAL_LANG, oem=OEM.LSTM_ONLY)
                self._tra_api.SetVariable("thresholding_method", "2")
            return self._tra_api

        if mrz:
            if self._mrz_api is None:
                api = PyTessBaseAPI(path=self.tessdata, lang="eng", oem=OEM.LSTM_ONLY)
                api.SetVariable("tessedit_char_whitelist", MRZ_WHITELIST)
                api.SetVariable("load_system_dawg", "0")
                api.SetVariable("load_freq_dawg", "0")
                self._mrz_api = api
            return self._mrz_api
        if self._api is None:
            self._api = PyTessBaseAPI(path=self.tessdata, lang=self.lang, oem=OEM.LSTM_ONLY)
            self._api.SetVariable("thresholding_method", "2")  # Sauvola: local, keeps faint coloured lines
        return self._api

    def close(self) -> None:
        """Free the Tesseract instances (they are recreated on next use)."""
        for api in (self._api, self._mrz_api, self._tra_api):
            if api is not None:
                api.End()
        self._api = self._mrz_api = self._tra_api = None

    def read_lines(self, image: Image.Image, *, psm: int = SCREEN_PSM, prepared: bool = False,
                   scale: float = 1.0) -> list[OcrLine]:
        """OCR a picture into text lines with confidences; bboxes are mapped back by 1/scale."""
        if not prepared:
            image, scale, _ = prepare(image)
        if self.backend == "pytesseract":
            return _pytesseract_lines(image, self.lang, psm, scale)
        with self._lock:
            lines = self._recognize(self._get_api(), image, psm)
        return _rescale(lines, scale)

    def read_screen(self, image: Image.Image) -> tuple[list[OcrLine], int]:
        """OCR a rendered screen: the main pass, then Traditional Chinese where the main pass left text unread.

        Returns (lines, unread regions found). After the chi_sim pass (PSM 11), unread_regions() looks for rows
        where ink was left without a line box or was read as a wide low-confidence line (how chi_sim handles
        Traditional text). Only then is the screen read again with chi_tra+eng (PSM 6, a lazily loaded second API)
        and merge_readings() keeps, per row, the reading with more confident characters. Simplified and English
        screens show no such rows, so they cost one subsampled mask (3-7 ms).
        """
        prepped, scale, _ = prepare(image)
        if self.backend == "pytesseract":
            return _pytesseract_lines(prepped, self.lang, SCREEN_PSM, scale), 0
        with self._lock:
            lines = self._recognize(self._get_api(), prepped, SCREEN_PSM)
            regions = unread_regions(prepped, lines)
            if regions:
                self.second_passes += 1
                tra = self._recognize(self._get_api(traditional=True), prepped, SECOND_PASS_PSM)
                lines = merge_readings(lines, [OcrLine(cjk_punctuation(ln.text), ln.confidence, ln.bbox) for ln in tra])
        return _rescale(lines, scale), len(regions)

    def read_photo(self, image: Image.Image) -> list[OcrLine]:
        """OCR a camera photo (RGB) without theme inversion: darkest channel, contrast stretched, PSM 3."""
        import cv2
        import numpy as np
        from PIL import Image

        grey = np.asarray(image.convert("RGB")).min(axis=2)
        grey = cv2.normalize(grey, None, 0, 255, cv2.NORM_MINMAX)
        return self.read_lines(Image.fromarray(grey), psm=DOCUMENT_PSM, prepared=True)

    def read_line_symbols(self, line: Image.Image) -> list[tuple[str, float]]:
        """One prepared text line (black on white, see traditional.line_crop) read with chi_tra+eng as a single line
        (PSM 7): its symbols with their confidences (0-100), for merging with PP-OCR's reading of the same line."""
        if self.backend == "pytesseract":  # no per-symbol confidences: PP-OCR's reading of the line stays
            return []
        from tesserocr import RIL, iterate_level

        with self._lock:
            api = self._get_api(traditional=True)
            api.SetPageSegMode(LINE_PSM)
            api.SetImage(line)
            if not api.Recognize(timeout=int(self.timeout * 1000)):
                api.Clear()
                raise OcrTimeout("OCR did not finish within %g s (KYCTRIAGE_OCR_TIMEOUT_SECONDS)" % self.timeout)
            symbols = []
            for r in iterate_level(api.GetIterator(), RIL.SYMBOL):
                try:
                    ch = r.GetUTF8Text(RIL.SYMBOL)
                except RuntimeError:  # an empty symbol
                    continue
                if ch and ch.strip():
                    symbols.append((ch, float(r.Confidence(RIL.SYMBOL))))
            api.Clear()
        return symbols

    def warm(self) -> None:
        """Load the main model now (benchmarks and worker start-up), not on the first image."""
        if self.backend == "tesserocr":
            with self._lock:
                self._get_api()

    def _recognize(self, api, image: Image.Image, psm: int, offset: tuple[int, int] = (0, 0)) -> list[OcrLine]:  # noqa: ANN001
        """Lines of one Tesseract run in the image's own pixels (plus offset); caller holds the lock."""
        from tesserocr import RIL, iterate_level

        api.SetPageSegMode(psm)
        api.SetImage(image)
        if not api.Recognize(timeout=int(self.timeout * 1000)):
            api.Clear()
            raise OcrTimeout("OCR did not finish within %g s (KYCTRIAGE_OCR_TIMEOUT_SECONDS)" % self.timeout)
        lines = []
        it = api.GetIterator()
        for r in iterate_level(it, RIL.TEXTLINE):
            try:
                text = r.GetUTF8Text(RIL.TEXTLINE)
            except RuntimeError:  # an empty line ("No text returned")
                continue
            text = remove_cjk_spaces((text or "").strip())
            if not text:
                continue
            box = r.BoundingBox(RIL.TEXTLINE)
            if box is None:
                continue
            x1, y1, x2, y2 = box
            lines.append(OcrLine(text, round(float(r.Confidence(RIL.TEXTLINE)), 1),
                                 (x1 + offset[0], y1 + offset[1], x2 - x1, y2 - y1)))
        api.Clear()
        return lines

    def read_mrz(self, image: Image.Image) -> list[str]:
        """OCR a cropped MRZ band with the restricted charset A-Z0-9< (English model, no dictionaries)."""
        if self.backend == "pytesseract":
            import pytesseract

            cfg = "--psm %d -c tessedit_char_whitelist=%s" % (MRZ_PSM, MRZ_WHITELIST)
            return [ln for ln in pytesseract.image_to_string(image, lang="eng", config=cfg).splitlines() if ln]
        with self._lock:
            api = self._get_api(mrz=True)
            api.SetPageSegMode(MRZ_PSM)
            api.SetImage(image)
            text = api.GetUTF8Text()
            api.Clear()
        return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _rescale(lines: list[OcrLine], scale: float) -> list[OcrLine]:
    """Boxes from prepared-image pixels back to the caller's pixels."""
    if scale == 1.0:
        return lines
    return [OcrLine(ln.text, ln.confidence, tuple(int(v / scale) for v in ln.bbox)) for ln in lines]  # type: ignore


def _inside(bbox: tuple[int, int, int, int], region: tuple[int, int, int, int]) -> bool:
    """Whether a line's centre lies in a region (x, y, w, h)."""
    cx, cy = bbox[0] + bbox[2] / 2, bbox[1] + bbox[3] / 2
    return region[0] <= cx <= region[0] + region[2] and region[1] <= cy <= region[1] + region[3]


def _confident_chars(lines: list[OcrLine]) -> float:
    """How much text a reading recovered: non-space characters x confidence, lines below the evidence bar count 0."""
    return sum(len(re.sub(r"\s", "", ln.text)) * ln.confidence / 100.0 for ln in lines
               if ln.confidence >= T.OCR_MIN_LINE_CONFIDENCE)


def unread_regions(prepped: Image.Image, lines: list[OcrLine]) -> list[tuple[int, int, int, int]]:
    """Row crops (x, y, w, h, prepared pixels) where the main pass left text unread; [] on a well-read screen.

    Two signs, both seen with Traditional Chinese under chi_sim and on none of the simplified/English screens
    (tests/analysis/measure.py): (a) a wide line (>= OCR_UNREAD_MIN_CHARS text heights) below
    OCR_SECOND_PASS_CONFIDENCE; (b) text-shaped ink outside every line box (chi_sim dropped the glyphs): after
    masking all boxes, a blob of text height (0.6-1.6x the median line height) at least OCR_UNREAD_MIN_CHARS
    heights wide with a text-like ink density, not framed by a button outline. Rows are found on a 2x subsampled mask (a few ms at 1440x3120).
    """
    import cv2
    import numpy as np

    textlike = [ln for ln in lines if ln.bbox[2] >= 2 * ln.bbox[3] and ln.confidence >= T.OCR_SECOND_PASS_CONFIDENCE]
    if not textlike:
        return []
    th = float(np.median([ln.bbox[3] for ln in textlike]))
    found: list[tuple[int, int, int, int]] = []
    for ln in lines:  # (a) wide but badly read
        x, y, w, h = ln.bbox
        if (ln.confidence < T.OCR_SECOND_PASS_CONFIDENCE and w >= T.OCR_UNREAD_MIN_CHARS * h
                and 0.6 * th <= h <= 1.6 * th):
            found.append((x, y, w, h))
    step = 2
    ink = np.asarray(prepped)[::step, ::step] < 128
    if ink.mean() < 0.5:  # (b) a normal screen; a mostly dark one is not a UI screen we know how to mask
        free = ink.copy()
        for ln in lines:
            x, y, w, h = ln.bbox
            free[max(0, y // step - 1):(y + h) // step + 2, max(0, x // step - 1):(x + w) // step + 2] = False
        ths = th / step
        kw, kh = max(3, int(ths * 0.6)) | 1, max(3, int(ths * 0.3)) | 1
        merged = cv2.dilate(free.view(np.uint8), np.ones((kh, kw), np.uint8))
        n, _, stats, _ = cv2.connectedComponentsWithStats(merged, connectivity=8)
        for i in range(1, n):
            x, y, w, h, _area = stats[i]
            h_ink, w_ink = h - (kh - 1), w - (kw - 1)  # undo the dilation's growth
            if not (0.6 * ths <= h_ink <= 1.6 * ths and w_ink >= T.OCR_UNREAD_MIN_CHARS * ths):
                continue
            density = free[y:y + h, x:x + w].mean()
            if 0.08 <= density <= 0.6 and not _framed(ink, x, y, w, h):
                found.append((int(x) * step, int(y) * step, int(w) * step, int(h) * step))
    if not found:
        return []
    # One crop per run of overlapping rows, widened to the lines it touches, padded by a third of a line.
    found.sort(key=lambda b: b[1])
    pad = int(th / 3)
    W, H = prepped.size
    rows: list[list[int]] = []
    for x, y, w, h in found:
        if rows and y <= rows[-1][3] + pad:
            r = rows[-1]
            r[0], r[2], r[3] = min(r[0], x), max(r[2], x + w), max(r[3], y + h)
        else:
            rows.append([x, y, x + w, y + h])
    out = []
    for x1, y1, x2, y2 in rows:
        for ln in lines:  # include the lines of those rows, so the comparison is region against region
            lx, ly, lw, lh = ln.bbox
            if ly < y2 and ly + lh > y1 and lh <= 1.6 * th:
                x1, x2 = min(x1, lx), max(x2, lx + lw)
        x1, y1, x2, y2 = max(0, x1 - pad), max(0, y1 - pad), min(W, x2 + pad), min(H, y2 + pad)
        out.append((int(x1), int(y1), int(x2 - x1), int(y2 - y1)))
    return out


def merge_readings(main: list[OcrLine], second: list[OcrLine]) -> list[OcrLine]:
    """Per text row, the better of two readings: a second-pass line replaces the main-pass lines of its row.

    A second-pass line (at least two text heights wide) groups the main lines whose centre lies in its box; it wins
    when it recovers more confident characters (_confident_chars) than that group, ties keep the main pass.
    """
    out = list(main)
    for ln in second:
        x, y, w, h = ln.bbox
        if w < 2 * h:
            continue
        group = [m for m in out if _inside(m.bbox, ln.bbox)]
        if _confident_chars([ln]) > _confident_chars(group):
            out = [m for m in out if m not in group] + [ln]
    out.sort(key=lambda m: (m.bbox[1], m.bbox[0]))
    return out


def _framed(ink, x: int, y: int, w: int, h: int) -> bool:  # noqa: ANN001 - numpy bool mask
    """Whether a blob sits inside a drawn frame (an outlined button): solid ink rows above AND below it.

    Button labels are chrome, not error text; chi_sim missed the outlined button's label on 720-px screens, which
    would have fired the second pass on every simplified and English 720-px screen.
    """
    reach = int(1.5 * h)
    above = ink[max(0, y - reach):y, x:x + w]
    below = ink[y + h:y + h + reach, x:x + w]
    return bool(above.size and below.size and above.mean(axis=1).max() >= 0.9 and below.mean(axis=1).max() >= 0.9)


def _pytesseract_lines(image: Image.Image, lang: str, psm: int, scale: float) -> list[OcrLine]:
    """Fallback: lines from pytesseract's TSV output (word rows grouped by block/paragraph/line)."""
    import pytesseract

    data = pytesseract.image_to_data(image, lang=lang, config="--psm %d" % psm, output_type=pytesseract.Output.DICT)
    groups: dict[tuple, list[int]] = {}
    for i, word in enumerate(data["text"]):
        if word.strip():
            groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    lines = []
    for idx in groups.values():
        x1 = min(data["left"][i] for i in idx)
        y1 = min(data["top"][i] for i in idx)
        x2 = max(data["left"][i] + data["width"][i] for i in idx)
        y2 = max(data["top"][i] + data["height"][i] for i in idx)
        conf = sum(float(data["conf"][i]) for i in idx) / len(idx)
        text = remove_cjk_spaces(" ".join(data["text"][i] for i in idx))
        lines.append(OcrLine(text, round(conf, 1), (int(x1 / scale), int(y1 / scale), int((x2 - x1) / scale),
                                                      int((y2 - y1) / scale))))
    return lines


def plain_tesseract(image_path_or_pil: str | Image.Image) -> str:
    """Reference for the benchmark: pytesseract with chi_sim+eng and no preprocessing at all."""
    import pytesseract

    return pytesseract.image_to_string(image_path_or_pil, lang=DEFAULT_LANG)
