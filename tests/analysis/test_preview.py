"""The preview: a PNG of readable size with its marks, labelled when served; the package imports light."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest


def test_preview_is_a_png_of_readable_size_with_its_marks(analysed):
    from PIL import Image

    from tickets.analysis.preview import PREVIEW_MAX_HEIGHT, PREVIEW_MAX_WIDTH, marks_of

    r = analysed(type="id_document", defects=["glare"])
    im = Image.open(io.BytesIO(r.preview_png))
    assert im.format == "PNG" and im.width <= PREVIEW_MAX_WIDTH and im.height <= PREVIEW_MAX_HEIGHT
    assert {m["kind"] for m in marks_of(r.preview_png)["marks"]} >= {"glare", "document"}
    assert set(r.timings) >= {"decode", "checks", "faces", "mrz", "ocr", "preview", "total"}


def test_import_is_light():
    code = ("import sys, tickets.analysis; "
            "print(any(m in sys.modules for m in ('cv2', 'numpy', 'tesserocr', 'pypdfium2')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_result_is_json_serialisable(analysed):
    import json

    json.dumps(analysed(type="selfie").to_dict())


# --- issue 13, item 6: previews an agent can read -------------------------------------------------------------

def _annotated(png: bytes, label=None, **kwargs):
    import numpy as np
    from PIL import Image

    from tickets.analysis.preview import annotate, cjk_font

    kwargs.setdefault("font_path", cjk_font())
    jpeg = annotate(png, label or (lambda kind, params: kind), **kwargs)
    assert jpeg[:2] == b"\xff\xd8", "served as JPEG"
    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), dtype=np.float32)


def _stored(png: bytes):
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float32)


def _one_mark_preview(kind="glare", defects=("glare",)) -> bytes:
    import numpy as np

    from tickets.analysis.preview import render

    rgb = np.full((600, 800, 3), 235, np.uint8)
    return render(rgb, [(kind, {"percent": 12}, (300, 250, 200, 100))], defects=list(defects))


def test_a_phone_screenshot_preview_is_wide_enough_to_read_its_error_line(analysed):
    r = analysed(type="screenshot", lang="zh")
    stored = _stored(r.preview_png)
    assert stored.shape[1] >= 720, "a phone screenshot is kept at least 720 px wide"
    line = next(ln for ln in r.ocr_lines if "失败" in ln.text)
    scale = stored.shape[1] / r.metrics["analysis_width"]
    assert line.bbox[3] * scale >= 20, "the error text is at least 20 px tall in the preview"


def test_the_cjk_font_is_found_and_draws_chinese_glyphs_not_boxes():
    """Two different Chinese labels draw different pixels; missing glyphs would draw the same box twice."""
    import numpy as np

    from tickets.analysis.preview import cjk_font

    assert cjk_font(), "fonts-noto-cjk (scripts/system-deps.sh) provides a CJK font"
    png = _one_mark_preview(defects=())
    glare = _annotated(png, lambda kind, params: "反光")
    dark = _annotated(png, lambda kind, params: "曝光")
    assert np.abs(glare - dark).sum() > 1000, "different characters, different glyphs"
    boxes = _annotated(png, lambda kind, params: "反光", font_path=None)  # a font without CJK: missing-glyph boxes
    assert np.abs(glare - boxes).sum() > 1000, "the CJK font does not draw the missing-glyph box"


def test_labels_are_in_the_agents_language():
    from django.utils import translation

    from tickets.services.previews import preview_label

    with translation.override("zh-hans"):
        assert preview_label("defect", {"code": "too_dark"}) == "过暗"
        assert preview_label("glare", {"percent": 12.0}) == "反光 12%"
        assert preview_label("error", {}) == "错误提示"
        assert "上" in preview_label("document", {"cut": ["top"]})
    with translation.override("en"):
        assert preview_label("defect", {"code": "too_dark"}) == "Too dark"
        assert preview_label("document", {"cut": ["top", "left"]}) == "Document cut off: top, left"


@pytest.mark.parametrize("spec", [
    {"type": "selfie", "defects": ["too_dark"]},
    {"type": "id_document", "defects": ["glare"]},
    {"type": "id_document", "defects": ["cropped"]},
    {"type": "selfie", "faces": 2},
], ids=["too-dark selfie", "glare", "cropped", "two faces"])
def test_every_defect_gets_a_label(analysed, spec):
    from tickets.analysis.preview import marks_of

    r = analysed(**spec)
    assert r.defects, "the generated picture has its defect"
    for png in (r.preview_png, r.preview_redacted_png):
        assert marks_of(png)["defects"] == r.defects
        said = []
        _annotated(png, lambda kind, params: said.append((kind, params.get("code"))) or "x")
        assert [code for kind, code in said if kind == "defect"] == r.defects


def test_a_defect_chip_sits_in_a_band_above_the_picture_not_on_it():
    stored = _stored(_one_mark_preview(defects=("too_dark",)))
    shown = _annotated(_one_mark_preview(defects=("too_dark",)))
    band = shown.shape[0] - stored.shape[0]
    assert band > 0 and shown.shape[1] == stored.shape[1]
    assert abs(shown[band:].mean() - stored.mean()) < 8, "the picture below the band is the stored one (plus marks)"


def test_the_error_line_of_a_screenshot_is_highlighted_and_its_label_leaves_it_readable(analysed):
    import numpy as np

    r = analysed(type="screenshot", lang="en", lines=("Verification failed", "Upload failed: network timeout"))
    from tickets.analysis.preview import marks_of

    errors = [m for m in marks_of(r.preview_redacted_png)["marks"] if m["kind"] == "error"]
    assert errors, "the error lines are marked"
    stored, shown = _stored(r.preview_redacted_png), _annotated(r.preview_redacted_png,
                                                                lambda kind, params: "Error message")
    assert stored.shape == shown.shape, "a screenshot without defects has no band"
    for mark in errors:
        x, y, w, h = mark["box"]
        before, after = stored[y:y + h, x:x + w], shown[y:y + h, x:x + w]
        assert after[..., 2].mean() < before[..., 2].mean() - 5, "highlighted (yellow tint)"
        grey_before, grey_after = before.mean(axis=2).ravel(), after.mean(axis=2).ravel()
        assert np.corrcoef(grey_before, grey_after)[0, 1] > 0.9, "no label covers the line it marks"


def test_a_label_goes_beside_its_shape_and_never_on_it_when_there_is_room():
    from tickets.analysis.preview import _label_spot, _overlap

    shape = (300, 250, 200, 100)
    spot = _label_spot(shape, (120, 24), (800, 600), top=0, own=0, boxes=[shape], text_boxes=[], placed=[])
    assert _overlap(spot, shape) == 0
    # text right above: the label goes below instead of covering it
    above = (300, 200, 300, 48)
    spot = _label_spot(shape, (120, 24), (800, 600), top=0, own=0, boxes=[shape], text_boxes=[above], placed=[])
    assert _overlap(spot, shape) == 0 and _overlap(spot, above) == 0
    # at the top edge of the picture, the label still stays off the shape
    edge = (10, 0, 200, 100)
    spot = _label_spot(edge, (120, 24), (800, 600), top=0, own=0, boxes=[edge], text_boxes=[], placed=[])
    assert _overlap(spot, edge) == 0


def test_a_preview_drawn_before_marks_existed_is_served_as_it_is():
    import numpy as np
    from PIL import Image

    png = io.BytesIO()
    Image.fromarray(np.full((100, 200, 3), 90, np.uint8)).save(png, format="PNG")
    shown = _annotated(png.getvalue())
    assert shown.shape == (100, 200, 3) and abs(shown.mean() - 90) < 3


def test_without_a_cjk_font_labels_fall_back_to_english(monkeypatch, caplog):
    from django.utils import translation

    from tickets.analysis import preview
    from tickets.services.previews import preview_for_viewer

    said = []
    real = preview.annotate
    monkeypatch.setattr(preview, "cjk_font", lambda: None)
    monkeypatch.setattr(preview, "annotate", lambda png, label, **kw: said.append(label("defect", {"code": "glare"}))
                        or real(png, label, **kw))
    with translation.override("zh-hans"):
        preview_for_viewer(_one_mark_preview())
    assert said == ["Glare"]


@pytest.mark.parametrize("line", ["網路連線逾時，請檢查網路後再試", "证件照片模糊，请在光线充足处重新拍摄",
                                  "Your account is temporarily locked for security reasons."])
def test_the_error_line_of_a_screenshot_is_marked_in_any_of_its_languages(analysed, line):
    """Error wording in Traditional Chinese, and any line the triage would quote as a support-guide problem."""
    from tickets.analysis.preview import marks_of

    r = analysed(type="screenshot", lang="en" if line.isascii() else "zh", lines=(line,))
    from difflib import SequenceMatcher

    read = max(r.ocr_lines, key=lambda ln: SequenceMatcher(None, ln.text, line).ratio())
    assert SequenceMatcher(None, read.text, line).ratio() > 0.6, (read.text, line)
    f = _stored(r.preview_png).shape[1] / r.metrics["analysis_width"]
    boxes = [m["box"] for m in marks_of(r.preview_png)["marks"] if m["kind"] in ("error", "expiry")]
    x, y = read.bbox[0] * f, read.bbox[1] * f
    assert any(abs(b[0] - x) <= 3 and abs(b[1] - y) <= 3 for b in boxes), (read.text, boxes)
