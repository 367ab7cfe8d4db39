"""Photo-quality measurements on the reduced analysis image: each returns a metric the defects are judged by."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import thresholds as T

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

REGION_NAMES = (("top-left", "top", "top-right"), ("left", "center", "right"),
                ("bottom-left", "bottom", "bottom-right"))


def region_name(cx: float, cy: float, w: int, h: int) -> str:
    """Where a point lies in a 3x3 grid over the frame (for humans reading the evidence)."""
    col = min(2, max(0, int(3 * cx / max(1, w))))
    row = min(2, max(0, int(3 * cy / max(1, h))))
    return REGION_NAMES[row][col]


def sharpness(grey: np.ndarray) -> float:
    """Variance of the Laplacian at a fixed 800-px long side after a 3x3 Gaussian, normalised for contrast.

    A fixed size makes one threshold fit small and large photos (the same blur measures sharper on a downscaled
    image). Under-exposure scales every edge down, so the variance is divided by (contrast range / 255)^2,
    capped at a 4x gain: "dark" does not also read "blurry". The pre-blur keeps sensor/JPEG noise from passing
    for detail.
    """
    import cv2
    import numpy as np

    h, w = grey.shape
    f = min(1.0, T.SHARPNESS_SIDE / float(max(h, w)))  # never enlarged: interpolation would add the blur
    if abs(f - 1.0) > 0.01:
        grey = cv2.resize(grey, (max(1, int(w * f)), max(1, int(h * f))),
                          interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_LINEAR)
    lo, hi = np.percentile(grey[::2, ::2], (1, 99))
    gain = min(4.0, 255.0 / max(1.0, float(hi - lo)))
    return float(cv2.Laplacian(cv2.GaussianBlur(grey, (3, 3), 0), cv2.CV_32F).var()) * gain * gain


def exposure(grey: np.ndarray) -> tuple[float, float]:
    """Mean luminance and its 95th percentile (0-255)."""
    import numpy as np

    sample = grey[::2, ::2]
    return float(sample.mean()), float(np.percentile(sample, 95))


@dataclass
class Glare:
    """Blown-out specular blobs: the largest one's share of the frame, where it is, its box (x, y, w, h), and how
    many there are."""

    ratio: float = 0.0
    region: str = ""
    bbox: tuple[int, int, int, int] | None = None
    blobs: int = 0


@dataclass
class Outline:
    """The largest bright, rectangular region (a document on a darker surface), in analysis pixels."""

    quad: list[tuple[int, int]] = field(default_factory=list)
    bbox: tuple[int, int, int, int] = (0, 0, 0, 0)
    area_ratio: float = 0.0
    fill: float = 0.0
    aspect: float = 0.0
    touches: list[str] = field(default_factory=list)

    @property
    def card_like(self) -> bool:
        """Whole card/passport page in view: big, rectangular, ID-shaped and not touching the frame."""
        return (self.area_ratio >= T.DOC_MIN_AREA and self.fill >= T.DOC_MIN_FILL and not self.touches
                and T.DOC_ASPECT_MIN <= self.aspect <= T.DOC_ASPECT_MAX)

    @property
    def document_like(self) -> bool:
        """Big and rectangular, complete or not (a cropped document still qualifies)."""
        return self.area_ratio >= T.DOC_MIN_AREA and self.fill >= T.DOC_MIN_FILL


def outline(grey: np.ndarray, exclude: np.ndarray | None = None) -> Outline:
    """Otsu-split bright region, cleaned, largest component -> its min-area rectangle and frame contact.

    `exclude` (a boolean mask of the frame, e.g. `skin(rgb)`) marks bright pixels that are not the document:
    they are taken out of the region before it is cleaned.
    """
    import cv2
    import numpy as np

    h0, w0 = grey.shape
    f = 800.0 / max(h0, w0) if max(h0, w0) > 800 else 1.0
    g = cv2.resize(grey, (max(1, int(w0 * f)), max(1, int(h0 * f))), interpolation=cv2.INTER_AREA) if f != 1.0 else grey
    g = cv2.GaussianBlur(g, (5, 5), 0)
    _, mask = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if exclude is not None:
        small = cv2.resize(exclude.astype(np.uint8), (g.shape[1], g.shape[0]), interpolation=cv2.INTER_NEAREST)
        mask[small > 0] = 0
    k = max(3, int(min(g.shape) * 0.02)) | 1
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return Outline()
    c = max(contours, key=cv2.contourArea)
    area = float(cv2.contourArea(c))
    h, w = g.shape
    rect = cv2.minAreaRect(c)
    (rw, rh) = rect[1]
    if rw < 2 or rh < 2:
        return Outline()
    box = cv2.boxPoints(rect) / f
    x, y, bw, bh = cv2.boundingRect(c)
    m = max(1, int(T.CROPPED_EDGE_MARGIN * max(w, h)) + 1)
    touches = [name for name, hit in (("top", y <= m), ("left", x <= m), ("bottom", y + bh >= h - m),
                                      ("right", x + bw >= w - m)) if hit]
    return Outline(
        quad=[(int(px), int(py)) for px, py in box],
        bbox=(int(x / f), int(y / f), int(bw / f), int(bh / f)),
        area_ratio=round(area / float(w * h), 4),
        fill=round(area / float(rw * rh), 3),
        aspect=round(max(rw, rh) / min(rw, rh), 3),
        touches=touches,
    )


def skin(rgb: np.ndarray) -> np.ndarray:
    """Skin-coloured pixels (a hand holding the card): the classic YCrCb skin box, and clearly saturated, so a
    pale pink or beige card (saturation under 0.2) is not skin."""
    import cv2

    ycc = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb)
    sat = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)[..., 1]
    cr, cb = ycc[..., 1], ycc[..., 2]
    return (cr >= T.SKIN_CR_MIN) & (cr <= T.SKIN_CR_MAX) & (cb >= T.SKIN_CB_MIN) & (cb <= T.SKIN_CB_MAX) & \
        (sat >= T.SKIN_S_MIN)


def screen_flatness(rgb: np.ndarray) -> float:
    """Share of sampled pixels exactly equal to their right neighbour: UI flats (even as JPEG) ~0.95, photos < 0.5."""
    import numpy as np

    step = max(1, max(rgb.shape[:2]) // 500)
    s = rgb[::step, ::step].astype(np.int16)
    if s.shape[1] < 2:
        return 0.0  # a one-pixel-wide image has no neighbours to compare
    same = np.all(s[:, 1:] == s[:, :-1], axis=2)
    return float(same.mean())


def text_density(grey: np.ndarray) -> float:
    """Share of the frame covered by text-like strokes (black-hat + horizontal closing), no OCR needed."""
    import cv2

    h0, w0 = grey.shape
    f = 800.0 / max(h0, w0) if max(h0, w0) > 800 else 1.0
    g = cv2.resize(grey, (max(1, int(w0 * f)), max(1, int(h0 * f))), interpolation=cv2.INTER_AREA) if f != 1.0 else grey
    bh = cv2.morphologyEx(g, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 7)))
    th = cv2.adaptiveThreshold(bh, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 31, -25)
    th = cv2.morphologyEx(th, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(th, connectivity=8)
    area = 0
    for i in range(1, n):
        x, y, w, h, a = stats[i]
        if 4 <= h <= 60 and w >= 1.5 * h and a >= 0.25 * w * h:
            area += w * h
    return round(float(area) / float(g.shape[0] * g.shape[1]), 4)


@dataclass
class MrzBand:
    """A candidate machine-readable zone: wide, dense, text-like band (x, y, w, h in analysis pixels)."""

    bbox: tuple[int, int, int, int]
    score: float


def mrz_bands(grey: np.ndarray, limit: int = 2) -> list[MrzBand]:
    """Locate MRZ-like bands (black-hat, horizontal gradient, wide closing) without OCR, best first."""
    import cv2
    import numpy as np

    h0, w0 = grey.shape
    f = 1000.0 / max(h0, w0) if max(h0, w0) > 1000 else 1.0
    g = cv2.resize(grey, (max(1, int(w0 * f)), max(1, int(h0 * f))), interpolation=cv2.INTER_AREA) if f != 1.0 else grey
    h, w = g.shape
    g = cv2.GaussianBlur(g, (3, 3), 0)
    black = cv2.morphologyEx(g, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (max(13, w // 60), 7)))
    gx = np.abs(cv2.Sobel(black, cv2.CV_32F, 1, 0, ksize=-1))
    gx = (255 * (gx - gx.min()) / max(1e-6, float(gx.max() - gx.min()))).astype(np.uint8)
    gx = cv2.morphologyEx(gx, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(13, w // 50), 5)))
    _, th = cv2.threshold(gx, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    th = cv2.morphologyEx(th, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, w // 40), 11)))
    th = cv2.erode(th, None, iterations=2)
    contours, _ = cv2.findContours(th, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    bands = []
    for c in contours:
        x, y, bw, bh = cv2.boundingRect(c)
        if bw < 0.3 * w or bh < 8 or bw / float(bh) < 4.0:
            continue
        fill = cv2.contourArea(c) / float(bw * bh)
        if fill < 0.5:
            continue
        pad_x, pad_y = int(bw * 0.03), int(bh * 0.25)
        x, y = max(0, x - pad_x), max(0, y - pad_y)
        bw, bh = min(w - x, bw + 2 * pad_x), min(h - y, bh + 2 * pad_y)
        bands.append(MrzBand((x, y, bw, bh), bw * fill * (1 + y / h)))
    bands = _merge_rows(bands)
    bands.sort(key=lambda b: -b.score)
    return [MrzBand(tuple(int(v / f) for v in b.bbox), b.score) for b in bands[:limit]]  # type: ignore[misc]


def _merge_rows(bands: list[MrzBand]) -> list[MrzBand]:
    """Join vertically adjacent, horizontally overlapping line bands (an MRZ has 2-3 lines) into one."""
    bands = sorted(bands, key=lambda b: b.bbox[1])
    merged: list[MrzBand] = []
    for b in bands:
        if merged:
            px, py, pw, ph = merged[-1].bbox
            x, y, w, h = b.bbox
            overlap = min(px + pw, x + w) - max(px, x)
            if y - (py + ph) < 1.2 * h and overlap > 0.7 * min(pw, w):
                nx, ny = min(px, x), py
                merged[-1] = MrzBand((nx, ny, max(px + pw, x + w) - nx, y + h - ny), merged[-1].score + b.score)
                continue
        merged.append(b)
    return merged


def edge_width(grey: np.ndarray, box: tuple[int, int, int, int] | None = None) -> float:
    """Median width in pixels of the strongest edges (contrast / steepest gradient): about 1-2 px when sharp.

    A Gaussian blur of sigma s spreads a step over about 2.5 s pixels whatever the picture shows, so the width,
    compared with a limit in pixels of the analysis image, tells "soft" from "small" where the variance of
    the Laplacian cannot. The width is a ratio (contrast / gradient), so an under-exposed photo measures the same
    as a well-lit one; which edges count is judged against the region's own contrast range for the same reason.
    """
    import cv2
    import numpy as np

    if box is not None:
        x, y, w, h = box
        if w >= 32 and h >= 32:
            grey = grey[y:y + h, x:x + w]
    g = grey.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    mag = cv2.magnitude(gx, gy)
    k = np.ones((9, 9), np.uint8)
    span = cv2.dilate(g, k) - cv2.erode(g, k)
    lo, hi = np.percentile(g[::2, ::2], (1, 99))
    contrast = min(1.0, max(0.1, float(hi - lo) / 255.0))  # a dark photo's edges are as wide, only lower
    strong = mag >= max(4.0 * contrast, float(np.percentile(mag[::2, ::2], 99)))
    strong &= span >= 40 * contrast  # real edges only: noise and faint texture have no contrast to spread
    if int(strong.sum()) < 50:
        return 0.0
    return float(np.median(span[strong] / np.maximum(mag[strong], 1e-3)))


def region_exposure(grey: np.ndarray, box: tuple[int, int, int, int] | None) -> tuple[float, float]:
    """Mean and 95th percentile luminance of a region (the document or the face), or of the frame."""
    if box is not None:
        x, y, w, h = box
        if w >= 16 and h >= 16:
            return exposure(grey[y:y + h, x:x + w])
    return exposure(grey)


def specular_glare(rgb: np.ndarray, within: tuple[int, int, int, int] | None = None) -> Glare:
    """Blown-out highlights that wash out printed data: near-white, unsaturated blobs on the subject whose
    brightness falls off softly into their surroundings.

    A specular reflection clips every colour channel and is a smooth bright hump: its rim has a gentle gradient. A white printed field, a white
    background or a white paper page ends at a printed edge (a steep gradient), a hologram is saturated and a
    laminate sheen is not blown out, so none of them counts.
    """
    import cv2
    import numpy as np

    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    v = hsv[..., 2]
    mask = ((v >= T.GLARE_V_MIN) & (hsv[..., 1] <= T.GLARE_S_MAX)).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    n, labels, stats, cents = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = mask.shape
    total = float(h * w)
    bx, by, bw, bh = within if within and within[2] > 0 else (0, 0, w, h)
    candidates = [i for i in range(1, n) if T.GLARE_MIN_BLOB <= stats[i, cv2.CC_STAT_AREA] / total <= T.GLARE_MAX_BLOB
                  and bx <= cents[i][0] <= bx + bw and by <= cents[i][1] <= by + bh]
    if not candidates:
        return Glare()
    vf = v.astype(np.float32)
    grad = cv2.magnitude(cv2.Sobel(vf, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(vf, cv2.CV_32F, 0, 1, ksize=3))
    keep = []
    for i in candidates:
        x, y, sw, sh = (int(s) for s in stats[i, :4])
        if min(sw, sh) < 0.25 * max(sw, sh) or stats[i, cv2.CC_STAT_AREA] < 0.45 * sw * sh:
            continue  # a highlight is a compact hump; thin or ragged white shapes are print and gaps in print
        x0, y0, x1, y1 = max(0, x - 2), max(0, y - 2), min(w, x + sw + 2), min(h, y + sh + 2)
        blob = (labels[y0:y1, x0:x1] == i).astype(np.uint8)
        if float(np.median(rgb[y0:y1, x0:x1].min(axis=2)[blob.astype(bool)])) < T.GLARE_CLIPPED_MIN:
            continue  # not blown out in every channel: a pale tinted background, not a reflection
        rim = cv2.morphologyEx(blob, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)).astype(bool)
        if rim.any() and float(grad[y0:y1, x0:x1][rim].mean()) <= T.GLARE_RIM_GRADIENT_MAX:
            keep.append(i)
    if not keep:
        return Glare()
    biggest = max(keep, key=lambda i: stats[i, cv2.CC_STAT_AREA])
    x, y, sw, sh = (int(s) for s in stats[biggest, :4])
    ratio = int(stats[biggest, cv2.CC_STAT_AREA]) / total  # one reflection, not scattered white patches summed
    cx, cy = cents[biggest]
    return Glare(round(ratio, 4), region_name(cx, cy, w, h), (x, y, sw, sh), len(keep))


def cut_edges(out: Outline) -> list[str]:
    """Frame edges that cut the document: it touches one to three of them and the rest of the frame shows
    background. A region touching all four edges is a tight scan or the background itself, not a cut."""
    if out.area_ratio < T.CROPPED_MIN_AREA or out.fill < T.CROPPED_MIN_FILL or not out.touches or len(out.touches) == 4:
        return []
    if len(out.touches) == 3 and out.area_ratio >= T.CROPPED_MAX_AREA_THREE_EDGES:
        return []
    if out.area_ratio >= T.CROPPED_MAX_AREA:
        return []
    return list(out.touches)


def card_cut(rgb: np.ndarray) -> list[str]:
    """Frame edges that cut a document lying on a plain background (see card_cut_quad)."""
    return card_cut_quad(rgb)[0]


def card_cut_quad(rgb: np.ndarray) -> tuple[list[str], list[tuple[int, int]]]:
    """Frame edges that cut a document lying on a plain background, found by its edges rather than its brightness,
    and the card's min-area rectangle in `rgb`'s pixels (for the preview; empty when there is no cut).

    On a plain light table the bright region `outline` finds is card and table together, so the card's own
    edge at the frame border is never seen. Here the card is the largest cluster of crisp edges (its border,
    print and portrait; skin left out, so a holding hand does not count): it is cut where that cluster reaches
    one to three frame edges, not two opposite ones (a page spanning the frame), while the free edges of the
    frame show a plain background and the cluster leaves most of the frame free (a close-up or tight scan
    reaches the frame with its print, not because it is cut). Only the cropped decision reads this.
    """
    import cv2
    import numpy as np

    h0, w0 = rgb.shape[:2]
    f = T.CARD_EDGES_SIDE / float(max(h0, w0))
    small = cv2.resize(rgb, (max(1, int(w0 * f)), max(1, int(h0 * f))), interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (3, 3), 0), cv2.COLOR_RGB2LAB)
    edges = np.zeros(small.shape[:2], np.uint8)
    for c in range(3):  # a cream card on a mint table differs in colour more than in lightness
        edges |= cv2.Canny(lab[..., c], T.CARD_CANNY_LOW, T.CARD_CANNY_HIGH)
    hand = cv2.morphologyEx(skin(small).astype(np.uint8), cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    edges[cv2.dilate(hand, np.ones((9, 9), np.uint8)) > 0] = 0
    h, w = edges.shape
    k = max(3, int(min(h, w) * 0.06)) | 1
    # padded, so that closing does not glue a cluster to a frame edge it only comes near
    mask = cv2.morphologyEx(cv2.copyMakeBorder(edges, k, k, k, k, cv2.BORDER_CONSTANT, value=0), cv2.MORPH_CLOSE,
                            np.ones((k, k), np.uint8))[k:-k, k:-k]
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n < 2:
        return [], []
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    pts = cv2.findNonZero((labels == biggest).astype(np.uint8))
    hull = cv2.convexHull(pts)
    area = float(cv2.contourArea(hull)) / float(w * h)
    rect = cv2.minAreaRect(pts)
    rw, rh = rect[1]
    fill = float(cv2.contourArea(hull)) / max(1.0, rw * rh)
    x, y, bw, bh = cv2.boundingRect(pts)
    m = max(1, int(T.CROPPED_EDGE_MARGIN * max(w, h)) + 1)
    touches = [name for name, hit in (("top", y <= m), ("left", x <= m), ("bottom", y + bh >= h - m),
                                      ("right", x + bw >= w - m)) if hit]
    if not touches or {"top", "bottom"} <= set(touches) or {"left", "right"} <= set(touches):
        return [], []
    if not T.CARD_CUT_MIN_AREA <= area <= T.CARD_CUT_MAX_AREA or fill < T.CROPPED_MIN_FILL:
        return [], []
    sw = max(2, int(0.04 * min(h, w)))
    strips = {"top": edges[:sw], "bottom": edges[-sw:], "left": edges[:, :sw], "right": edges[:, -sw:]}
    if max(float((strips[name] > 0).mean()) for name in strips if name not in touches) > T.CARD_CUT_FREE_EDGES_MAX:
        return [], []  # the frame's other edges show a textured surface or more of a page: not a plain background
    hull_mask = np.zeros_like(mask)
    cv2.drawContours(hull_mask, [hull], -1, 255, -1)
    rest = cv2.dilate(hull_mask, np.ones((k, k), np.uint8)) == 0
    if rest.any() and float((edges[rest] > 0).mean()) > T.CARD_CUT_BACKGROUND_EDGES_MAX:
        return [], []  # print beside the cluster: a tight scan whose page goes on, not a card on a table
    quad = [(int(round(px / f)), int(round(py / f))) for px, py in cv2.boxPoints(rect)]
    return touches, quad


def texture(rgb: np.ndarray) -> tuple[float, float]:
    """Share of Canny edge pixels and mean saturation (0-1) on a 400-px copy: how busy and colourful a scene is."""
    import cv2

    h, w = rgb.shape[:2]
    f = 400.0 / max(h, w)
    small = cv2.resize(rgb, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(cv2.GaussianBlur(grey, (3, 3), 0), 60, 150)
    sat = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)[..., 1]
    return round(float((edges > 0).mean()), 4), round(float(sat.mean()) / 255.0, 4)



def card_angle(rgb: np.ndarray) -> float:
    """The turn (degrees, for cv2.getRotationMatrix2D) that lays a card cut out with its margin level, its long side
    horizontal (see card_rect); 0 when no card is found or it is already level."""
    rect = card_rect(rgb)
    return rect[2] if rect else 0.0


def card_rect(rgb: np.ndarray) -> tuple[tuple[float, float], tuple[float, float], float] | None:
    """The card in a crop around it: centre, (long, short) side and the turn that lays it level (0 under 3
    degrees), from the min-area rectangle of the largest Otsu component (either polarity) near the crop's centre
    that fills it (>= 0.8); None when there is none."""
    import cv2

    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    f = min(1.0, 400.0 / max(h, w))
    small = cv2.resize(grey, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    _, split = cv2.threshold(cv2.GaussianBlur(small, (5, 5), 0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    sh, sw = small.shape
    best, found = 0.0, None
    for mask in (split, 255 - split):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            area = cv2.contourArea(c)
            (cx, cy), (rw, rh), a = cv2.minAreaRect(c)
            if not 0.2 * sw * sh <= area <= 0.95 * sw * sh or abs(cx - sw / 2) > sw / 4 or abs(cy - sh / 2) > sh / 4:
                continue
            if area / max(1.0, rw * rh) >= 0.8 and area > best:
                angle = (((a if rw >= rh else a - 90.0) + 90.0) % 180.0) - 90.0
                best, found = area, ((cx / f, cy / f), (max(rw, rh) / f, min(rw, rh) / f),
                                     0.0 if abs(angle) < 3 else round(float(angle), 1))
    return found


def card_crop_for_ocr(rgb: np.ndarray, box: tuple[int, int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A card region cut out with a small margin, contrast-normalised (lightness stretched to its 1-99 % range,
    then CLAHE) and enlarged to CARD_READ_SIDE: what a dark, soft or small card needs before OCR; a turned card is
    laid level first (card_rect). Returns the copy and the 2x3 affine map from its pixels back to `rgb`'s."""
    import cv2
    import numpy as np

    h, w = rgb.shape[:2]
    x, y, bw, bh = box
    mx, my = int(bw * 0.04), int(bh * 0.04)
    x0, y0, x1, y1 = max(0, x - mx), max(0, y - my), min(w, x + bw + mx), min(h, y + bh + my)
    crop = rgb[y0:y1, x0:x1]
    forward = np.array([[1.0, 0.0, -x0], [0.0, 1.0, -y0], [0.0, 0.0, 1.0]])
    rect = card_rect(crop)
    if rect and rect[2]:  # lay the card level, cut to its own rectangle: the recogniser reads level lines only
        (cx, cy), (long, short), angle = rect
        nw, nh = int(long * 1.06) + 1, int(short * 1.06) + 1
        m = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
        m[0, 2] += nw / 2 - cx
        m[1, 2] += nh / 2 - cy
        crop = cv2.warpAffine(crop, m, (nw, nh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        forward = np.vstack([m, [0.0, 0.0, 1.0]]) @ forward
    lab = cv2.cvtColor(crop, cv2.COLOR_RGB2LAB)
    light = lab[:, :, 0].astype(np.float32)
    lo, hi = np.percentile(light, (1, 99))
    if hi - lo >= 8:  # stretch the card's own range (a dark or washed-out card uses a sliver of it)
        light = (light - lo) * (255.0 / (hi - lo))
    light = np.clip(light, 0, 255).astype(np.uint8)
    lab[:, :, 0] = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(light)
    out = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)
    f = min(T.CARD_READ_MAX_ZOOM, max(1.0, T.CARD_READ_SIDE / float(max(1, max(out.shape[:2])))))
    if f > 1.0:
        out = cv2.resize(out, (int(out.shape[1] * f), int(out.shape[0] * f)), interpolation=cv2.INTER_CUBIC)
    forward = np.diag([f, f, 1.0]) @ forward
    return out, np.linalg.inv(forward)[:2]
