"""PP-OCRv4 (detection + recognition) through rapidocr-onnxruntime: models ship inside the wheel, nothing downloaded."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..result import OcrLine
from .text import cjk_punctuation

if TYPE_CHECKING:
    from PIL import Image

# Detection runs on the image reduced so its LONG side is at most this many pixels; recognition reads the crops
# from the full image. Screens: bench/ocr_engines.py (key-line CER and CPU s per screen at 960/1280; see the
# policy note in ocr/__init__.py). Photos: on the 19 real specimen documents and the demo documents, 960 found the
# same lines and words as 1280 and cost 0.1-0.5 s less on the large ones (most are already smaller than 960).
SCREEN_DET_SIDE = 1280
PHOTO_DET_SIDE = 960
REC_BATCH = 1
# Lines recognised below this score (0-1) are dropped (rapidocr's own default).
TEXT_SCORE = 0.5


class RapidOcrEngine:
    """One RapidOCR (three ONNX Runtime sessions) per process, no angle classifier: screens and photos are upright.

    ONNX Runtime's default uses every core per session; with one worker process per core that oversubscribes the
    machine, so intra-op threads default to 1 (KYCTRIAGE_OCR_THREADS).
    """

    name = "rapidocr"

    def __init__(self, *, threads: int = 1, screen_det_side: int = SCREEN_DET_SIDE,
                 photo_det_side: int = PHOTO_DET_SIDE) -> None:
        from rapidocr_onnxruntime import RapidOCR  # ImportError here is the caller's cue to fall back

        self.threads = threads
        self.screen_det_side = screen_det_side
        self.photo_det_side = photo_det_side
        self._lock = threading.Lock()
        # limit_type "min" with a tiny side: rapidocr's detector only rounds to multiples of 32, because
        # _read() has already reduced the image (its own "max" mode ignores the configured side).
        # rec_batch_num 1: a batch is padded to its widest line, and PP-OCRv4's recogniser costs more than linearly
        # in width; on one thread one line at a time cost 0.38 s CPU where batches of 6 cost 1.0 s (6 ID lines).
        self._ocr = RapidOCR(use_cls=False, text_score=TEXT_SCORE, det_limit_type="min", det_limit_side_len=32,
                             rec_batch_num=REC_BATCH, intra_op_num_threads=threads, inter_op_num_threads=1)

    def read_screen(self, image: Image.Image, *, timeout: float = 0) -> list[OcrLine]:
        """Lines of a rendered screen in reading order (wrapped paragraphs kept together), boxes in image pixels."""
        return reading_order(self._read(image, self.screen_det_side, timeout))

    def read_photo(self, image: Image.Image, *, timeout: float = 0) -> list[OcrLine]:
        """Lines of a camera photo (documents: printed fields, dates), boxes in the image's pixels."""
        return self._read(image, self.photo_det_side, timeout)

    def _read(self, image: Image.Image, det_side: int, timeout: float = 0) -> list[OcrLine]:
        """PP-OCR detection on a reduced copy, recognition of each box cut from the full image (no rotation).

        ONNX Runtime cannot be interrupted, so the timeout (seconds, 0 = none) is checked between lines: a run stops
        at most one line's recognition after it.
        """
        import time

        import cv2
        import numpy as np

        from .tesseract import OcrTimeout

        deadline = time.perf_counter() + timeout if timeout else None

        bgr = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
        h, w = bgr.shape[:2]
        f = min(1.0, det_side / float(max(h, w)))
        small = cv2.resize(bgr, (max(32, round(w * f)), max(32, round(h * f))), interpolation=cv2.INTER_AREA) \
            if f < 1.0 else bgr
        with self._lock:  # one image at a time per process: the sessions are single-threaded by design
            boxes, _ = self._ocr.text_det(small)
            if boxes is None or len(boxes) == 0:
                return []
            boxes = [np.clip(b / f, 0, [w - 1, h - 1]).astype(np.float32) for b in self._ocr.sorted_boxes(boxes)]
            recognised = []
            for crop in self._ocr.get_crop_img_list(bgr, boxes):  # one line at a time (REC_BATCH is 1 anyway)
                if deadline is not None and time.perf_counter() > deadline:
                    raise OcrTimeout("OCR did not finish within %g s (KYCTRIAGE_OCR_TIMEOUT_SECONDS)" % timeout)
                recognised.extend(self._ocr.text_rec([crop])[0])
        lines = []
        for box, (text, score, *_rest) in zip(boxes, recognised):
            text = cjk_punctuation(str(text).strip())
            if not text or float(score) < TEXT_SCORE:
                continue
            x1, y1 = int(box[:, 0].min()), int(box[:, 1].min())
            x2, y2 = int(round(box[:, 0].max())), int(round(box[:, 1].max()))
            lines.append(OcrLine(text, round(float(score) * 100.0, 1), (x1, y1, x2 - x1, y2 - y1)))
        lines.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))
        return lines

    def close(self) -> None:
        """Nothing to free explicitly: the sessions go with the object."""


def reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Lines top to bottom, each wrapped paragraph kept together.

    Sorting by the top edge alone splits a paragraph when a line beside it starts between two of its lines: a
    snackbar's RETRY button sits level with the gap of a two-line message, and "...請檢查網路後再 / 重試 / 試" lost
    the key line (snackbar key-line CER 0.11 on the tune screens). A line joins the paragraph whose last line is
    directly above it: starting below that line's middle, at most 0.6 line heights under it, overlapping it
    horizontally, of similar height (0.7-1.4x). Paragraphs come in the order of their first line.
    """
    paragraphs: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda ln: (ln.bbox[1], ln.bbox[0])):
        x, y, w, h = ln.bbox
        home = None
        for para in paragraphs:
            px, py, pw, ph = para[-1].bbox
            if (py + ph / 2 <= y <= py + ph + 0.6 * ph and x < px + pw and px < x + w and 0.7 * ph <= h <= 1.4 * ph
                    and (home is None or py > home[-1].bbox[1])):
                home = para
        if home is None:
            paragraphs.append([ln])
        else:
            home.append(ln)
    return [ln for para in paragraphs for ln in para]
