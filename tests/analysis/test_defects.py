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


def test_an_other_attachment_gets_photo_defects_only_when_it_may_be_a_document_or_a_selfie():
    """A soft, dark receipt asks nothing of the customer; a picture the model was unsure about still gets them."""
    from tickets.analysis import thresholds as T
    from tickets.analysis.pipeline import photo_defects

    soft = dict(kind="other", edge_width=6.5, faces=[])
    assert photo_defects(_facts(**soft, kyc_chance=0.05)) == []
    assert photo_defects(_facts(**soft, kyc_chance=0.05, brightness=30, brightness_p95=80)) == []
    assert [c for c, _ in photo_defects(_facts(**soft, kyc_chance=T.OTHER_DEFECTS_MIN_KYC_CHANCE))] == ["blurry"]
    assert [c for c, _ in photo_defects(_facts(kind="id_document", edge_width=6.5, kyc_chance=0.0))] == ["blurry"]


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


def _plain_table_scene(*, shift: int = 0, shadow: bool = False, hand: bool = False, grain: bool = False):
    """A cream card with print and a portrait on a plain pale table (close to the card's own lightness); `shift`
    moves it left, out of the frame; `shadow` adds a soft cast shadow running off the frame; `hand` a palm under
    it running off the bottom edge; `grain` makes the table a striped grey cloth, lines running across it."""
    import cv2
    import numpy as np

    rgb = np.full((900, 1200, 3), (150, 150, 156) if grain else (214, 226, 218), np.uint8)
    rng = np.random.default_rng(3)
    for y in rng.integers(0, 900, 60 if grain else 0):
        cv2.line(rgb, (0, int(y)), (1199, int(y) + int(rng.integers(-40, 40))), (90, 90, 100), 3)
    if shadow:
        tri = np.zeros((900, 1200), np.float32)
        cv2.fillPoly(tri, [np.array([[700, 0], [1200, 0], [1200, 900], [950, 900]], np.int32)], 1.0)
        rgb = (rgb * (1 - 0.35 * cv2.GaussianBlur(tri, (0, 0), 25))[..., None]).astype(np.uint8)
    if hand:
        cv2.ellipse(rgb, (600, 860), (260, 240), 0, 0, 360, (224, 172, 140), -1)
    x0, y0 = 350 - shift, 250
    card = np.array([[x0, y0], [x0 + 520, y0 + 12], [x0 + 510, y0 + 340], [x0 - 8, y0 + 328]], np.int32)
    cv2.fillPoly(rgb, [card], (236, 232, 220))
    cv2.rectangle(rgb, (x0 + 30, y0 + 60), (x0 + 160, y0 + 230), (120, 100, 90), -1)  # the portrait
    for i in range(6):
        cv2.putText(rgb, "NAME SURNAME 1990", (x0 + 190, y0 + 80 + 38 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.8,
                    (40, 40, 60), 2)
    cv2.putText(rgb, "P<CHNZHANG<<WEI<<<<<<<<<<", (x0 + 20, y0 + 300), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (30, 30, 30), 2)
    return rgb


def test_a_card_cut_by_the_frame_on_a_plain_light_table_is_cropped():
    import cv2

    from tickets.analysis.checks import card_cut, cut_edges, outline

    cut = _plain_table_scene(shift=450)
    assert cut_edges(outline(cv2.cvtColor(cut, cv2.COLOR_RGB2GRAY))) == []  # the bright region is card and table
    assert card_cut(cut) == ["left"]
    assert card_cut(_plain_table_scene()) == []  # wholly in view


def test_a_soft_shadow_or_a_hand_running_off_the_frame_is_no_cut_card():
    from tickets.analysis.checks import card_cut

    assert card_cut(_plain_table_scene(shadow=True)) == []
    assert card_cut(_plain_table_scene(hand=True)) == []


def test_a_tight_scan_or_a_textured_table_is_left_to_the_outline():
    import cv2
    import numpy as np

    from tickets.analysis.checks import card_cut

    page = np.full((900, 1200, 3), (236, 232, 220), np.uint8)  # a tight scan: print wherever the page goes
    for i in range(20):
        cv2.putText(page, "SURNAME GIVEN NAMES 1990 PASSPORT", (5 + 37 * (i % 3), 40 + 44 * i),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.0, (40, 40, 60), 2)
    assert card_cut(page) == []
    assert card_cut(_plain_table_scene(shift=450, grain=True)) == []


def test_analyse_reports_a_passport_cut_by_the_frame_on_a_plain_light_table():
    import io
    from datetime import date

    from PIL import Image

    from demo.images import _document_face
    from tickets.analysis import analyse
    from tickets.analysis.ocr import default_engine

    face = _document_face("passport", expiry=date(2031, 5, 1), with_mrz=True, surname="ZHANG", given="WEI",
                          number="E12345678")
    found = {}
    for left in (-260, 300):  # a quarter of the page outside the left edge; wholly in view
        canvas = Image.new("RGB", (1600, 1200), (214, 226, 218))
        canvas.paste(face.resize((1000, int(face.height * 1000 / face.width))), (left, 250))
        buf = io.BytesIO()
        canvas.save(buf, "JPEG", quality=90)
        found[left] = analyse(buf.getvalue(), filename="IMG_2.jpg", ocr=default_engine(), preview=False)
    assert found[-260].kind == "id_document" and found[-260].defect_details["cropped"]["edges"] == ["left"]
    assert found[300].kind == "id_document" and "cropped" not in found[300].defects


def test_a_cut_seen_by_its_edges_is_drawn_on_the_preview():
    """The cropped evidence and the preview agree: the card the edges found is outlined and labelled as cut."""
    import io

    from PIL import Image

    from tickets.analysis import analyse
    from tickets.analysis.checks import card_cut_quad
    from tickets.analysis.ocr import default_engine
    from tickets.analysis.preview import marks_of

    scene = _plain_table_scene(shift=450)
    edges, quad = card_cut_quad(scene)
    assert edges == ["left"] and len(quad) == 4
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    assert min(xs) <= 20 and 300 <= max(xs) <= 500 and 200 <= min(ys) and max(ys) <= 640  # the card, in frame px
    assert card_cut_quad(_plain_table_scene()) == ([], [])
    buf = io.BytesIO()
    Image.fromarray(scene).save(buf, "JPEG", quality=92)
    res = analyse(buf.getvalue(), filename="passport.jpg", ocr=default_engine())
    assert res.kind == "id_document" and res.defect_details["cropped"]["seen_by"] == "edges"
    [document] = [m for m in marks_of(res.preview_png)["marks"] if m["kind"] == "document"]
    assert document["params"]["cut"] == ["left"]
    assert max(x for x, _ in document["points"]) < 0.5 * 1000  # the card's quad, not the whole frame
