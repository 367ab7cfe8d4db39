"""Each defect is detected on generated images made to have it, and absent on clean ones."""

from __future__ import annotations

import pytest

DOC_DEFECTS = ["blurry", "glare", "too_dark", "low_resolution", "cropped", "expired_document"]
SELFIE_DEFECTS = ["too_dark", "blurry", "multiple_faces", "low_resolution", "glare"]


@pytest.mark.parametrize("doc", ["passport", "id_card"])
def test_clean_document_has_no_defects(analysed, doc):
    r = analysed(type="id_document", doc=doc)
    assert r.kind == "id_document"
    assert r.defects == [], r.defect_details
    assert r.mrz and r.mrz["checks_ok"] and r.expiry_date == "2031-05-01"


@pytest.mark.parametrize("defect", DOC_DEFECTS)
def test_document_defect_is_detected(analysed, defect):
    r = analysed(type="id_document", defects=[defect])
    assert r.kind == "id_document"
    assert defect in r.defects, (r.defects, r.metrics)
    assert r.defect_details[defect]  # every defect carries its evidence


def test_glare_names_its_region(analysed):
    d = analysed(type="id_document", defects=["glare"]).defect_details["glare"]
    assert d["region"] in {"top-left", "top", "top-right", "left", "center", "right", "bottom-left", "bottom",
                           "bottom-right"}
    assert d["ratio"] >= d["threshold"]


def test_expired_document_from_mrz(analysed):
    r = analysed(type="id_document", defects=["expired_document"])
    assert r.defect_details["expired_document"]["expiry"] == "2023-03-01"


def test_expired_document_from_printed_date_without_mrz(analysed):
    r = analysed(type="id_document", doc="id_card", with_mrz=False, defects=["expired_document"])
    assert r.mrz is None
    assert r.defect_details["expired_document"] == {
        "expiry": "2023-03-01", "source": "printed", "line": r.defect_details["expired_document"]["line"],
        "reference": "2026-11-27"}
    valid = analysed(type="id_document", doc="id_card", with_mrz=False)
    assert valid.expiry_date == "2031-05-01" and "expired_document" not in valid.defects


def test_clean_selfie_has_no_defects(analysed):
    r = analysed(type="selfie")
    assert r.kind == "selfie" and r.defects == [] and r.metrics["faces"] == 1


@pytest.mark.parametrize("defect", SELFIE_DEFECTS)
def test_selfie_defect_is_detected(analysed, defect):
    r = analysed(type="selfie", defects=[defect])
    assert r.kind == "selfie"
    assert defect in r.defects, (r.defects, r.metrics)


def test_selfie_without_face_is_no_face_when_named_selfie(analysed):
    r = analysed(type="selfie", defects=["no_face"], filename="selfie.jpg")
    assert r.kind == "selfie" and "no_face" in r.defects


def test_screenshots_skip_photo_checks(analysed):
    r = analysed(type="screenshot", theme="dark", lang="en")
    assert r.kind == "screenshot" and r.defects == []  # a dark theme is not "too_dark"
    assert "sharpness" not in r.metrics


def test_a_threshold_can_be_overridden_from_the_environment():
    import subprocess
    import sys

    code = "from tickets.analysis import thresholds as T; print(T.BLURRY_SHARPNESS, T.GLARE_V_MIN)"
    env = dict(__import__("os").environ, KYCTRIAGE_THRESHOLD_BLURRY_SHARPNESS="31.5", KYCTRIAGE_THRESHOLD_GLARE_V_MIN="245")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["31.5", "245"]


def _facts(**kw):
    from tickets.analysis.pipeline import PhotoFacts

    base = dict(kind="id_document", short_side=1500, sharpness=300.0, edge_width=2.2, brightness=150.0,
                brightness_p95=230.0, faces=[(10, 10, 50, 50)])
    base.update(kw)
    return PhotoFacts(**base)


def test_photo_defects_are_judged_by_one_table():
    from tickets.analysis.pipeline import DEFECT_RULES, photo_defects

    assert [code for code, *_ in DEFECT_RULES][:2] == ["too_dark", "blurry"]  # darkness is judged before blur
    assert photo_defects(_facts()) == []
    dark_and_soft = [code for code, _ in photo_defects(_facts(brightness=30, brightness_p95=80, edge_width=6.0))]
    assert dark_and_soft == ["too_dark"], "a dark photo is too_dark, not also blurry"
    assert [c for c, _ in photo_defects(_facts(edge_width=6.5))] == ["blurry"]


def test_no_face_and_multiple_faces_only_on_selfies():
    from tickets.analysis.pipeline import photo_defects

    assert "no_face" not in [c for c, _ in photo_defects(_facts(faces=[]))]
    assert [c for c, _ in photo_defects(_facts(kind="selfie", faces=[]))] == ["no_face"]
    assert [c for c, _ in photo_defects(_facts(kind="selfie", faces=[(0, 0, 9, 9)] * 2))] == ["multiple_faces"]


def test_a_tight_scan_touching_every_edge_is_not_cropped():
    from tickets.analysis.checks import Outline, cut_edges

    scan = Outline(area_ratio=0.98, fill=0.99, aspect=1.42, touches=["top", "left", "bottom", "right"])
    cut = Outline(area_ratio=0.40, fill=0.97, aspect=1.42, touches=["top"])
    assert cut_edges(scan) == [] and cut_edges(cut) == ["top"]


