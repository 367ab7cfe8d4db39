"""Previews: the picture the analysis saw, stored with its marks, labelled when a person looks at it.

The analysis stores the picture scaled to be read (up to 1000 px wide, so a phone screenshot's error text stays
legible), blurred where identity data sits for the agents' copy, and the marks (what each shape is and where) in
the PNG's own text chunk: the picture and its marks cannot drift apart. annotate() draws the shapes and their
labels when the preview is served, so the labels follow the agent's language and need a font that has Chinese.
Labels are placed where they cover neither the shape they mark nor other text; every defect also gets a chip in
a band above the picture, so one without a place (too dark, blurry) is named too.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import numpy as np
    from PIL import ImageFont

log = logging.getLogger(__name__)

PREVIEW_MAX_WIDTH = 1000
PREVIEW_MAX_HEIGHT = 2000
MARKS_KEY = "kyctriage-marks"
MARKS_VERSION = 1
COLOURS = {"face": (40, 160, 60), "glare": (220, 30, 30), "document": (30, 100, 230), "mrz": (170, 0, 170),
           "error": (255, 196, 0), "expiry": (200, 0, 110), "text": (255, 140, 0)}
DEFECT_COLOUR = (190, 30, 30)
# where fonts-noto-cjk and its relatives put a Sans CJK face (Debian, Fedora, Arch, Alpine, macOS)
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)
FONT_SEARCH_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")

_FONT_LOCK = threading.Lock()

Shape = tuple[str, dict, object]  # (kind, params, (x, y, w, h) or [(x, y), ...]) in the analysed image's pixels


def render(rgb: np.ndarray, shapes: list[Shape], blur: list[tuple[int, int, int, int]] | None = None, *,
           defects: list[str] | tuple[str, ...] = (), text_boxes: list | tuple = ()) -> bytes:
    """The stored preview: `rgb` scaled to be read, `blur` regions made unreadable, the marks kept inside; PNG.

    `shapes` are what annotate() will outline and label; `defects` get a chip each; `text_boxes` (every OCR
    line) are where labels should not go.
    """
    import cv2
    import numpy as np
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    h, w = rgb.shape[:2]
    f = min(1.0, PREVIEW_MAX_WIDTH / float(w), PREVIEW_MAX_HEIGHT / float(h))
    img = cv2.resize(rgb, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA) if f < 1 \
        else rgb.copy()
    img = np.ascontiguousarray(img)
    for region in blur or ():
        _obscure(img, tuple(int(round(v * f)) for v in region))
    marks = {"v": MARKS_VERSION, "defects": list(dict.fromkeys(defects)), "marks": [],
             "text": [[round(v * f) for v in box] for box in text_boxes]}
    for kind, params, geom in shapes:
        if geom is None:
            continue
        if _is_polygon(geom):
            marks["marks"].append({"kind": kind, "params": params,
                                   "points": [[round(float(x) * f), round(float(y) * f)] for x, y in geom]})
        else:
            marks["marks"].append({"kind": kind, "params": params, "box": [round(float(v) * f) for v in geom]})
    info = PngInfo()
    info.add_itxt(MARKS_KEY, json.dumps(marks, separators=(",", ":"), default=str))
    out = io.BytesIO()
    Image.fromarray(img).save(out, format="PNG", pnginfo=info, compress_level=3)
    return out.getvalue()


def marks_of(png: bytes) -> dict | None:
    """The marks stored with a preview; None for a preview drawn before they were (labels burnt in)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        raw = im.info.get(MARKS_KEY) if im.format == "PNG" else None
    if not raw:
        return None
    try:
        marks = json.loads(raw)
    except ValueError:
        return None
    return marks if isinstance(marks, dict) and marks.get("v") == MARKS_VERSION else None


