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
