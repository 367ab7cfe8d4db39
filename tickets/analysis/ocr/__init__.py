"""OCR behind one interface: PP-OCR (rapidocr) and Tesseract, chosen per image, one instance per process.

KYCTRIAGE_OCR_ENGINE picks the engine: ``auto`` (default; the policy in OcrEngine.engine_for, chosen by
measurement), ``rapidocr`` or ``tesseract``. Tesseract is the fallback when rapidocr cannot be imported or raises;
each reading says which engine produced it. Traditional Chinese lines PP-OCR read are completed by Tesseract chi_tra
(traditional.py: PP-OCR's recogniser lacks many Traditional characters). KYCTRIAGE_OCR_THREADS sets ONNX Runtime's
intra-op threads (1: one worker process per core).
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..result import OcrLine
from .tesseract import (DEFAULT_LANG, DOCUMENT_PSM, MRZ_PSM, SCREEN_PSM, OcrTimeout, TesseractEngine, is_dark,
                        merge_readings, plain_tesseract, prepare, tessdata_path, unread_regions)
from .text import character_error_rate, cjk_punctuation, has_cjk, remove_cjk_spaces

if TYPE_CHECKING:
    from PIL import Image

    from .rapid import RapidOcrEngine

__all__ = ["DEFAULT_LANG", "DOCUMENT_PSM", "ENGINES", "MRZ_PSM", "SCREEN_PSM", "OcrEngine", "OcrReading", "OcrTimeout",
           "TesseractEngine", "character_error_rate", "cjk_punctuation", "default_engine", "engine_setting",
           "has_cjk", "is_dark", "merge_readings", "plain_tesseract", "prepare", "remove_cjk_spaces",
           "reset_default_engine", "tessdata_path", "threads_setting", "timeout_setting", "unread_regions"]

logger = logging.getLogger(__name__)

ENGINES = ("auto", "rapidocr", "tesseract")


def engine_setting(environ: dict | None = None) -> str:
    """KYCTRIAGE_OCR_ENGINE, checked: a typo stops the worker at start instead of silently using a default."""
    raw = (environ if environ is not None else os.environ).get("KYCTRIAGE_OCR_ENGINE", "").strip().lower()
    value = raw or "auto"
    if value not in ENGINES:
        raise ValueError("KYCTRIAGE_OCR_ENGINE=%r is not one of %s" % (raw, ", ".join(ENGINES)))
    return value


def _positive_setting(environ: dict | None, name: str, default, cast, words: str):
    """A number > 0 read from the environment (KYCTRIAGE_OCR_*), or ValueError that names the variable."""
    raw = (environ if environ is not None else os.environ).get(name, "").strip()
    if not raw:
        return default
    try:
        value = cast(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError("%s=%r is not %s" % (name, raw, words))
    return value


def timeout_setting(environ: dict | None = None) -> float:
    """KYCTRIAGE_OCR_TIMEOUT_SECONDS: how long one OCR run may take (seconds, > 0); default 60."""
    return _positive_setting(environ, "KYCTRIAGE_OCR_TIMEOUT_SECONDS", 60.0, float, "a number of seconds above 0")


def threads_setting(environ: dict | None = None) -> int:
    """KYCTRIAGE_OCR_THREADS (ONNX Runtime intra-op threads per process), a whole number >= 1; default 1."""
    return _positive_setting(environ, "KYCTRIAGE_OCR_THREADS", 1, int, "a whole number >= 1")


@dataclass
class OcrReading:
    """Lines of one image and how they were read: the engine that ran, and why another one did not."""

    lines: list[OcrLine]
    engine: str
    second_pass: int = 0  # rows re-read with chi_tra+eng: Tesseract's second pass, or PP-OCR's Traditional lines
    fallback: str = ""  # why the chosen engine was replaced by Tesseract, "" when it was not
    seconds: float = 0.0
    details: dict = field(default_factory=dict)


class OcrEngine:
    """The OCR interface the pipeline uses: screens, photos and MRZ bands, each routed to the engine that reads it
    best for its cost; Tesseract reads MRZ bands (restricted charset) and everything rapidocr cannot.
    """

    def __init__(self, engine: str | None = None, *, threads: int | None = None, lang: str = DEFAULT_LANG,
                 tessdata: str | None = None, timeout: float | None = None) -> None:
        self.setting = engine_setting({"KYCTRIAGE_OCR_ENGINE": engine}) if engine else engine_setting()
        self.threads = threads or threads_setting()
        self.tesseract = TesseractEngine(lang=lang, tessdata=tessdata)
        self.timeout = timeout if timeout is not None else timeout_setting()
        self._rapid: RapidOcrEngine | None = None
        self._rapid_error = ""  # set once rapidocr failed to load: no retry per image
        self._lock = threading.Lock()

    @property
    def timeout(self) -> float:
        """Seconds one OCR run may take (either engine); past it OcrTimeout, and the attachment fails with it."""
        return self.tesseract.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self.tesseract.timeout = seconds

    # --- policy -------------------------------------------------------------------------------------------------
    def engine_for(self, purpose: str) -> str:
        """Which engine reads a 'screen' or a 'photo' under the setting (MRZ bands always go to Tesseract).

        auto = PP-OCR for screens and photos, chosen by measurement (2026-12, CPU s on one core):
        - bench/ocr_engines.py, 144 screens (zh, zh-Hant, en x 4 themes x 6 styles x 2 sizes): key-line CER
          PP-OCR 0.000 zh / 0.012 en / 0.116 zh-Hant against Tesseract 0.152 / 0.127 / 0.278, better in every
          language x theme cell and every style but banners (0.044 vs 0.030); 0.42-0.45 s against 0.28-0.53 s.
          Tesseract is nowhere "as good and faster" on screens: even English light screens read 0.010 vs 0.170.
        - evalsets/images tune part, 235 screens drawn independently: CER 0.046 against 0.115.
        - documents: on the 19 real specimens PP-OCR read 1.1-3x the lines and words (one scan Tesseract read
          nothing at all); a 12-MP passport photo's full analysis cost 0.96-1.01 s against 0.76-0.88 s.
        Tesseract keeps MRZ bands (charset A-Z0-9<) and is the fallback for anything PP-OCR cannot read; its chi_tra
        model completes the Traditional Chinese lines PP-OCR read (traditional.py; evalsets/images/RESULTS-ocr.md).
        """
        if self.setting != "auto":
            return self.setting
        return "rapidocr" if purpose in ("screen", "photo") else "tesseract"

    # --- reading ------------------------------------------------------------------------------------------------
    def read(self, image: Image.Image, *, purpose: str = "screen") -> OcrReading:
        """OCR a 'screen' (rendered pixels) or a 'photo' (camera picture, RGB); falls back to Tesseract on failure."""
        import time

        start = time.perf_counter()
        fallback = ""
        if self.engine_for(purpose) == "rapidocr":
            rapid = self._rapid_engine()
            if rapid is None:
                fallback = self._rapid_error
            else:
                try:
                    read = rapid.read_screen if purpose == "screen" else rapid.read_photo
                    lines = read(image, timeout=self.timeout)
                    lines, completed = self._complete_traditional(image, lines)
                    return OcrReading(lines, "rapidocr", second_pass=completed, seconds=time.perf_counter() - start)
                except (MemoryError, OcrTimeout):  # a run too long for one engine is not handed to the other
                    raise
                except Exception as exc:  # noqa: BLE001 - any engine failure: the image is still read, by Tesseract
                    logger.exception("rapidocr failed on a %s; reading it with Tesseract instead", purpose)
                    fallback = "rapidocr failed: %s" % (str(exc).splitlines()[0][:200] if str(exc) else
                                                         type(exc).__name__)
        if purpose == "screen":
            lines, second = self.tesseract.read_screen(image)
        else:
            lines, second = self.tesseract.read_photo(image), 0
        return OcrReading(lines, "tesseract", second_pass=second, fallback=fallback,
                          seconds=time.perf_counter() - start)

    def _complete_traditional(self, image: Image.Image, lines: list[OcrLine]) -> tuple[list[OcrLine], int]:
        """PP-OCR's lines with the Traditional Chinese ones completed by Tesseract chi_tra (traditional.py); PP-OCR's
        lines unchanged, and the reason logged, when that pass fails (an OCR timeout still fails the image)."""
        from .traditional import complete_traditional

        try:
            return complete_traditional(image, lines, self.tesseract.read_line_symbols)
        except (MemoryError, OcrTimeout):
            raise
        except Exception:  # noqa: BLE001 - e.g. chi_tra data missing: the lines PP-OCR read are still good
            logger.exception("the Traditional Chinese pass failed; keeping PP-OCR's lines as read")
            return lines, 0

    def read_screen(self, image: Image.Image) -> tuple[list[OcrLine], int]:
        """Lines of a rendered screen and the rows re-read with chi_tra (see OcrReading.second_pass)."""
        reading = self.read(image, purpose="screen")
        return reading.lines, reading.second_pass

    def read_photo(self, image: Image.Image) -> list[OcrLine]:
        """Lines of a camera photo (RGB)."""
        return self.read(image, purpose="photo").lines

    def read_lines(self, image: Image.Image, *, psm: int = SCREEN_PSM, prepared: bool = False,
                   scale: float = 1.0) -> list[OcrLine]:
        """Tesseract with an explicit page segmentation mode (callers that need exactly that)."""
        return self.tesseract.read_lines(image, psm=psm, prepared=prepared, scale=scale)

    def read_mrz(self, image: Image.Image) -> list[str]:
        """A cropped MRZ band, read by Tesseract with the charset A-Z0-9< (no dictionary)."""
        return self.tesseract.read_mrz(image)

    # --- lifecycle ----------------------------------------------------------------------------------------------
    def _rapid_engine(self) -> RapidOcrEngine | None:
        """The rapidocr engine, created on first use; None (and the reason kept) when it cannot be loaded."""
        if self._rapid is not None or self._rapid_error:
            return self._rapid
        with self._lock:
            if self._rapid is None and not self._rapid_error:
                try:
                    from .rapid import RapidOcrEngine

                    self._rapid = RapidOcrEngine(threads=self.threads)
                except MemoryError:
                    raise
                except Exception as exc:  # noqa: BLE001 - ImportError, a missing model, an ONNX Runtime error
                    self._rapid_error = "rapidocr unavailable: %s: %s" % (type(exc).__name__, exc)
                    logger.error("%s; every image is read with Tesseract in this process", self._rapid_error)
        return self._rapid

    @property
    def second_passes(self) -> int:
        """Screens Tesseract re-read with chi_tra (a counter for tests and benchmarks)."""
        return self.tesseract.second_passes

    @property
    def backend(self) -> str:
        """What reads screens here: rapidocr, tesserocr or pytesseract."""
        if self.engine_for("screen") == "rapidocr" and self._rapid_engine() is not None:
            return "rapidocr"
        return self.tesseract.backend

    def warm(self) -> None:
        """Load the models this setting uses now (worker start, benchmarks), not on the first image."""
        if "rapidocr" in (self.engine_for("screen"), self.engine_for("photo")):
            self._rapid_engine()
        self.tesseract.warm()

    def close(self) -> None:
        """Free the engines (they are recreated on next use)."""
        self.tesseract.close()
        with self._lock:
            if self._rapid is not None:
                self._rapid.close()
            self._rapid = None
            self._rapid_error = ""


_default_engine: OcrEngine | None = None
_default_lock = threading.Lock()


def default_engine() -> OcrEngine:
    """The one OcrEngine of this process (created on first use; every caller shares it)."""
    global _default_engine
    if _default_engine is None:
        with _default_lock:
            if _default_engine is None:
                _default_engine = OcrEngine()
    return _default_engine


def reset_default_engine() -> None:
    """Forget the process's engine (tests; after fork): the next default_engine() builds a new one."""
    global _default_engine, _default_lock
    _default_engine = None
    _default_lock = threading.Lock()


# A forked child (Celery's prefork pool) must not share the parent's ONNX Runtime sessions, Tesseract handles or a
# lock another thread held at fork time: it builds its own engine on first use.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=reset_default_engine)
