"""Attachment kind from the picture itself (screen flats, document outline, MRZ, faces); filename breaks ties."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import thresholds as T

SCREENSHOT, ID_DOCUMENT, SELFIE, OTHER = "screenshot", "id_document", "selfie", "other"

_NAME_HINTS = (
    (SCREENSHOT, re.compile(r"screen ?shot|screen|snip|capture|截图|截屏|屏幕", re.I)),
    (SELFIE, re.compile(r"selfie|face|portrait|liveness|自拍|人脸|头像|本人", re.I)),
    (ID_DOCUMENT, re.compile(r"passport|(?<![a-z])id(?![a-z])|id[_ -]?card|licen[cs]e|document|护照|身份证|证件|驾照",
                             re.I)),
)


def filename_hint(filename: str) -> str | None:
    """A kind suggested by the filename (weak evidence only)."""
    stem = filename.rsplit("/", 1)[-1]
    for kind, rx in _NAME_HINTS:
        if rx.search(stem):
            return kind
    return None


def looks_like_screen(flatness: float, aspect: float) -> bool:
    """Rendered UI: mostly exactly-flat pixels; a phone's tall aspect lowers the bar."""
    return flatness >= T.SCREEN_FLAT_RATIO or (flatness >= T.SCREEN_FLAT_RATIO * 0.8 and aspect >= T.PHONE_ASPECT_MIN)


@dataclass
class KindVerdict:
    """The chosen kind and the human reason for it."""

    kind: str
    reason: str


def classify_photo(*, mrz_found: bool, card_like: bool, faces: list[tuple[int, int, int, int]], frame_area: int,
                   text_density: float, filename: str = "") -> KindVerdict:
    """Decide among id_document / selfie / other for a camera photo."""
    if mrz_found:
        return KindVerdict(ID_DOCUMENT, "machine-readable zone found")
    if card_like:
        return KindVerdict(ID_DOCUMENT, "card-shaped document outline")
    hint = filename_hint(filename)
    if faces:
        share = faces[0][2] * faces[0][3] / float(max(1, frame_area))
        if share >= T.FACE_DOMINANT_AREA and text_density <= T.SELFIE_MAX_TEXT_DENSITY:
            return KindVerdict(SELFIE, "dominant face (%.1f%% of the frame), little text" % (100 * share))
        if len(faces) > 1 and text_density <= T.SELFIE_MAX_TEXT_DENSITY:
            return KindVerdict(SELFIE, "%d faces, little text" % len(faces))
    if hint in (SELFIE, ID_DOCUMENT):
        return KindVerdict(hint, "filename suggests %s" % hint)
    return KindVerdict(OTHER, "no document outline, MRZ or dominant face")
