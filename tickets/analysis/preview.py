"""Annotated preview PNG (<= 1024 px): what the analysis saw, labelled, so staff can check a verdict at a glance."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PREVIEW_LONG_SIDE = 1024
COLOURS = {"face": (40, 200, 60), "glare": (255, 40, 40), "document": (30, 120, 255), "mrz": (200, 0, 200),
           "text": (255, 150, 0), "expiry": (220, 0, 120)}


def render(rgb: np.ndarray, boxes: list[tuple[str, str, object]],
           blur: list[tuple[int, int, int, int]] | None = None) -> bytes:
    """Draw labelled boxes/polygons (kind, label, (x,y,w,h) or [(x,y),...]) given in `rgb` pixels; PNG bytes.

    `blur`: regions (x, y, w, h in `rgb` pixels) made unreadable before anything is drawn (redacted preview).
    """
    import cv2
    import numpy as np

    h, w = rgb.shape[:2]
    f = min(1.0, PREVIEW_LONG_SIDE / float(max(h, w)))
    img = cv2.resize(rgb, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA) if f < 1 else \
        rgb.copy()
    img = np.ascontiguousarray(img)
    for region in blur or ():
        _obscure(img, tuple(int(round(v * f)) for v in region))
    for kind, label, geom in boxes:
        colour = COLOURS.get(kind, (255, 255, 0))
        if isinstance(geom, (list, np.ndarray)) and len(geom) and isinstance(geom[0], (tuple, list, np.ndarray)):
            pts = (np.asarray(geom, np.float32) * f).astype(np.int32)
            cv2.polylines(img, [pts], True, colour, 2)
            anchor = (int(pts[:, 0].min()), int(pts[:, 1].min()))
        else:
            x, y, bw, bh = (int(v * f) for v in geom)
            cv2.rectangle(img, (x, y), (x + bw, y + bh), colour, 2)
            anchor = (x, y)
        _label(img, label, anchor, colour)
    ok, png = cv2.imencode(".png", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 3])
    return png.tobytes() if ok else b""


def _label(img: np.ndarray, text: str, anchor: tuple[int, int], colour: tuple[int, int, int]) -> None:
    """A filled tag with ASCII text above the shape (below it when at the top edge)."""
    import cv2

    text = text.encode("ascii", "replace").decode("ascii")[:48]
    (tw, th), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.5, 1)
    x, y = max(0, anchor[0]), anchor[1] - 4
    if y - th - base < 0:
        y = anchor[1] + th + 6
    cv2.rectangle(img, (x, y - th - base), (x + tw + 4, y + 2), colour, -1)
    cv2.putText(img, text, (x + 2, y - 2), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1, cv2.LINE_AA)


def _obscure(img: np.ndarray, region: tuple[int, int, int, int]) -> None:
    """Pixelate then blur a region in place, so no character or facial feature can be read back."""
    import cv2

    x, y, w, h = region
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(img.shape[1], x + w), min(img.shape[0], y + h)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return
    patch = img[y0:y1, x0:x1]
    small = cv2.resize(patch, (max(1, (x1 - x0) // 24), max(1, (y1 - y0) // 24)), interpolation=cv2.INTER_AREA)
    coarse = cv2.resize(small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
    img[y0:y1, x0:x1] = cv2.GaussianBlur(coarse, (0, 0), sigmaX=max(2.0, min(x1 - x0, y1 - y0) / 6.0))