def test_a_white_printed_field_is_not_glare_but_a_soft_highlight_is():
    import numpy as np

    from tickets.analysis.checks import specular_glare

    page = np.full((600, 800, 3), (200, 210, 200), np.uint8)
    page[200:320, 300:500] = 255  # a white box with a crisp printed edge
    assert specular_glare(page).ratio == 0
    yy, xx = np.mgrid[0:600, 0:800]
    hump = np.clip(1.6 - np.hypot(xx - 400, yy - 300) / 60.0, 0, 1)[..., None] * 400
    shiny = np.clip(np.full((600, 800, 3), (170, 180, 170), np.float32) + hump, 0, 255).astype(np.uint8)
    assert specular_glare(shiny).ratio > 0.008


def test_blur_is_judged_on_edge_width_so_a_soft_1440px_photo_is_caught():
    import io

    from PIL import Image, ImageFilter

    from tickets.analysis import analyse
    from tickets.analysis.ocr import default_engine
    from demo.images import make_id_document

    im = Image.open(io.BytesIO(make_id_document())).resize((1440, 1080))
    buf = io.BytesIO()
    im.filter(ImageFilter.GaussianBlur(2.8)).save(buf, "JPEG", quality=90)
    r = analyse(buf.getvalue(), filename="IMG_1.jpg", ocr=default_engine(), preview=False)
    assert r.kind == "id_document" and "blurry" in r.defects, (r.kind, r.metrics)


def _card_scene(hand: bool):
    """A pale card on a dark table, wholly in view; with `hand`, a palm under it running off the bottom edge."""
    import cv2
    import numpy as np

    rgb = np.full((600, 800, 3), (60, 62, 66), np.uint8)
    cv2.rectangle(rgb, (200, 120), (600, 372), (236, 232, 222), -1)
    if hand:
        cv2.ellipse(rgb, (400, 560), (190, 200), 0, 0, 360, (224, 172, 140), -1)
        cv2.rectangle(rgb, (200, 120), (600, 372), (236, 232, 222), -1)  # the card lies on the palm
    return rgb


def test_a_hand_holding_the_card_is_not_a_cut_edge():
    import cv2

    from tickets.analysis.checks import cut_edges, outline, skin

    rgb = _card_scene(hand=True)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    assert cut_edges(outline(grey)) == ["bottom"]  # card and palm are one bright region
    assert cut_edges(outline(grey, exclude=skin(rgb))) == []
    assert not skin(_card_scene(hand=False)).any()  # a pale beige card is not skin


def test_glare_is_the_largest_highlight_not_scattered_white_patches_summed():
    import numpy as np

    from tickets.analysis import thresholds as T
    from tickets.analysis.checks import specular_glare

    yy, xx = np.mgrid[0:600, 0:800]
    base = np.full((600, 800, 3), (120, 110, 100), np.float32)
    for cx, cy in ((150, 450), (300, 470), (450, 450), (600, 470)):  # four small white patches (a collar)
        base += np.clip(1.6 - np.hypot(xx - cx, yy - cy) / 24.0, 0, 1)[..., None] * 400
    g = specular_glare(np.clip(base, 0, 255).astype(np.uint8))
    assert g.blobs == 4 and g.ratio < T.GLARE_RATIO < 4 * g.ratio  # each patch small, their sum would pass


def test_edge_width_does_not_change_with_exposure():
    import cv2
    import numpy as np

    from tickets.analysis.checks import edge_width

    rng = np.random.default_rng(1)
    page = np.full((400, 600), 40, np.float32)
    for _ in range(40):
        x, y = int(rng.integers(20, 560)), int(rng.integers(20, 370))
        page[y:y + 12, x:x + 30] = 220
    soft = cv2.GaussianBlur(page, (0, 0), 2.5)
    lit, dark = soft.astype(np.uint8), (soft * 0.25).astype(np.uint8)
    assert edge_width(lit) > 4.0
    assert abs(edge_width(dark) - edge_width(lit)) < 0.6


def test_a_sharp_small_image_is_not_blurry():
    import cv2
    import numpy as np

    from tickets.analysis import thresholds as T
    from tickets.analysis.checks import sharpness

    rng = np.random.default_rng(2)
    small = np.full((300, 220), 200, np.uint8)
    for _ in range(60):
        x, y = int(rng.integers(0, 200)), int(rng.integers(0, 290))
        cv2.putText(small, "A", (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.4, 30, 1)
    assert sharpness(small) >= T.BLURRY_SHARPNESS


def test_a_selfie_without_a_face_is_no_face_not_blurry():
    from tickets.analysis.pipeline import photo_defects

    found = [c for c, _ in photo_defects(_facts(kind="selfie", faces=[], edge_width=8.0, sharpness=10.0))]
    assert found == ["no_face"]


def test_a_document_mostly_outside_the_frame_is_cropped_though_it_shows_little_of_itself():
    from tickets.analysis.checks import Outline, cut_edges

    assert cut_edges(Outline(area_ratio=0.11, fill=0.93, aspect=1.3, touches=["right"])) == ["right"]
    assert cut_edges(Outline(area_ratio=0.05, fill=0.93, aspect=1.3, touches=["right"])) == []  # a scrap, not a card