def annotate(png: bytes, label: Callable[[str, dict], str], *, width: int | None = None,
             font_path: str | None = None, quality: int = 85) -> bytes:
    """A stored preview as the person sees it: shapes outlined, each labelled by `label(kind, params)`; JPEG.

    `label("defect", {"code": ...})` names a defect for its chip. `width` scales the result down (thumbnails);
    `font_path` must hold the glyphs the labels use (see cjk_font()). A preview without marks is only re-encoded.
    """
    from PIL import Image

    marks = marks_of(png)
    with Image.open(io.BytesIO(png)) as im:
        img = im.convert("RGB")
    f = 1.0
    if width and width < img.width:
        f = width / float(img.width)
        img = img.resize((width, max(1, round(img.height * f))), Image.Resampling.LANCZOS)
    if marks is not None:
        with _FONT_LOCK:  # one FreeType face is shared by the threads of a process: draw with it one at a time
            img = _draw_marks(img, marks, f, label, _font(font_path, _font_size(img.width)))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def cjk_font() -> str | None:
    """The path of a font with Simplified Chinese glyphs (a Noto Sans CJK .ttc), or None when none is installed."""
    return _find_cjk_font()


@lru_cache(maxsize=1)
def _find_cjk_font() -> str | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    for folder in FONT_SEARCH_DIRS:
        root = Path(folder)
        if root.is_dir():
            found = sorted(root.rglob("*SansCJK*Regular*.tt[cf]")) + sorted(root.rglob("*CJK*.tt[cf]"))
            if found:
                return str(found[0])
    log.warning("No CJK font found (install fonts-noto-cjk): preview labels are drawn in English")
    return None


