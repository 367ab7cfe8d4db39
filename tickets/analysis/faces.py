"""Frontal-face detection with OpenCV's bundled Haar cascade, on a small grey image for speed."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from . import thresholds as T

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)
_cascade = None
DARK_MEAN = 70.0
_lock = threading.Lock()


def _get_cascade():  # noqa: ANN202 - cv2 type
    """Load the cascade once per process (parsing the XML costs ~30 ms)."""
    global _cascade
    with _lock:
        if _cascade is None:
            import cv2

            path = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"
            cascade = cv2.CascadeClassifier(path)
            if cascade.empty():
                raise RuntimeError("Haar cascade %s is missing: opencv-python-headless 4.x is required" % path)
            _cascade = cascade
        return _cascade


def detect_faces(grey: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Face boxes (x, y, w, h) in the given image's pixels, largest first; detection runs at ~640 px."""
    import cv2

    h, w = grey.shape
    f = min(2.0, T.FACE_DETECT_SIDE / float(max(h, w)))  # small photos are enlarged: Haar's window is 24 px
    interp = cv2.INTER_AREA if f < 1.0 else cv2.INTER_LINEAR
    small = cv2.resize(grey, (max(1, int(w * f)), max(1, int(h * f))), interpolation=interp) if f != 1.0 else grey
    if float(small.mean()) < DARK_MEAN:
        small = cv2.equalizeHist(small)  # under-exposed photos: stretch first (it hurts well-lit ones)
    min_side = max(20, int(T.FACE_MIN_SIZE * max(small.shape)))
    boxes = _get_cascade().detectMultiScale(small, scaleFactor=1.1, minNeighbors=T.FACE_MIN_NEIGHBORS,
                                            minSize=(min_side, min_side))
    out = [(int(x / f), int(y / f), int(bw / f), int(bh / f)) for x, y, bw, bh in (boxes if len(boxes) else [])]
    out.sort(key=lambda b: -b[2] * b[3])
    return out
