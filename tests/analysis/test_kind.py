"""Kind comes from the picture; the filename only breaks ties."""

from __future__ import annotations

import pytest

from tickets.analysis.kind import filename_hint


@pytest.mark.parametrize("spec,kind", [
    ({"type": "screenshot", "theme": "light", "lang": "zh"}, "screenshot"),
    ({"type": "screenshot", "theme": "dark", "lang": "en"}, "screenshot"),
    ({"type": "id_document", "doc": "passport"}, "id_document"),
    ({"type": "id_document", "doc": "id_card", "with_mrz": False}, "id_document"),
    ({"type": "selfie"}, "selfie"),
    ({"type": "selfie", "faces": 2}, "selfie"),
])
def test_kind_from_image(analysed, spec, kind):
    assert analysed(**spec).kind == kind


def test_misleading_filename_does_not_override_image(analysed):
    assert analysed(type="id_document", filename="selfie.jpg").kind == "id_document"
    assert analysed(type="screenshot", lang="en", theme="light", filename="passport.png").kind == "screenshot"


def test_faceless_photo_is_other_unless_named():
    assert filename_hint("IMG_2041.jpg") is None
    assert filename_hint("my selfie.jpg") == "selfie"
    assert filename_hint("护照.jpg") == "id_document"
    assert filename_hint("Screenshot_20261101.png") == "screenshot"


def test_customer_words_suggest_a_kind():
    from tickets.analysis.kind import message_hint

    assert message_hint("Here is my selfie, the app keeps rejecting it") == "selfie"
    assert message_hint("附件是我的自拍") == "selfie"
    assert message_hint("passport photo attached") == "id_document"
    assert message_hint("see the screenshot") == "screenshot"
    assert message_hint("Hello, any news?") is None


def test_document_words_are_found_in_many_languages_and_without_spaces():
    from tickets.analysis.kind import document_words

    assert document_words("REISEPASS") and document_words("PASSEPORT") and document_words("护照")
    assert document_words("居民身份证") and document_words("驾驶证") and document_words("CARTE D'IDENTITÉ")
    assert document_words("DATEOFBIRTH") and document_words("IDENTITY CARD")
    assert not document_words("Upload failed: network timeout")


def _features(**over):
    from tickets.analysis.kind import FEATURES

    base = dict.fromkeys(FEATURES, 0.0)
    base["flatness"] = 0.3
    base.update(over)
    return base


def test_the_classifier_weighs_cues_together():
    """A verified MRZ makes a document even without an outline; a big face makes a selfie; flat UI a screen."""
    from tickets.analysis.kind import classify

    assert classify(_features(mrz=1, mrz_ok=1, text_density=0.8, ocr_chars=0.5)).kind == "id_document"
    assert classify(_features(outline=1, outline_card=1, portrait=1, faces=1 / 3, face_share=0.4,
                              document_words=0.5, text_density=0.6)).kind == "id_document"
    assert classify(_features(face_share=1.0, faces=1 / 3, upright=1, edge_density=0.2)).kind == "selfie"
    assert classify(_features(flatness=0.97, phone_aspect=1, upright=1, screen_words=0.75, ocr_chars=0.3,
                              text_density=0.4)).kind == "screenshot"
    assert classify(_features(hint_selfie=1, upright=1)).kind == "selfie"  # "my selfie", and no face in it
    verdict = classify(_features(mrz=1, mrz_ok=1))
    assert "mrz" in verdict.reason and abs(sum(verdict.probabilities.values()) - 1) < 0.01


def test_a_photo_sent_as_a_selfie_without_a_face_is_a_selfie_with_no_face():
    from tickets.analysis import analyse
    from tickets.analysis.ocr import default_engine
    from demo.images import make_selfie

    r = analyse(make_selfie(defects=("no_face",)), filename="IMG_0001.jpg", hint="selfie", ocr=default_engine(),
                preview=False)
    assert r.kind == "selfie" and "no_face" in r.defects


def test_the_model_file_matches_the_features_and_says_what_it_was_fitted_on():
    import json

    from tickets.analysis.kind import FEATURES, KINDS, MODEL_PATH

    model = json.loads(MODEL_PATH.read_text())
    assert model["features"] == list(FEATURES) and model["kinds"] == list(KINDS)
    assert model["fitted_on"]["script"] == "scripts/fit_kind_model.py"
