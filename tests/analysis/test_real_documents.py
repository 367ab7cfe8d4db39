"""Real specimen documents (photos and scans this project did not draw) are recognised and judged fairly.

The images live outside the repository, in ../shared/corpus/real-documents (or KYCTRIAGE_REAL_DOCS_DIR), with an
INDEX.tsv naming the document, its MRZ format and whether the MRZ is fully legible. They are a test, never
tuning data: every one is an `id_document`, every legible MRZ is read with valid check digits, and none carries
`glare`, `cropped` or `no_face` (clean scans and photos, none cut by the frame, each with its portrait or a back
side that has none).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from .conftest import REFERENCE

ROOT = Path(__file__).resolve().parents[2]
DOCS = Path(os.environ.get("KYCTRIAGE_REAL_DOCS_DIR") or os.environ.get("KYCTRIAGE_REAL_DOCUMENTS_DIR")
            or ROOT.parent / "shared" / "corpus" / "real-documents")
NOT_ON_A_CLEAN_DOCUMENT = {"glare", "cropped", "no_face"}
# Known misses, each with what the analysis sees (kept strict: a fix makes the test say so).
KIND_MISSES: dict[str, str] = {}


def _index() -> list[dict]:
    if not (DOCS / "INDEX.tsv").exists():
        return []
    with open(DOCS / "INDEX.tsv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = _index()
pytestmark = pytest.mark.skipif(not ROWS, reason="real specimen documents not found at %s (set "
                                                  "KYCTRIAGE_REAL_DOCS_DIR to the folder holding INDEX.tsv)" % DOCS)


@pytest.fixture(scope="module")
def analysed_real(engine):
    """analysed_real(file) -> AnalysisResult, each document analysed once per module."""
    from tickets.analysis import analyse

    cache: dict[str, object] = {}

    def run(name: str):
        if name not in cache:
            cache[name] = analyse((DOCS / name).read_bytes(), filename=name, reference_date=REFERENCE, ocr=engine,
                                  preview=False)
        return cache[name]
    return run


@pytest.mark.parametrize("row", [pytest.param(r, marks=pytest.mark.xfail(reason=KIND_MISSES[r["file"]], strict=True))
                                 if r["file"] in KIND_MISSES else r for r in ROWS], ids=[r["file"] for r in ROWS])
def test_every_real_document_is_an_id_document(analysed_real, row):
    r = analysed_real(row["file"])
    assert r.kind == "id_document", (r.metrics.get("kind_reason"), r.metrics.get("kind_features"))


@pytest.mark.parametrize("row", [r for r in ROWS if r["mrz_legible"] == "yes"],
                         ids=[r["file"] for r in ROWS if r["mrz_legible"] == "yes"])
def test_a_legible_mrz_is_read_with_valid_check_digits(analysed_real, row):
    r = analysed_real(row["file"])
    assert r.mrz is not None, r.ocr_text
    assert r.mrz["checks_ok"], (r.mrz["lines"], r.mrz["checks"])


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_no_glare_cut_or_missing_face_on_a_clean_document(analysed_real, row):
    r = analysed_real(row["file"])
    wrong = NOT_ON_A_CLEAN_DOCUMENT & set(r.defects)
    assert not wrong, {code: r.defect_details[code] for code in wrong}
