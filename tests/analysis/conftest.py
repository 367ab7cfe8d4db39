"""Shared fixtures: one OCR engine per test session and cached analyses of generated images."""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache

import pytest

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

REFERENCE = date(2026, 11, 27)


@pytest.fixture(scope="session")
def engine():
    """One Tesseract per session: loading chi_sim per test would dominate the run time."""
    from tickets.analysis.ocr import OcrEngine

    eng = OcrEngine()
    yield eng
    eng.close()


@lru_cache(maxsize=None)
def _cached(key: tuple):
    """Generate and analyse one attachment spec once per session (specs are hashable tuples of items)."""
    from tickets.analysis import analyse
    from tickets.analysis.ocr import default_engine
    from demo.images import make_attachment

    spec = {k: (list(v) if isinstance(v, tuple) and k in ("defects", "lines") else v) for k, v in key}
    name, data, _ = make_attachment(spec)
    return analyse(data, filename=name, reference_date=REFERENCE, ocr=default_engine())


@pytest.fixture(scope="session")
def analysed():
    """analysed(type=..., **kwargs) -> AnalysisResult, cached across tests."""
    def run(**spec):
        key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in spec.items()))
        return _cached(key)
    return run
