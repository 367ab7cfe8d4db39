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
