"""OCR with one in-process Tesseract per process (tesserocr), tuned for phone screens; pytesseract fallback."""

from __future__ import annotations

import logging
import os
import re
import threading
from typing import TYPE_CHECKING

from . import thresholds as T
from .result import OcrLine

if TYPE_CHECKING:
    from PIL import Image

logger = logging.getLogger(__name__)

DEFAULT_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"
DEFAULT_LANG = "chi_sim+eng"
# Page segmentation for UI screens. Measured on the synthetic screens (tests/analysis/measure.py):
# PSM 11 (sparse text) read every label and the red error line; PSM 3 (auto) was as accurate but slower on
# sparse screens, PSM 6 (single block) merged the status bar and buttons into the lines and lost text.
SCREEN_PSM = 11
DOCUMENT_PSM = 3
MRZ_PSM = 6
MRZ_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE_RE = re.compile(r"(?<=[%s])[ \t]+(?=[%s])" % (_CJK, _CJK))
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def tessdata_path() -> str:
    """TESSDATA_PREFIX when set (tessdata dir or its parent), else Debian's tessdata directory."""
    env = os.environ.get("TESSDATA_PREFIX", "").strip()
    if env:
        if os.path.isdir(os.path.join(env, "tessdata")) and not os.path.exists(os.path.join(env, "eng.traineddata")):
            env = os.path.join(env, "tessdata")
        return env.rstrip("/") + "/"
    return DEFAULT_TESSDATA


def remove_cjk_spaces(text: str) -> str:
    """Tesseract puts spaces between CJK characters; Chinese has none."""
    return _CJK_SPACE_RE.sub("", text)


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


class OcrEngine:
    """One reusable Tesseract per process: loading chi_sim costs ~0.3 s, so it must not happen per image."""

    def __init__(self, lang: str = DEFAULT_LANG, tessdata: str | None = None) -> None:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before Tesseract loads: OpenMP halves throughput
        self.lang = lang
        self.tessdata = tessdata or tessdata_path()
        self._api = None
        self._mrz_api = None
        self._lock = threading.Lock()
        self.backend = "tesserocr"
        try:
            import tesserocr  # noqa: F401 - availability probe
        except ImportError:  # pragma: no cover - depends on the installation
            logger.warning("tesserocr is not importable; falling back to pytesseract (slower, one process per call)")
            self.backend = "pytesseract"

    def _get_api(self, mrz: bool = False):  # noqa: ANN202 - tesserocr type is optional
        """Lazily create the main API (and the MRZ one: eng with a restricted charset)."""
        from tesserocr import OEM, PyTessBaseAPI

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
        for api in (self._api, self._mrz_api):
            if api is not None:
                api.End()
        self._api = self._mrz_api = None

    def read_lines(self, image: Image.Image, *, psm: int = SCREEN_PSM, prepared: bool = False,
                   scale: float = 1.0) -> list[OcrLine]:
        """OCR a picture into text lines with confidences; bboxes are mapped back by 1/scale."""
        if not prepared:
            image, scale, _ = prepare(image)
        if self.backend == "pytesseract":
            return _pytesseract_lines(image, self.lang, psm, scale)
        from tesserocr import RIL, iterate_level

        with self._lock:
            api = self._get_api()
            api.SetPageSegMode(psm)
            api.SetImage(image)
            api.Recognize()
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
                                     (int(x1 / scale), int(y1 / scale), int((x2 - x1) / scale),
                                      int((y2 - y1) / scale))))
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


def has_cjk(text: str) -> bool:
    """Whether recognised text contains Chinese characters."""
    return bool(_CJK_RE.search(text))


_default_engine: OcrEngine | None = None
_default_lock = threading.Lock()


def default_engine() -> OcrEngine:
    """The process-wide engine analyse() uses when the caller passes none."""
    global _default_engine
    with _default_lock:
        if _default_engine is None:
            _default_engine = OcrEngine()
        return _default_engine


def _substring_distance(needle: str, hay: str) -> int:
    """Edit distance from needle to its best-matching substring of hay (Sellers' algorithm)."""
    if not needle:
        return 0
    prev = [0] * (len(hay) + 1)  # free start anywhere in hay
    for i, a in enumerate(needle, 1):
        cur = [i] + [0] * len(hay)
        for j, b in enumerate(hay, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != b))
        prev = cur
    return min(prev)


def character_error_rate(expected_lines: list[str], ocr_text: str) -> float:
    """CER of known lines against OCR output: each line matched where it reads best; whitespace ignored, NFKC."""
    import unicodedata

    hay = re.sub(r"\s+", "", unicodedata.normalize("NFKC", ocr_text))
    total = dist = 0
    for line in expected_lines:
        needle = re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))
        total += len(needle)
        dist += _substring_distance(needle, hay)
    return dist / total if total else 0.0
