"""Attachment kind from every cue together: a small learned classifier over measured features.

The cues (screen flatness, MRZ or a trace of one, document words in many languages, printed dates, a document
outline or card shape, a printed portrait or a dominant face, text density, the customer's words and the file
name) are turned into numbers by `kind_features()`; `classify()` applies a multinomial logistic regression whose
weights live in `kind_model.json` beside this module. The weights are fitted by `scripts/fit_kind_model.py` (it says on which
images); nothing here is a hand threshold on a single cue.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import thresholds as T

if TYPE_CHECKING:
    import numpy as np

SCREENSHOT, ID_DOCUMENT, SELFIE, OTHER = "screenshot", "id_document", "selfie", "other"
KINDS = (SCREENSHOT, ID_DOCUMENT, SELFIE, OTHER)
MODEL_PATH = Path(__file__).with_name("kind_model.json")

_NAME_HINTS = (
    (SCREENSHOT, re.compile(r"screen ?shot|screen|snip|capture|截图|截屏|屏幕", re.I)),
    (SELFIE, re.compile(r"selfie|face|portrait|liveness|自拍|人脸|头像|本人", re.I)),
    (ID_DOCUMENT, re.compile(r"passport|(?<![a-z])id(?![a-z])|id[_ -]?card|licen[cs]e|document|护照|身份证|证件|驾照",
                             re.I)),
)
# Words printed on identity documents, in the languages customers send (OCR may drop the spaces).
_DOCUMENT_WORDS = re.compile(
    r"passport|passeport|pasaporte|passaporto|reisepass|paszport|putovnica|cestovn|útlevél|utlevel|pasas|"
    r"travel\s*document|document\s*officiel|identity\s*card|identit[ée]\s*card|carte\s*d.?identit|"
    r"carte\s*nationale|personalausweis|documento\s*nacional|carta\s*d.?identit|identiteitskaart|"
    r"driv(?:ing|er'?s?)\s*licen[cs]e|permis\s*de\s*conduire|f[üu]hrerschein|residen(?:ce|t)\s*(?:permit|card)|"
    r"aufenthaltstitel|visa\b|surname|given\s*names?|date\s*of\s*(?:birth|expiry|issue)|place\s*of\s*birth|"
    r"nationality|nationalit[ée]|authority|autorit[ée]|issued\s*by|issuing\s*(?:state|authority)|national\s*id|"
    r"identification|identidad|identit[äa]t|lugar\s*de\s*nacimiento|fecha\s*de\s*nacimiento|nacionalidad|"
    r"apellidos|domicilio|date\s*de\s*naissance|lieu\s*de\s*naissance|pr[ée]noms?|geburtsdatum|geburtsort|"
    r"staatsangeh[öo]rigkeit|data\s*di\s*nascita|luogo\s*di\s*nascita|cognome|"
    r"护照|護照|居民身份证|身份证|身份證|身分證|驾驶证|駕駛執照|驾驶执照|居留|签证|簽證|旅券|在留|永久性居民|"
    r"姓名|出生|国籍|國籍|有效期|签发|簽發|公民身份号码|性别|性別|住址|签发机关|"
    r"机动车驾.?证|機動車駕.{0,2}照|"  # a driving licence's title, its small 驶 often misread (驾就证)
    # field labels of cards and licences, where the title itself is often too small or too stylised to read
    r"rijbewijs|paspoort|identiteitskaart|permis|licencia|patente|ausweis|carta\s*d.?identit|dowód|"
    r"address|adresse|anschrift|direcci[óo]n|indirizzo|"
    r"date\s*of\s*is|d\.?o\.?b\b|\bsex|geschlecht|hgt(?![a-z])|height|eyes\b|restrictions?|endorsements?|"
    r"pr[ée]fecture|department\s*of|motor\s*vehicles|d[ée]livr[ée]|ausgestellt|g[üu]ltig|v[áa]lid[oa]?\s*hasta|"
    r"expires|exp\b|iss\b|\bdl\b|\bdni\b|nombre|apellido|signature|unterschrift|firma\s*del|"
    r"specimen|muster",
    re.I)
# Words of app and web screens: buttons, error wording, the status bar's clock.
_SCREEN_WORDS = re.compile(
    r"失败|錯誤|错误|异常|超时|逾時|请|請|重试|重新|上传|上傳|认证|認證|验证|驗證|网络|網路|确定|確定|取消|返回|客服|"
    r"error|failed|retry|try\s*again|upload|cancel|network|timeout|timed\s*out|verif|please|support|"
    r"(?<!\d)\d{1,2}:\d{2}(?!\d)", re.I)
_MESSAGE_HINTS = (
    (SELFIE, re.compile(r"selfie|自拍|my\s+face|photo\s+of\s+me|人脸照|本人照", re.I)),
    (ID_DOCUMENT, re.compile(r"passport\s+(?:photo|picture|page|scan)|(?:photo|picture|scan)\s+of\s+my\s+"
                             r"(?:passport|id|licen[cs]e)|id\s*card|护照|身份证|证件照", re.I)),
    (SCREENSHOT, re.compile(r"screen\s*shot|截图|截屏", re.I)),
)


def filename_hint(filename: str) -> str | None:
    """A kind suggested by the filename (weak evidence only)."""
    stem = filename.rsplit("/", 1)[-1]
    for kind, rx in _NAME_HINTS:
        if rx.search(stem):
            return kind
    return None


def message_hint(text: str) -> str | None:
    """A kind suggested by the customer's words about the file ("my selfie", "自拍", "passport photo")."""
    for kind, rx in _MESSAGE_HINTS:
        if rx.search(text or ""):
            return kind
    return None


