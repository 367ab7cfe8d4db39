"""Agents' previews: identity data on documents and the face on selfies are blurred beyond reading.

The regions are found here independently of the redaction code: the OCR lines that read the number, the
date of birth and the MRZ, and a face detected on the full preview itself.
"""

from __future__ import annotations

import io

import pytest


def _scale(result) -> float:
    """Preview pixels per analysis pixel (previews are scaled to be read: up to 1000 px wide)."""
    return _pixels(result.preview_png).shape[1] / result.metrics["analysis_width"]


def _pixels(png: bytes):
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.float32)


def _inner(box, scale: float, margin: float = 0.15):
    """A box in preview pixels, shrunk so the outline and labels drawn on its edges are left out."""
    x, y, w, h = (v * scale for v in box)
    return (int(x + w * margin), int(y + h * margin), max(2, int(w * (1 - 2 * margin))),
            max(2, int(h * (1 - 2 * margin))))


def _variance(pixels, box) -> float:
    x, y, w, h = box
    return float(pixels[y:y + h, x:x + w].var())


def _line(result, predicate):
    return next(line for line in result.ocr_lines if predicate(line.text))


def test_a_passport_preview_for_agents_blurs_number_birth_date_mrz_and_portrait(analysed):
    from tickets.analysis.faces import detect_faces

    result = analysed(type="id_document")
    full, redacted = _pixels(result.preview_png), _pixels(result.preview_redacted_png)
    assert full.shape == redacted.shape
    boxes = {
        "document number": _line(result, lambda t: "12345678" in t and "<" not in t).bbox,
        "date of birth": _line(result, lambda t: "1990" in t).bbox,
        "MRZ": _line(result, lambda t: t.count("<") > 10).bbox,
    }
    faces = detect_faces(full.astype("uint8"))
    assert faces, "the full preview shows a face"
    boxes["portrait"] = faces[0]
    for what, box in boxes.items():
        inner = _inner(box, scale=1.0 if what == "portrait" else _scale(result))
        before, after = _variance(full, inner), _variance(redacted, inner)
        assert before > 100, what
        assert after < 0.2 * before, "%s still readable: variance %.0f of %.0f" % (what, after, before)
    # the rest of the page stays readable for the agent: the surname is not blurred
    surname = _inner(_line(result, lambda t: t.strip() == "ZHANG").bbox, _scale(result))
    assert _variance(redacted, surname) > 0.8 * _variance(full, surname)


@pytest.mark.parametrize("doc", ["id_card"])
def test_an_id_card_preview_for_agents_blurs_the_number_line(analysed, doc):
    result = analysed(type="id_document", doc=doc)
    full, redacted = _pixels(result.preview_png), _pixels(result.preview_redacted_png)
    box = _inner(_line(result, lambda t: "12345678" in t and "<" not in t).bbox, _scale(result))
    assert _variance(redacted, box) < 0.2 * _variance(full, box)


def test_a_selfie_preview_for_agents_blurs_the_face(analysed):
    from tickets.analysis.faces import detect_faces

    result = analysed(type="selfie")
    full, redacted = _pixels(result.preview_png), _pixels(result.preview_redacted_png)
    faces = detect_faces(full.astype("uint8"))
    assert faces
    box = _inner(faces[0], scale=1.0)
    assert _variance(redacted, box) < 0.2 * _variance(full, box)
    assert not detect_faces(redacted.astype("uint8")), "no face can be found in the agents' preview"


def test_a_screenshot_with_an_id_number_is_blurred_on_that_line_only(analysed):
    result = analysed(type="screenshot", lang="en", lines=("Verification failed", "ID number 110105199001011234"))
    full, redacted = _pixels(result.preview_png), _pixels(result.preview_redacted_png)
    scale = full.shape[1] / result.metrics["analysis_width"]
    number = _line(result, lambda t: "1101051990" in t)
    assert _variance(redacted, _inner(number.bbox, scale)) < 0.2 * _variance(full, _inner(number.bbox, scale))
    error = _line(result, lambda t: "failed" in t)
    assert _variance(redacted, _inner(error.bbox, scale)) > 0.8 * _variance(full, _inner(error.bbox, scale))
