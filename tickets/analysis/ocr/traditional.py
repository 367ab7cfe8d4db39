"""Traditional Chinese lines that PP-OCR read incompletely, completed line by line with Tesseract's chi_tra model.

PP-OCRv4's recogniser (the model in rapidocr's wheel) knows 6,623 characters, mostly Simplified: Traditional
characters outside that list are dropped (驗, 險, 臉, 頻 ...) or read as their Simplified form (帐, 暂, 预), which
left a key-line CER of 0.12 on the Traditional screens of evalsets/images (tune part). For each line that reads as
Traditional (OpenCC tells Traditional-only from Simplified-only characters), complete_traditional():
1. converts the Simplified forms to Traditional, Taiwan's standard forms (OpenCC s2tw: 啟, not 啓);
2. re-reads the line's box with Tesseract chi_tra (PSM 7, binarised, scaled to a LINE_HEIGHT-px line: at the
   screens' own sizes Tesseract returned nothing for a third of the dark lines);
3. merges the two readings character by character (merge_line): PP-OCR's characters stay; Tesseract adds what
   PP-OCR dropped, and replaces a character only where it confidently reads a Traditional-only form in place of
   one that is not (真 -> 頁, 傅 -> 傳).
Tune part, zh_Hant screens: key-line CER 0.118 -> 0.082 after (1) -> 0.022 after (3), about 0.03 s per line re-read.
Simplified and English lines are never touched: their output is PP-OCR's, unchanged.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from ..result import OcrLine
from .text import cjk_punctuation

if TYPE_CHECKING:
    from PIL import Image

logger = logging.getLogger(__name__)

# Tesseract reads the line scaled so its PP-OCR box is this tall (the box holds the text plus PP-OCR's margin).
LINE_HEIGHT = 40
# A character Tesseract adds or substitutes needs at least this symbol confidence (0-100). On the tune screens
# the wrong additions had 70-80 (防, 蹄, 孔) and the right ones 96-100.
MIN_SYMBOL_CONFIDENCE = 90.0
# A screen is Traditional when its lines hold at least this many Traditional-only characters, and no fewer than
# Simplified-only ones (a Simplified screen showing a Hong Kong card is not).
SCREEN_MIN_TRADITIONAL = 2

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_lock = threading.Lock()
_unavailable = ""


@lru_cache(maxsize=1)
def _opencc():  # noqa: ANN202 - (s2t, t2s, s2tw) OpenCC converters
    import opencc

    return opencc.OpenCC("s2t"), opencc.OpenCC("t2s"), opencc.OpenCC("s2tw")


def converters():  # noqa: ANN201
    """(s2t, t2s, s2tw) OpenCC converters, or None (logged once) when OpenCC cannot be loaded: lines stay as read."""
    global _unavailable
    if _unavailable:
        return None
    with _lock:
        try:
            return _opencc()
        except Exception as exc:  # noqa: BLE001 - ImportError, a missing dictionary: Traditional lines stay as read
            _unavailable = "%s: %s" % (type(exc).__name__, exc)
            logger.error("OpenCC unavailable (%s): Traditional Chinese lines are left as PP-OCR read them", _unavailable)
            return None


@lru_cache(maxsize=4096)
def _variant(ch: str) -> int:
    """+1 a Traditional-only character (OpenCC t2s changes it), -1 a Simplified-only one (s2t changes it), else 0."""
    s2t, t2s, _ = _opencc()
    if t2s.convert(ch) != ch:
        return 1
    return -1 if s2t.convert(ch) != ch else 0


def script_counts(text: str) -> tuple[int, int]:
    """(Traditional-only, Simplified-only) characters in text."""
    marks = [_variant(ch) for ch in _CJK_RE.findall(text)]
    return marks.count(1), marks.count(-1)


def traditional_lines(lines: list[OcrLine]) -> list[int]:
    """Indices of the lines to complete: every Chinese line of a Traditional screen; elsewhere a line with more
    Traditional-only than Simplified-only characters (a Taiwanese card in a Simplified app's camera preview)."""
    trad, simp = script_counts("".join(ln.text for ln in lines))
    screen = trad >= SCREEN_MIN_TRADITIONAL and trad >= simp
    out = []
    for i, ln in enumerate(lines):
        if not _CJK_RE.search(ln.text):
            continue
        t, s = script_counts(ln.text)
        if screen or (t > 0 and t >= s):
            out.append(i)
    return out


def line_crop(image: Image.Image, bbox: tuple[int, int, int, int]) -> Image.Image:
    """The line's box (plus a little margin) as black text on white, scaled to LINE_HEIGHT, with a white border.

    Polarity comes from the crop's edge (the ground): dark ground is inverted through the mean of inverted luminance
    and inverted brightest channel (keeps red text), light ground uses the darkest channel; then Otsu.
    """
    import cv2
    import numpy as np
    from PIL import Image as PILImage

    x, y, w, h = bbox
    pad = int(h * 0.15)
    crop = image.crop((max(0, x - pad), max(0, y - pad), min(image.width, x + w + pad), min(image.height, y + h + pad)))
    rgb = np.asarray(crop.convert("RGB"))
    lum = np.asarray(crop.convert("L"))
    edge = np.concatenate([lum[0], lum[-1], lum[:, 0], lum[:, -1]])
    if edge.mean() < lum.mean():
        grey = (((255 - lum).astype(np.uint16) + (255 - rgb.max(axis=2))) // 2).astype(np.uint8)
    else:
        grey = np.ascontiguousarray(rgb.min(axis=2))
    _, bw = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    f = LINE_HEIGHT / float(max(1, h))
    bw = cv2.resize(bw, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)
    bw = cv2.copyMakeBorder(bw, 10, 10, 10, 10, cv2.BORDER_CONSTANT, value=255)
    return PILImage.fromarray(bw)


def _align(a: str, b: str) -> list[tuple[str, int, int]]:
    """Levenshtein alignment of a and b: ('=', i, j), ('s', i, j) substitute, ('i', i, j) b[j] inserted before a[i],
    ('d', i, j) a[i] deleted; in order."""
    n, m = len(a), len(b)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    ops = []
    i, j = n, m
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            ops.append(("=" if a[i - 1] == b[j - 1] else "s", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif j and d[i][j] == d[i][j - 1] + 1:
            ops.append(("i", i, j - 1))
            j -= 1
        else:
            ops.append(("d", i - 1, j))
            i -= 1
    return ops[::-1]


def merge_line(read: str, symbols: list[tuple[str, float]]) -> str:
    """PP-OCR's line (already converted to Traditional) completed with Tesseract's symbols (text, confidence).

    Kept: every character PP-OCR read, except one Tesseract confidently reads as a Traditional-only form where PP-OCR
    has a character that is not Traditional-only. Added: Chinese characters Tesseract read confidently where PP-OCR
    has none. Tesseract's punctuation, Latin and low-confidence symbols are never taken.
    """
    text = "".join(s for s, _ in symbols)
    wide = cjk_punctuation(text)  # "，" like PP-OCR, so punctuation aligns
    if len(wide) == len(text):
        text = wide
    conf = [c for _, c in symbols]
    if len(text) != len(conf):  # a multi-character symbol: no per-character confidence, nothing to merge
        return read
    out = []
    for op, i, j in _align(read, text):
        if op in ("=", "d"):
            out.append(read[i])
            continue
        ch = text[j]
        sure = bool(_CJK_RE.match(ch)) and conf[j] >= MIN_SYMBOL_CONFIDENCE
        if op == "i":
            if sure:
                out.append(ch)
        elif sure and _variant(ch) == 1 and _variant(read[i]) != 1:
            out.append(ch)
        else:
            out.append(read[i])
    return "".join(out)


def complete_traditional(image: Image.Image, lines: list[OcrLine],
                         read_symbols: Callable[[Image.Image], list[tuple[str, float]]]) -> tuple[list[OcrLine], int]:
    """PP-OCR lines with their Traditional lines completed (see the module); returns (lines, lines re-read).

    read_symbols reads one prepared line crop (TesseractEngine.read_line_symbols). Without OpenCC the lines come
    back unchanged.
    """
    conv = converters()
    if conv is None or not lines:
        return lines, 0
    s2tw = conv[2]
    todo = traditional_lines(lines)
    if not todo:
        return lines, 0
    out = list(lines)
    for i in todo:
        ln = lines[i]
        text = merge_line(s2tw.convert(ln.text), read_symbols(line_crop(image, ln.bbox)))
        out[i] = OcrLine(text, ln.confidence, ln.bbox)
    return out, len(todo)
