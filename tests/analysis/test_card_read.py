"""The second read of a card region when the first read almost nothing: a dark or small card is read on a
contrast-normalised, enlarged copy, its lines mapped back to the analysis image."""

from __future__ import annotations

import numpy as np

from tickets.analysis.result import AnalysisResult, OcrLine


def _dark_card() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    import cv2

    frame = np.full((900, 1200, 3), 25, np.uint8)
    frame[200:600, 300:900] = 55  # a dim card on a darker table
    for i, line in enumerate(["PASSPORT", "SURNAME MUELLER", "12.03.1985"]):
        cv2.putText(frame, line, (330, 280 + 70 * i), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (35, 35, 35), 3)
    return frame, (300, 200, 600, 400)


def test_a_dark_card_is_brightened_equalised_and_enlarged_before_reading():
    from tickets.analysis import thresholds as T
    from tickets.analysis.checks import card_crop_for_ocr

    frame, box = _dark_card()
    crop, back = card_crop_for_ocr(frame, box)
    assert abs(max(crop.shape[:2]) - T.CARD_READ_SIDE) <= 2
    f = crop.shape[1] / 648.0
    assert np.allclose(back @ [0, 0, 1], [276, 184], atol=1)  # a 4 % margin around the card
    card = frame[200:600, 300:900, 0].astype(float)
    inside = crop[int(16 * f):int(-16 * f), int(24 * f):int(-24 * f)].mean(axis=2)
    assert inside.mean() > card.mean() + 30  # brighter
    contrast = np.percentile(inside, 50) - np.percentile(inside, 2)
    assert contrast > 3 * (np.percentile(card, 50) - np.percentile(card, 2))  # and the print stands out more


class _Reading:
    def __init__(self, lines):
        self.lines, self.engine, self.second_pass, self.fallback, self.seconds = lines, "rapidocr", 0, "", 0.01


class _Engine:
    """Reads whatever it is told, and remembers the size of each image it was given."""

    def __init__(self, lines):
        self.lines, self.sizes = lines, []

    def read(self, image, *, purpose="photo"):
        self.sizes.append(image.size)
        return _Reading(self.lines)


def test_the_card_is_read_again_when_the_first_read_found_almost_nothing():
    from tickets.analysis.pipeline import _read_card

    frame, box = _dark_card()
    res = AnalysisResult()
    res.ocr_lines, res.metrics["ocr_chars"] = [OcrLine("xx", 50.0, (300, 200, 20, 10))], 2
    engine = _Engine([OcrLine("PASSPORT", 90.0, (70, 120, 300, 60)), OcrLine("12.03.1985", 90.0, (70, 380, 300, 60))])
    _read_card(res, frame, engine, box)
    assert engine.sizes and max(engine.sizes[0]) == 1400
    assert [ln.text for ln in res.ocr_lines] == ["PASSPORT", "12.03.1985"]  # the first read's junk replaced
    x, y, w, h = res.ocr_lines[0].bbox
    assert 300 <= x <= 330 and 200 <= y <= 260 and w < 150  # mapped back to the analysis image
    assert "12.03.1985" in res.ocr_text and res.metrics["ocr_card_pass"] == 18


def test_no_second_read_without_a_card_or_when_enough_was_read():
    from tickets.analysis.pipeline import _read_card

    frame, box = _dark_card()
    engine = _Engine([OcrLine("PASSPORT", 90.0, (70, 120, 300, 60))])
    res = AnalysisResult()
    res.metrics["ocr_chars"] = 0
    _read_card(res, frame, engine, None)
    res.ocr_lines, res.metrics["ocr_chars"] = [OcrLine("A" * 45, 90.0, (0, 0, 10, 10))], 45
    _read_card(res, frame, engine, box)
    assert engine.sizes == [] and "ocr_card_pass" not in res.metrics


def test_a_turned_card_is_laid_level_before_reading():
    """A card turned by 35 degrees on the table: its copy is turned back (the recogniser reads level lines only)
    and a box read on the copy maps back inside the card."""
    import cv2

    from tickets.analysis.checks import card_angle, card_crop_for_ocr
    from tickets.analysis.pipeline import _mapped_box

    frame, _ = _dark_card()
    frame[200:600, 300:900] = 200  # a light card this time
    m = cv2.getRotationMatrix2D((600, 400), 35, 1.0)
    turned = cv2.warpAffine(frame, m, (1200, 900), borderValue=(25, 25, 25))
    ys, xs = np.nonzero(turned[:, :, 0] > 100)
    box = (int(xs.min()), int(ys.min()), int(xs.max() - xs.min()), int(ys.max() - ys.min()))
    crop_angle = card_angle(turned[box[1]:box[1] + box[3], box[0]:box[0] + box[2]])
    assert abs(abs(crop_angle) - 35) <= 3, crop_angle
    assert card_angle(frame[180:620, 280:920]) == 0.0  # a level card is left as it is

    crop, back = card_crop_for_ocr(turned, box)
    level = crop[:, :, 0] > 128
    rows = np.nonzero(level.mean(axis=1) > 0.5)[0]
    assert crop.shape[1] > crop.shape[0] and len(rows) > 0.8 * crop.shape[0]  # the copy is the card, level
    x, y, w, h = _mapped_box((crop.shape[1] // 2 - 20, crop.shape[0] // 2 - 10, 40, 20), back)
    assert abs(x + w / 2 - 600) < 15 and abs(y + h / 2 - 400) < 15  # the copy's centre is the card's
