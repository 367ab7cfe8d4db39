"""Previews as people see them: labelled in the agent's language, blurred for people who may not see identity data."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from ..evidence import EDGES as EDGE_LABELS
from ..taxonomy import Defect

# the widths served: large enough to read a phone screenshot's error text, and a thumbnail for strips and lists
PREVIEW_WIDTHS = {"large": None, "thumb": 360}
RENDER_VERSION = "1"  # bump when the drawing changes, so browsers fetch the new picture (part of the ETag)


def preview_for_viewer(png: bytes, *, size: str = "large") -> bytes:
    """A stored preview labelled in the active language (English when no CJK font is installed); JPEG bytes."""
    from ..analysis.preview import annotate, cjk_font

    font = cjk_font()
    language = translation.get_language() or "en"
    if font is None and not language.startswith("en"):
        language = "en"  # without a CJK font Chinese labels would be boxes: English, and the log says why
    with translation.override(language):
        return annotate(png, preview_label, width=PREVIEW_WIDTHS.get(size), font_path=font)


def preview_label(kind: str, params: dict) -> str:
    """What a mark on a preview says, in the active language (never the text that was read: that is in view)."""
    if kind == "defect":
        code = params.get("code", "")
        return str(Defect(code).label) if code in Defect.values else code
    if kind == "glare":
        return _("Glare %(percent)s%%") % {"percent": _number(params.get("percent", 0))}
    if kind == "document":
        cut = [EDGE_LABELS.get(edge, edge) for edge in params.get("cut", [])]
        if cut:
            return _("Document cut off: %(edges)s") % {"edges": _(", ").join(str(e) for e in cut)}
        return _("Document")
    if kind == "face":
        number, count = int(params.get("number", 1)), int(params.get("of", 1))
        if count > 1:
            return _("Face %(number)d of %(count)d") % {"number": number, "count": count}
        return _("Face")
    if kind == "mrz":
        return _("MRZ: check digits valid") if params.get("checks_ok") else _("MRZ: check digits do not match")
    if kind == "error":
        return _("Error message")
    if kind == "expiry":
        return _("Expiry date")
    return ""


def _number(value: object) -> str:
    """12.0 -> "12", 12.5 -> "12.5"."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    return ("%d" % number) if number == int(number) else ("%.1f" % number)


def preview_blurred(png: bytes) -> bytes:
    """The whole preview blurred beyond reading (for previews drawn before redacted ones existed)."""
    import cv2
    import numpy as np

    img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    if img is None:
        return b""
    h, w = img.shape[:2]
    small = cv2.resize(img, (max(1, w // 32), max(1, h // 32)), interpolation=cv2.INTER_AREA)
    img = cv2.GaussianBlur(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR), (0, 0), 8)
    ok, out = cv2.imencode(".png", img)
    return out.tobytes() if ok else b""