@lru_cache(maxsize=16)
def _font(path: str | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The font at `size` px; in a .ttc the Simplified Chinese face (Noto Sans CJK SC), else the first one."""
    from PIL import ImageFont

    if not path:
        return ImageFont.load_default(size)
    if path.endswith(".ttc"):
        for index in range(10):
            try:
                face = ImageFont.truetype(path, size, index=index)
            except OSError:
                break
            if face.getname()[0].endswith(" SC"):
                return face
    return ImageFont.truetype(path, size)


def _font_size(width: int) -> int:
    return max(13, min(24, round(width / 42)))


def _draw_marks(img, marks: dict, f: float, label: Callable[[str, dict], str], font):
    """Chips for the defects in a band above the picture, then the shapes and their labels on it."""
    from PIL import Image, ImageDraw

    pad = max(3, font.size // 4)
    chips = [(label("defect", {"code": code}), DEFECT_COLOUR) for code in marks.get("defects", [])]
    rows = _chip_rows(chips, font, img.width, pad)
    band = (len(rows) * (font.size + 3 * pad) + pad) if rows else 0
    canvas = Image.new("RGB", (img.width, img.height + band), (250, 250, 250))
    canvas.paste(img, (0, band))
    draw = ImageDraw.Draw(canvas, "RGBA")
    for r, row in enumerate(rows):
        y = pad + r * (font.size + 3 * pad)
        for x, text, colour, tw in row:
            _tag(draw, (x, y), text, colour, font, pad, tw)

    def place(geom: list[float]) -> list[int]:
        return [round(v * f) for v in geom]

    shapes = []
    for mark in marks.get("marks", []):
        kind, params = mark.get("kind", ""), mark.get("params") or {}
        if "points" in mark:
            pts = [(round(x * f), round(y * f) + band) for x, y in mark["points"]]
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        else:
            x, y, w, h = place(mark["box"])
            pts, box = None, (x, y + band, w, h)
        shapes.append((kind, params, pts, box))
    line = max(2, font.size // 7)
    for kind, _params, pts, (x, y, w, h) in shapes:
        colour = COLOURS.get(kind, (255, 200, 0))
        if kind in ("error", "expiry", "text"):  # a highlighter over the line: the text stays readable
            draw.rectangle((x - 2, y - 2, x + w + 2, y + h + 2), fill=colour + (70,), outline=colour + (255,),
                           width=line)
        elif pts is not None:
            draw.line(pts + [pts[0]], fill=colour, width=line, joint="curve")
        else:
            draw.rectangle((x, y, x + w, y + h), outline=colour, width=line)
    text_boxes = [tuple(place(b)) for b in marks.get("text", [])]
    text_boxes = [(x, y + band, w, h) for x, y, w, h in text_boxes]
    boxes = [s[3] for s in shapes]
    placed: list[tuple[int, int, int, int]] = []
    for i, (kind, params, _pts, box) in enumerate(shapes):
        text = label(kind, params)
        if not text:
            continue
        tw = _text_width(font, text)
        size = (tw + 2 * pad, font.size + 2 * pad)
        spot = _label_spot(box, size, (canvas.width, canvas.height), top=band, own=i, boxes=boxes,
                           text_boxes=text_boxes, placed=placed)
        placed.append(spot)
        _tag(draw, spot[:2], text, COLOURS.get(kind, (255, 200, 0)), font, pad, tw)
    return canvas


def _chip_rows(chips, font, width: int, pad: int) -> list[list[tuple[int, str, tuple, int]]]:
    rows: list[list] = []
    x = pad
    for text, colour in chips:
        tw = _text_width(font, text)
        if not rows or (x + tw + 2 * pad > width and rows[-1]):
            rows.append([])
            x = pad
        rows[-1].append((x, text, colour, tw))
        x += tw + 3 * pad
    return rows


def _label_spot(box, size, canvas, *, top: int, own: int, boxes, text_boxes, placed) -> tuple[int, int, int, int]:
    """Where a label of `size` goes next to `box`: the candidate that covers the least, by what it would cover.

    Covering the marked shape itself or another label is worst, then other marked shapes, then any text read.
    """
    x, y, w, h = box
    lw, lh = size
    cw, ch = canvas
    gap = 3
    candidates = [(x, y - lh - gap), (x, y + h + gap), (x + w - lw, y - lh - gap), (x + w - lw, y + h + gap),
                  (x + w + gap, y), (x - lw - gap, y), (x + w + gap, y + h - lh), (x + gap, y + gap)]
    best, best_cost = None, None
    for order, (cx, cy) in enumerate(candidates):
        cx = min(max(0, cx), max(0, cw - lw))
        cy = min(max(top, cy), max(top, ch - lh))
        spot = (cx, cy, lw, lh)
        cost = 1000 * _overlap(spot, box) + 1000 * sum(_overlap(spot, p) for p in placed)
        cost += 20 * sum(_overlap(spot, b) for i, b in enumerate(boxes) if i != own)
        cost += 5 * sum(_overlap(spot, t) for t in text_boxes)
        cost += order  # equal cover: the usual place, above the shape's left corner
        if best_cost is None or cost < best_cost:
            best, best_cost = spot, cost
    return best


def _overlap(a, b) -> int:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return max(0, min(ax + aw, bx + bw) - max(ax, bx)) * max(0, min(ay + ah, by + bh) - max(ay, by))


def _tag(draw, at, text: str, colour: tuple, font, pad: int, tw: int) -> None:
    """A filled tag with the text in black or white, whichever reads better on the colour."""
    x, y = at
    light = (0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]) > 150
    height = font.size + 2 * pad
    draw.rounded_rectangle((x, y, x + tw + 2 * pad, y + height), radius=pad, fill=colour + (235,))
    draw.text((x + pad, y + height / 2), text, font=font, fill=(0, 0, 0) if light else (255, 255, 255), anchor="lm")


def _text_width(font, text: str) -> int:
    left, _top, right, _bottom = font.getbbox(text)
    return int(right - left)


def _is_polygon(geom: object) -> bool:
    try:
        return len(geom) > 0 and hasattr(geom[0], "__len__")  # type: ignore[arg-type,index]
    except TypeError:
        return False


def _obscure(img: np.ndarray, region: tuple[int, int, int, int]) -> None:
    """Pixelate then blur a region in place, so no character or facial feature can be read back."""
    import cv2

    x, y, w, h = region
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(img.shape[1], x + w), min(img.shape[0], y + h)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return
    width, height = x1 - x0, y1 - y0
    small = cv2.resize(img[y0:y1, x0:x1], (max(1, width // 24), max(1, height // 24)), interpolation=cv2.INTER_AREA)
    sigma = max(2.0, min(width, height) / 6.0)
    # The wide blur is done on the 24-times smaller patch (sigma / 24 there is sigma here): the same low-pass in a
    # fraction of the time (at full size a whole 1000-px picture, a selfie without a face, took 26 s). A narrow
    # blur after enlarging smooths what is left of the blocks.
    small = cv2.GaussianBlur(small, (0, 0), sigmaX=max(0.5, sigma / 24.0))
    coarse = cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)
    img[y0:y1, x0:x1] = cv2.GaussianBlur(coarse, (0, 0), sigmaX=min(sigma, 12.0))
