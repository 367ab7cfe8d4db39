"""Frontal faces with two of OpenCV's bundled Haar cascades that must agree, on a small grey image for speed.

One cascade alone either misses small printed portraits and faces in dim selfies (strict settings) or finds
faces in wood grain and guilloche patterns (lenient settings). Here the default cascade runs leniently, the
`alt2` cascade confirms: a box counts when both found it, or when the default cascade found it with many
overlapping detections. Dim pictures are contrast-equalised (CLAHE) first, and searched again equalised when the
first pass found nothing.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from . import thresholds as T

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)
CASCADES = ("haarcascade_frontalface_default.xml", "haarcascade_frontalface_alt2.xml")
DARK_MEAN = 70.0
PADDED_SIDE = 400  # the coarser second search (px, long side)
PAD_SHARE = 0.2  # of the long side, added on every edge for that search
_cascades: dict[str, object] = {}
_lock = threading.Lock()


def _get_cascade(name: str = CASCADES[0]):  # noqa: ANN202 - cv2 type
    """Load a cascade once per process (parsing the XML costs ~30 ms)."""
    with _lock:
        if name not in _cascades:
            import cv2

            path = cv2.data.haarcascades + name
            cascade = cv2.CascadeClassifier(path)
            if cascade.empty():
                raise RuntimeError("Haar cascade %s is missing: opencv-python-headless 4.x is required" % path)
            _cascades[name] = cascade
        return _cascades[name]


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over union of two (x, y, w, h) boxes."""
    ix = max(0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / float(union) if union else 0.0


def _agreed(small: np.ndarray, min_side: int) -> list[tuple[int, int, int, int]]:
    """Boxes both cascades found, or the default cascade found with many neighbours."""
    main = _get_cascade(CASCADES[0])
    boxes, counts = main.detectMultiScale2(small, scaleFactor=1.1, minNeighbors=3, minSize=(min_side, min_side))
    if len(boxes) == 0:
        return []
    confirm = _get_cascade(CASCADES[1]).detectMultiScale(small, scaleFactor=1.1, minNeighbors=2,
                                                         minSize=(min_side, min_side))
    confirm = [tuple(int(v) for v in c) for c in (confirm if len(confirm) else [])]
    kept: list[tuple[int, int, int, int]] = []
    for box, n in zip(boxes, counts):
        box = tuple(int(v) for v in box)
        if int(n) >= T.FACE_MIN_NEIGHBORS or any(_iou(box, c) >= 0.3 for c in confirm):
            if not any(_iou(box, k) >= 0.3 for k in kept):
                kept.append(box)  # type: ignore[arg-type]
    return kept


def _padded_pass(small: np.ndarray, clahe) -> list[tuple[int, int, int, int]]:  # noqa: ANN001 - cv2 CLAHE
    """Search again coarser, the frame extended by its own edge pixels: finds faces the frame cuts.

    A close selfie's face often touches or crosses the image border, and Haar's window must lie wholly inside the
    image; a face blurred by motion or focus also reads better at a coarser scale. Boxes come back in `small`'s
    pixels, clipped to the frame.
    """
    import cv2

    h, w = small.shape
    f = min(1.0, PADDED_SIDE / float(max(h, w)))
    coarse = cv2.resize(small, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA) \
        if f < 1.0 else small
    pad = int(PAD_SHARE * max(coarse.shape))
    min_side = max(20, int(T.FACE_MIN_SIZE * max(coarse.shape)))
    for image in (coarse, clahe.apply(coarse)):
        padded = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        boxes = _agreed(padded, min_side)
        kept = []
        for x, y, bw, bh in boxes:
            x0, y0 = max(0, x - pad), max(0, y - pad)
            x1, y1 = min(coarse.shape[1], x - pad + bw), min(coarse.shape[0], y - pad + bh)
            if (x1 - x0) * (y1 - y0) >= 0.5 * bw * bh:  # at least half of the face lies in the picture
                kept.append((int(x0 / f), int(y0 / f), int((x1 - x0) / f), int((y1 - y0) / f)))
        if kept:
            return kept
    return []


def detect_faces(grey: np.ndarray, *, thorough: bool = True) -> list[tuple[int, int, int, int]]:
    """Face boxes (x, y, w, h) in the given image's pixels, largest first; detection runs at ~640 px.

    `thorough=False` skips the padded second search (rendered screens: no face there is cut by a camera's frame,
    and it saves a tenth of a second on every screenshot)."""
    import cv2

    h, w = grey.shape
    f = min(2.0, T.FACE_DETECT_SIDE / float(max(h, w)))  # small photos are enlarged: Haar's window is 24 px
    interp = cv2.INTER_AREA if f < 1.0 else cv2.INTER_LINEAR
    small = cv2.resize(grey, (max(1, int(w * f)), max(1, int(h * f))), interpolation=interp) if f != 1.0 else grey
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    dark = float(small.mean()) < DARK_MEAN
    if dark:
        small = clahe.apply(small)  # under-exposed photos: stretch locally first (it hurts well-lit ones)
    min_side = max(20, int(T.FACE_MIN_SIZE * max(small.shape)))
    boxes = _agreed(small, min_side)
    if not boxes and not dark:
        boxes = _agreed(clahe.apply(small), min_side)  # backlit faces: dark face, bright frame
    if not boxes and thorough:
        boxes = _padded_pass(small, clahe)
    out = [(int(x / f), int(y / f), int(bw / f), int(bh / f)) for x, y, bw, bh in boxes]
    out.sort(key=lambda b: -b[2] * b[3])
    return out
