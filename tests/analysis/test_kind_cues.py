"""The cues the kind classifier and the face defects stand on: faces the frame cuts, text beside a portrait,
a frame taller than a camera's, document field labels."""

from __future__ import annotations

import numpy as np
import pytest


def _astronaut_grey() -> np.ndarray:
    import cv2
    from skimage import data

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2GRAY)


def test_a_face_cut_by_the_frame_edge_is_still_found():
    """A close selfie whose face crosses the left border (a third of it outside the picture)."""
    from tickets.analysis.faces import detect_faces

    grey = _astronaut_grey()
    [(x, y, w, h)] = detect_faces(grey)
    crop = np.ascontiguousarray(grey[0:y + 3 * h, x + int(0.3 * w):x + int(0.3 * w) + int(2.2 * w)])
    faces = detect_faces(crop)
    assert len(faces) == 1
    fx, fy, fw, fh = faces[0]
    assert fx == 0 and abs(fy - y) < h // 3 and fw < w, faces  # the visible part of the face, at its place
    assert detect_faces(crop, thorough=False) == []  # rendered screens skip that second search


def test_a_plain_wall_has_no_face_even_after_the_second_search():
    from tickets.analysis.faces import detect_faces

    rng = np.random.default_rng(3)
    wall = np.clip(200 + rng.normal(0, 4, (900, 600)), 0, 255).astype("uint8")
    assert detect_faces(wall) == []