def looks_like_screen(flatness: float, aspect: float) -> bool:
    """Rendered pixels (UI, PDF page, digital specimen): decides which measurements are worth taking."""
    return flatness >= T.SCREEN_FLAT_RATIO or (flatness >= T.SCREEN_FLAT_RATIO * 0.8 and aspect >= T.PHONE_ASPECT_MIN)


def document_words(text: str) -> list[str]:
    """Distinct document words found in OCR text (lower-cased, spaces removed)."""
    return sorted({re.sub(r"\s+", "", m.group(0).lower()) for m in _DOCUMENT_WORDS.finditer(text or "")})


def screen_words(text: str) -> list[str]:
    """Distinct UI/error words found in OCR text."""
    return sorted({re.sub(r"\s+", "", m.group(0).lower()) for m in _SCREEN_WORDS.finditer(text or "")})


# Text beside a face at or above this share marks a printed portrait (used only to decide whether OCR is worth
# running on a photo with a big face; the classifier weighs the measurement itself). On the tune part of
# evalsets/images 90 % of selfies read below 0.02 and most photographed documents' portraits well above.
FACE_TEXT_PRINTED = 0.03


def text_beside_face(grey: np.ndarray, face: tuple[int, int, int, int] | None) -> float:
    """Text-like strokes in the bands left and right of a face (the larger share): a printed portrait has its
    holder's name and dates beside it, a selfie has shoulders, hair or a wall. Measured without OCR."""
    from .checks import text_density

    if face is None:
        return 0.0
    x, y, w, h = face
    height, width = grey.shape
    top, bottom = max(0, y - h // 4), min(height, y + h + h // 4)
    best = 0.0
    for x0, x1 in ((x + w + w // 4, x + w + w // 4 + 2 * w), (x - w // 4 - 2 * w, x - w // 4)):
        x0, x1 = max(0, x0), min(width, x1)
        if x1 - x0 >= w // 2 and bottom - top >= 8:
            best = max(best, text_density(grey[top:bottom, x0:x1]))
    return best


def printed_portrait(faces: list[tuple[int, int, int, int]], outline: object | None) -> bool:
    """A face inside a document's outline and small beside it: the portrait printed on a card or a page."""
    if not faces or outline is None or not getattr(outline, "document_like", False):
        return False
    ox, oy, ow, oh = outline.bbox  # type: ignore[attr-defined]
    for fx, fy, fw, fh in faces:
        cx, cy = fx + fw / 2, fy + fh / 2
        if ox <= cx <= ox + ow and oy <= cy <= oy + oh and fw * fh <= 0.25 * max(1, ow * oh):
            return True
    return False


def tall_screen(width: int, height: int) -> float:
    """How far an upright frame is taller than 16:9, the tallest shape phone cameras take (0 to 1 at 2.03:1):
    phone screens since about 2018 are 19.5:9 to 21:9, so a screenshot is taller than any photo the camera took.
    A wide frame (a card cut out edge to edge, a banner) is no phone screen: 0."""
    if height <= width:
        return 0.0
    return round(min(1.0, max(0.0, (height / float(max(1, width)) - 16 / 9 - 0.005) / 0.25)), 3)


_MRZ_LIKE = re.compile(r"^[A-Z0-9<]{25,46}$")


def mrz_like_lines(text: str) -> int:
    """OCR lines shaped like a machine-readable zone (25-46 of A-Z, 0-9 and '<', with fillers), whether or not
    their check digits could be verified: only identity documents print them."""
    lines = (re.sub(r"\s+", "", line.upper()) for line in (text or "").splitlines())
    return sum(1 for line in lines if _MRZ_LIKE.match(line) and line.count("<") >= 3)


_MONTH = (r"(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|JANV|F[EÉ]VR?|MARS|AVR|MAI|JUIN|JUIL|AO[UÛ]T|SEPT|"
          r"D[EÉ]C|DEZ|M[AÄ]R|OKT|ENE|ABR|AGO|DIC|GEN|MAG|GIU|LUG|SET|OTT)")
_YEAR = r"(?:19|20)\d{2}"
# Dates in the forms documents print them (day first, year first, a month's name, 年月日, the MRZ-free run of eight
# digits some cards print, a month and year): a birth, issue and expiry date together are a document's habit.
_DATE = re.compile(
    r"(?<![\d/])(?:\d{1,2}\s?[./\-]\s?\d{1,2}\s?[./\-]\s?" + _YEAR +
    r"|" + _YEAR + r"\s?[./\-年]\s?\d{1,2}\s?[./\-月]\s?\d{1,2}"
    r"|\d{1,2}[\s.]?" + _MONTH + r"[^\n]{0,6}?(?:" + _YEAR + r"|\d{2})"
    r"|\d{1,2}年\d{1,2}月\d{1,2}日"
    r"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])" + _YEAR +
    r"|(?:0[1-9]|1[0-2])/" + _YEAR + r")(?![\d/])", re.I)


def printed_dates(text: str) -> int:
    """How many dates the OCR text holds in the forms identity documents print (birth, issue, expiry)."""
    return len(_DATE.findall(text or ""))


_MRZ_FILLERS = re.compile(r"[<>«‹]{3,}|<<")
_MRZ_START = re.compile(r"^[PIACV][<K][A-Z]{3}")
_MRZ_RUN = re.compile(r"^[A-Z0-9<]{25,46}$")
_MRZ_CHARS = re.compile(r"[A-Z0-9<>«‹]")


def mrz_traces(text: str) -> int:
    """OCR lines that show a trace of a machine-readable zone even when too little of it was read to parse: a line
    mostly of capitals, digits and fillers with a run of fillers ('<<<', read as '>>>' or '«' too), a TD3 or TD1
    start ('P<CHN'), a long run of capitals with digits. An app's '<<< Back' is mostly small letters: no trace."""
    count = 0
    for line in (text or "").splitlines():
        compact = re.sub(r"\s+", "", line)
        mostly_mrz = len(_MRZ_CHARS.findall(compact)) >= 0.6 * max(1, len(compact))
        if (_MRZ_FILLERS.search(compact) and mostly_mrz) or _MRZ_START.match(compact) \
                or (_MRZ_RUN.match(compact) and sum(c.isdigit() for c in compact) >= 6):
            count += 1
    return count


def portrait_in_card(faces: list[tuple[int, int, int, int]], box: tuple[int, int, int, int] | None) -> bool:
    """A face inside a card-shaped region (see card_region) and small beside it: the portrait printed on a card
    or a passport page, found where the brightness outline missed the document."""
    if not faces or box is None:
        return False
    bx, by, bw, bh = box
    for fx, fy, fw, fh in faces:
        cx, cy = fx + fw / 2, fy + fh / 2
        if bx <= cx <= bx + bw and by <= cy <= by + bh and fw * fh <= 0.25 * max(1, bw * bh):
            return True
    return False


# An A4 or Letter sheet (1.41, 1.29 with perspective up to 1.48) is a card's shape too; a printed letter is told from
# a passport page by its paper: the script's printed letters read 0.97 plain white (value > 200, saturation < 20),
# its passport pages scanned on a white bed 0.82 at most, tinted pages far less.
A4_RATIO = (1.36, 1.48)
PAPER_SHARE = 0.90


def _paper_share(hsv: np.ndarray, contour: np.ndarray) -> float:
    """Share of a region's pixels that are plain white paper."""
    import cv2
    import numpy as np

    mask = np.zeros(hsv.shape[:2], np.uint8)
    cv2.drawContours(mask, [contour], -1, 255, -1)
    inside = mask > 0
    return float(((hsv[..., 2] > 200) & (hsv[..., 1] < 20))[inside].mean()) if inside.any() else 0.0


def card_shape(rgb: np.ndarray) -> float:
    """The best fill of a card-shaped region (see card_region), or 0."""
    return card_region(rgb)[0]


def card_region(rgb: np.ndarray) -> tuple[float, tuple[int, int, int, int] | None]:
    """A card-shaped region at any angle and its bounding box in `rgb`'s pixels: a component of one colour,
    brightness or saturation, split by Otsu in either polarity, whose min-area rectangle it fills (>= 0.88) with an
    ID-card or passport-page aspect (1.30 to 1.70), 4-80 % of the frame and clear of its border, and not a sheet of
    plain white paper. Found where the brightness outline is not: a light card on wood or fabric whose light grain
    Otsu joins to it, a card on a darker card. Returns the best fill (0 when none) and its box.
    On the tune part of evalsets/images it fired on 0 of 80 `other` photos and 0 of 126 selfies, and on 3 of the
    4 documents the classifier missed there."""
    import cv2
    import numpy as np

    h0, w0 = rgb.shape[:2]
    f = min(1.0, 600.0 / max(h0, w0))
    small = cv2.resize(rgb, (max(1, int(w0 * f)), max(1, int(h0 * f))), interpolation=cv2.INTER_AREA)
    hsv, lab = cv2.cvtColor(small, cv2.COLOR_RGB2HSV), cv2.cvtColor(small, cv2.COLOR_RGB2LAB)
    h, w = small.shape[:2]
    kernel = np.ones((max(3, int(min(h, w) * 0.02)) | 1,) * 2, np.uint8)
    best, box = 0.0, None
    for channel in (cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), 255 - hsv[:, :, 1], lab[:, :, 1], lab[:, :, 2]):
        _, split = cv2.threshold(cv2.GaussianBlur(channel, (7, 7), 0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        for mask in (split, 255 - split):
            mask = cv2.morphologyEx(cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel), cv2.MORPH_CLOSE, kernel)
            contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
            for c in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
                area = cv2.contourArea(c)
                (_, _), (rw, rh), _ = cv2.minAreaRect(c)
                x, y, bw, bh = cv2.boundingRect(c)
                if (not 0.04 <= area / float(w * h) <= 0.8 or min(rw, rh) < 5
                        or x <= 2 or y <= 2 or x + bw >= w - 2 or y + bh >= h - 2):
                    continue
                fill, ratio = area / float(rw * rh), max(rw, rh) / min(rw, rh)
                if fill < 0.88 or not 1.30 <= ratio <= 1.70 or fill <= best:
                    continue
                if A4_RATIO[0] <= ratio <= A4_RATIO[1] and _paper_share(hsv, c) >= PAPER_SHARE:
                    continue  # a printed letter: an A4 sheet, nearly all plain white paper
                best, box = fill, (int(x / f), int(y / f), int(bw / f), int(bh / f))
    return round(best, 3), box


FEATURES = ("flatness", "phone_aspect", "mrz", "mrz_ok", "document_words", "screen_words", "outline",
            "outline_card", "face_share", "faces", "portrait", "text_density", "ocr_chars", "hint_selfie",
            "hint_document", "hint_screenshot", "upright", "edge_density", "saturation", "face_text",
            "tall_screen", "card_shape", "dates", "mrz_trace", "card_portrait")


def kind_features(*, flatness: float, aspect: float, mrz: dict | None, ocr_text: str, outline: object | None,
                  faces: list[tuple[int, int, int, int]], frame: tuple[int, int], text_density: float,
                  hint: str | None, texture: tuple[float, float] = (0.0, 0.0),
                  face_text: float = 0.0, card: float = 0.0,
                  card_box: tuple[int, int, int, int] | None = None) -> dict[str, float]:
    """Every cue as a number in [0, 1] (the classifier's input, also kept in the metrics as evidence)."""
    w, h = frame
    area = float(max(1, w * h))
    share = max((fw * fh / area for _, _, fw, fh in faces), default=0.0)
    portrait = float(printed_portrait(faces, outline))
    return {
        "flatness": round(flatness, 3),
        "phone_aspect": float(aspect >= T.PHONE_ASPECT_MIN),
        # a parsed MRZ reads 1; two lines shaped like one whose fields did not parse (OCR misreads) read 0.5
        "mrz": 1.0 if mrz is not None else 0.5 if mrz_like_lines(ocr_text) >= 2 else 0.0,
        "mrz_ok": float(bool(mrz and mrz.get("checks_ok"))),
        "document_words": min(4, len(document_words(ocr_text))) / 4.0,
        "screen_words": min(4, len(screen_words(ocr_text))) / 4.0,
        "outline": float(bool(outline is not None and getattr(outline, "document_like", False))),
        "outline_card": float(bool(outline is not None and getattr(outline, "card_like", False))),
        "face_share": round(min(1.0, math.sqrt(share) * 3), 3),  # a face of 11% of the frame reads 1
        "faces": min(3, len(faces)) / 3.0,
        "portrait": portrait,
        "text_density": round(min(1.0, text_density * 10), 3),
        "ocr_chars": round(min(1.0, len((ocr_text or "").replace("\n", "")) / 300.0), 3),
        "hint_selfie": float(hint == SELFIE),
        "hint_document": float(hint == ID_DOCUMENT),
        "hint_screenshot": float(hint == SCREENSHOT),
        # what the scene looks like: a phone held upright, busy or plain, colourful or not (a ceiling, a hand
        # or a wall sent as a selfie is upright and plain; landscapes and everyday photos are busy)
        "upright": float(h > w),
        "edge_density": round(min(1.0, texture[0] * 5), 3),
        "saturation": round(min(1.0, texture[1] * 2), 3),
        # a printed portrait has text beside it; a selfie does not (see text_beside_face)
        "face_text": round(min(1.0, face_text * 5), 3),
        "tall_screen": tall_screen(w, h),
        # a card-shaped region of one colour at any angle (see card_shape): 1 when found
        "card_shape": float(card > 0),
        # what is read, even when too little to parse: dates in the forms documents print, MRZ fillers and runs
        "dates": min(2, printed_dates(ocr_text)) / 2.0,
        "mrz_trace": float(mrz is None and mrz_traces(ocr_text) > 0),
        # a face inside the card-shaped region: a printed portrait where the brightness outline missed the card
        "card_portrait": float(portrait_in_card(faces, card_box)),
    }


@dataclass
class KindVerdict:
    """The chosen kind, its probability, the human reason, and every kind's probability."""

    kind: str
    reason: str
    probability: float = 1.0
    probabilities: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _model() -> dict:
    """The fitted weights (kinds x features plus intercepts), read once per process."""
    with open(MODEL_PATH, encoding="utf-8") as handle:
        model = json.load(handle)
    if tuple(model["features"]) != FEATURES or tuple(model["kinds"]) != KINDS:
        raise RuntimeError("%s does not match the features of this code: refit it with scripts/fit_kind_model.py"
                           % MODEL_PATH)
    return model


def classify(features: dict[str, float]) -> KindVerdict:
    """Multinomial logistic regression over the features; the reason names the cues that weighed most."""
    model = _model()
    scale = model.get("scale", {})
    x = [float(features[name]) * scale.get(name, 1.0) for name in FEATURES]
    logits = []
    for kind in KINDS:
        w = model["weights"][kind]
        logits.append(model["intercepts"][kind] + sum(wi * xi for wi, xi in zip(w, x)))
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    probs = {kind: round(e / total, 3) for kind, e in zip(KINDS, exps)}
    best = max(KINDS, key=lambda k: probs[k])
    w = model["weights"][best]
    contrib = sorted(((wi * xi, name) for wi, xi, name in zip(w, x, FEATURES) if wi * xi > 0), reverse=True)[:3]
    reason = "%s p=%.2f (%s)" % (best, probs[best], ", ".join("%s=%g" % (name, features[name])
                                                                for _, name in contrib) or "prior")
    return KindVerdict(best, reason, probs[best], probs)