def test_text_beside_a_face_marks_a_printed_portrait():
    """Name and date lines right of the face read as text; a selfie's shoulders and background do not."""
    import cv2

    from tickets.analysis.faces import detect_faces
    from tickets.analysis.kind import FACE_TEXT_PRINTED, text_beside_face

    grey = _astronaut_grey()
    [face] = detect_faces(grey)
    assert text_beside_face(grey, face) < FACE_TEXT_PRINTED

    card = np.full((400, 640), 235, np.uint8)
    portrait = cv2.resize(grey[40:200, 150:300], (150, 160))
    card[60:220, 30:180] = portrait
    for i, line in enumerate(["SURNAME / NOM", "MUELLER", "GIVEN NAMES", "ANNA MARIA", "12.03.1985  BERLIN"]):
        cv2.putText(card, line, (210, 80 + 32 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 30, 2)
    assert text_beside_face(card, (40, 75, 130, 130)) >= FACE_TEXT_PRINTED
    assert text_beside_face(card, None) == 0.0


@pytest.mark.parametrize("size,tall", [((1080, 2340), True), ((1170, 2532), True), ((720, 1500), True),
                                       ((3024, 4032), False), ((1080, 1920), False), ((2252, 4000), False),
                                       ((2340, 1080), False)])
def test_an_upright_frame_taller_than_16_9_is_a_phone_screen_shape(size, tall):
    from tickets.analysis.kind import tall_screen

    assert (tall_screen(*size) > 0.2) is tall


def test_lines_shaped_like_an_mrz_count_even_when_their_fields_do_not_parse():
    from tickets.analysis.kind import mrz_like_lines

    read = "MADRID\nIDESPAAA1000014<00000023T<<<<<\n7212018F1101236ESP<<<<<<<<<<<8\nESPANOLA<ESPANOLA<CARMEN<<<<<<"
    assert mrz_like_lines(read) == 3
    assert mrz_like_lines("Upload failed <<< retry\nVERIFY YOUR IDENTITY NOW PLEASE") == 0


def test_field_labels_of_cards_and_licences_are_document_words_but_app_errors_are_not():
    from tickets.analysis.kind import document_words

    assert document_words("RIJBEWIJS") and document_words("香港永久性居民身份證")
    assert document_words("FN\nEXP\nSEXF\nHGT 5'-04\"") and document_words("Address/ Adresse")
    assert document_words("Anschrift/Address") and document_words("PREFECTURE DE POLICE")
    for screen in ("Keep your face inside the circle", "Glare on your ID. Tilt it slightly",
                   "Your document has expired, please upload a valid one", "Verify your identity",
                   "Place your ID inside the frame", "Unisex styles", "证件反光，请调整角度"):
        assert not document_words(screen), screen


def test_the_new_cues_are_features_of_the_model():
    from tickets.analysis.kind import FEATURES, kind_features

    feats = kind_features(flatness=0.2, aspect=2340 / 1080, mrz=None, ocr_text="", outline=None, faces=[],
                          frame=(540, 1170), text_density=0.0, hint=None, face_text=0.1)
    assert set(feats) == set(FEATURES)
    assert feats["tall_screen"] == 1.0 and feats["face_text"] == 0.5 and feats["mrz"] == 0.0


def _wood(h: int = 900, w: int = 700) -> np.ndarray:
    """A saturated brown surface with light and dark wavy grain (what the brightness outline joins to a card)."""
    yy, xx = np.mgrid[0:h, 0:w].astype(float)
    grain = 0.5 + 0.5 * np.sin(xx / 23.0 + 3 * np.sin(yy / 57.0)) * np.cos(yy / 31.0 - 2 * np.sin(xx / 41.0))
    base = np.array([120, 70, 30], float)
    return np.clip(base[None, None, :] * (0.6 + 0.9 * grain[..., None]), 0, 255).astype(np.uint8)


def _card_on(surface: np.ndarray, angle: float, aspect: float = 1.586) -> np.ndarray:
    """A light grey ID card (text lines and a portrait block on it) turned by `angle` degrees on `surface`."""
    import cv2

    out = surface.copy()
    h, w = out.shape[:2]
    cw = int(w * 0.6)
    ch = int(cw / aspect)
    card = np.full((ch, cw, 3), 222, np.uint8)
    cv2.rectangle(card, (20, 30), (20 + ch // 2, 30 + int(ch * 0.6)), (90, 80, 75), -1)
    for j in range(6):
        cv2.line(card, (ch // 2 + 50, 40 + j * 30), (cw - 40, 40 + j * 30), (60, 60, 70), 4)
    m = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 1.0)
    big = (int(cw * 1.4), int(cw * 1.4))
    m[:, 2] += ((big[0] - cw) / 2, (big[1] - ch) / 2)
    turned = cv2.warpAffine(card, m, big, borderValue=(0, 0, 0))
    inside = cv2.warpAffine(np.full((ch, cw), 255, np.uint8), m, big) > 0
    y0, x0 = (h - big[1]) // 2, (w - big[0]) // 2
    region = out[y0:y0 + big[1], x0:x0 + big[0]]
    region[inside] = turned[inside]
    return out


@pytest.mark.parametrize("angle", [0, 17, 30, 110])
def test_a_card_turned_on_a_grained_surface_has_a_card_shape(angle):
    from tickets.analysis.kind import card_shape

    assert card_shape(_card_on(_wood(), angle)) >= 0.88


def test_a_surface_a_square_or_a_long_strip_has_no_card_shape():
    from tickets.analysis.kind import card_shape

    assert card_shape(_wood()) == 0.0
    assert card_shape(_card_on(_wood(), 20, aspect=1.0)) == 0.0  # a square (a sticky note, a coaster)
    assert card_shape(_card_on(_wood(), 20, aspect=3.0)) == 0.0  # a long strip (a ruler, a receipt)
    assert card_shape(np.full((600, 800, 3), 200, np.uint8)) == 0.0  # a blank frame


def test_a_fit_that_keeps_the_base_model_only_moves_the_images_the_new_cue_fires_on():
    """scripts/fit_kind_model.py --keep: the shipped weights stay, only the added feature's weights are fitted."""
    import importlib.util
    import json
    from pathlib import Path

    from tickets.analysis.kind import FEATURES, KINDS, MODEL_PATH

    spec = importlib.util.spec_from_file_location(
        "fit_kind_model", Path(__file__).resolve().parents[2] / "scripts" / "fit_kind_model.py")
    fitter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fitter)
    shipped = json.loads(MODEL_PATH.read_text())
    keep = [i for i, name in enumerate(FEATURES) if name != "card_shape"]
    base = dict(shipped, features=[FEATURES[i] for i in keep],
                weights={k: [shipped["weights"][k][i] for i in keep] for k in KINDS})
    rng = np.random.default_rng(0)
    rows = []
    for n in range(120):
        label = KINDS[n % 4]
        feats = {name: float(rng.random() < 0.2) for name in FEATURES}
        feats["card_shape"] = float(label == "id_document" and n % 8 == 1)
        rows.append((label, feats))
    model = fitter.fit_added(rows, base, c=10.0)
    assert model["features"] == list(FEATURES) and model["fitted_on"]["added"] == ["card_shape"]
    for k in KINDS:
        assert [model["weights"][k][i] for i in keep] == base["weights"][k]
        assert model["intercepts"][k] == base["intercepts"][k]
    card = FEATURES.index("card_shape")
    assert model["weights"]["id_document"][card] == max(model["weights"][k][card] for k in KINDS) > 0


# --- i10-kind3: what is read even when too little to parse, a portrait inside the card shape, a letter is no card


def test_dates_in_the_forms_documents_print_are_counted_and_screen_times_are_not():
    from tickets.analysis.kind import printed_dates

    assert printed_dates("07-12-1979\n19021985\n14年2月15日") == 3
    assert printed_dates("14.APR/4月1959\n15MAR/3月2017\n2023-08-28 至 2028-08-28\n01.02.2030") == 5
    for screen in ("12:30", "Upload failed, try again in 30 s", "Order 1234567890", "4G 87%", "2/3 steps"):
        assert printed_dates(screen) == 0, screen


def test_a_trace_of_an_mrz_counts_when_too_little_of_it_was_read_to_parse():
    from tickets.analysis.kind import kind_features, mrz_traces

    assert mrz_traces(">>>>>\nMIA") == 1  # fillers read as '>'
    assert mrz_traces("P<CHNLIecMINc\nU423858309CHN5904147M2703143") == 2  # a TD3 start, a run with digits
    for screen in ("Upload failed <<< retry", "<< Back", "3f9a2c9d0e1b4a7f8c6d5e4f3a2b1c0d", "Verify your identity"):
        assert mrz_traces(screen) == 0, screen
    feats = kind_features(flatness=0.2, aspect=1.33, mrz={"checks_ok": True}, ocr_text="P<UTOERIKSSON<<ANNA",
                          outline=None, faces=[], frame=(800, 600), text_density=0.0, hint=None)
    assert feats["mrz_trace"] == 0.0  # a parsed MRZ is the stronger cue: the trace is for what did not parse


def test_a_face_inside_the_card_shape_is_a_printed_portrait():
    """The card-shaped region found on wood holds the portrait; a face beside it or as big as it does not count."""
    from tickets.analysis.kind import card_region, portrait_in_card

    scene = _card_on(_wood(), 12)
    fill, box = card_region(scene)
    assert fill >= 0.88 and box is not None
    x, y, w, h = box
    assert 0.45 * 700 <= w <= 0.8 * 700  # the card (60 % of the frame's width, turned), not the frame
    portrait = (x + w // 5, y + h // 4, w // 6, h // 3)
    assert portrait_in_card([portrait], box)
    assert not portrait_in_card([(x + w + 20, y, 60, 60)], box)  # beside the card
    assert not portrait_in_card([(x, y, w, h)], box)  # as big as the card: a face, not a portrait on it
    assert not portrait_in_card([portrait], None)


def test_a_printed_letter_has_no_card_shape_but_a_tinted_passport_page_does():
    """An A4 sheet is 1.41:1 like a passport page; nearly all of a letter is plain white paper."""
    import cv2

    from tickets.analysis.kind import card_shape

    def page_on_wood(colour) -> np.ndarray:
        out = _wood(1000, 800)
        page = np.full((566, 400, 3), colour, np.uint8)
        for j in range(12):
            cv2.line(page, (40, 60 + 38 * j), (330, 60 + 38 * j), (40, 40, 40), 2)
        out[200:766, 200:600] = page
        return out

    assert card_shape(page_on_wood((248, 248, 246))) == 0.0
    assert card_shape(page_on_wood((214, 226, 236))) >= 0.88


def test_a_driving_licence_title_counts_even_with_its_small_character_misread():
    from tickets.analysis.kind import document_words

    assert document_words("中华人民共和国机动车驾驶证") and document_words("中华人民共和国机动车驾就证")
    assert document_words("請上傳您的機動車駕駛執照") and not document_words("请上传机动车行驶证照片")
