"""Synthetic, deterministic KYC attachments (screens, ID photos, selfies, PDFs) with known text and defects."""

from __future__ import annotations

import io
import logging
import os
import zlib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # heavy imports stay inside the functions
    import numpy as np
    from PIL import Image, ImageFont

logger = logging.getLogger(__name__)

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT_REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
FONT_BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
_SC_INDEX = 2  # Noto Sans CJK SC inside the collection
_MONO_SC_INDEX = 7  # Noto Sans Mono CJK SC (MRZ)
ASSETS = Path(__file__).with_name("assets")
PORTRAIT = ASSETS / "astronaut_portrait.jpg"  # public domain, see assets/README.md
PORTRAIT_FACE_BOX = (80, 65, 97, 97)  # x, y, w, h of the face inside the portrait (Haar, measured)

DOCUMENT_DEFECTS = frozenset({"blurry", "glare", "too_dark", "low_resolution", "cropped", "expired_document"})
SELFIE_DEFECTS = frozenset({"too_dark", "blurry", "no_face", "multiple_faces", "low_resolution", "glare"})

THEMES = {
    "light": {"bg": (242, 243, 245), "card": (255, 255, 255), "text": (25, 25, 28), "muted": (110, 112, 120),
              "error": (220, 38, 38), "primary": (22, 119, 255), "on_primary": (255, 255, 255),
              "line": (220, 222, 228), "bar": (250, 250, 252)},
    "dark": {"bg": (16, 16, 20), "card": (34, 35, 40), "text": (236, 236, 240), "muted": (150, 152, 162),
             "error": (255, 77, 79), "primary": (64, 150, 255), "on_primary": (255, 255, 255),
             "line": (60, 62, 70), "bar": (22, 22, 26)},
}
SCREEN_TEXT = {
    "zh": {"title": "身份认证", "heading": "认证失败", "hint": "请检查后重新提交。", "primary": "重新上传",
           "secondary": "联系客服"},
    "en": {"title": "Identity verification", "heading": "Verification failed",
           "hint": "Please check and submit again.", "primary": "Upload again", "secondary": "Contact support"},
}


class FontMissingError(RuntimeError):
    """Raised when the CJK font the generator draws with is not installed."""


def _seed(*parts: object) -> int:
    """A stable RNG seed from the call's arguments, so equal calls give equal bytes."""
    return zlib.crc32(repr(parts).encode("utf-8"))


@lru_cache(maxsize=64)
def font(size: int, *, bold: bool = False, mono: bool = False) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK SC (or its mono cut for MRZ) at a pixel size."""
    from PIL import ImageFont

    path = FONT_BOLD if bold and not mono else FONT_REGULAR
    if not path.exists():
        raise FontMissingError(
            "Font %s is missing: install the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk)" % path)
    return ImageFont.truetype(str(path), size, index=_MONO_SC_INDEX if mono else _SC_INDEX)


def _wrap(text: str, fnt: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy wrap by words (Latin) or characters (CJK) to a pixel width."""
    out: list[str] = []
    for para in text.split("\n"):
        tokens = para.split(" ") if para.isascii() else list(para)
        sep = " " if para.isascii() else ""
        cur = ""
        for tok in tokens:
            trial = (cur + sep + tok) if cur else tok
            if fnt.getlength(trial) <= width or not cur:
                cur = trial
            else:
                out.append(cur)
                cur = tok
        out.append(cur)
    return out


def _encode(img: Image.Image, fmt: str, **kw: object) -> bytes:
    """Image to bytes in a format."""
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


# --------------------------------------------------------------------------- screenshots

def make_screenshot(lines: list[str], *, theme: str = "light", lang: str = "zh", size: tuple[int, int] = (1080, 2340),
                    error_color: bool = True) -> bytes:
    """PNG of a phone app screen: status bar, title, a card holding the error line(s), two buttons."""
    from PIL import Image, ImageDraw

    c = THEMES[theme]
    t = SCREEN_TEXT[lang]
    w, h = size
    s = w / 1080.0
    img = Image.new("RGB", (w, h), c["bg"])
    d = ImageDraw.Draw(img)
    # status bar
    d.rectangle((0, 0, w, int(96 * s)), fill=c["bar"])
    d.text((int(48 * s), int(24 * s)), "9:41", font=font(int(36 * s), bold=True), fill=c["text"])
    bx = w - int(130 * s)
    d.rounded_rectangle((bx, int(34 * s), bx + int(70 * s), int(66 * s)), radius=int(6 * s), outline=c["text"],
                        width=max(1, int(3 * s)))
    d.rectangle((bx + int(6 * s), int(40 * s), bx + int(50 * s), int(60 * s)), fill=c["text"])
    for i in range(4):  # signal bars
        x = int(48 * s) + int(w * 0.62) + i * int(18 * s)
        d.rectangle((x, int(66 * s) - (i + 1) * int(7 * s), x + int(10 * s), int(66 * s)), fill=c["text"])
    # title bar
    ty = int(120 * s)
    d.text((int(48 * s), ty), "<", font=font(int(52 * s)), fill=c["text"])
    tf = font(int(50 * s), bold=True)
    d.text(((w - tf.getlength(t["title"])) / 2, ty), t["title"], font=tf, fill=c["text"])
    d.line((0, int(220 * s), w, int(220 * s)), fill=c["line"], width=max(1, int(2 * s)))
    # card with the error
    mx = int(48 * s)
    cy = int(300 * s)
    body_f = font(int(40 * s))
    wrapped = [seg for ln in lines for seg in _wrap(ln, body_f, w - 2 * mx - int(96 * s))]
    line_h = int(60 * s)
    card_h = int(330 * s) + line_h * len(wrapped)
    d.rounded_rectangle((mx, cy, w - mx, cy + card_h), radius=int(28 * s), fill=c["card"])
    r = int(44 * s)
    ccx, ccy = w // 2, cy + int(90 * s)
    d.ellipse((ccx - r, ccy - r, ccx + r, ccy + r), fill=c["error"])
    d.text((ccx, ccy), "!", font=font(int(60 * s), bold=True), fill=(255, 255, 255), anchor="mm")
    hf = font(int(48 * s), bold=True)
    d.text(((w - hf.getlength(t["heading"])) / 2, cy + int(160 * s)), t["heading"], font=hf, fill=c["text"])
    y = cy + int(250 * s)
    for seg in wrapped:
        d.text((mx + int(48 * s), y), seg, font=body_f, fill=c["error"] if error_color else c["text"])
        y += line_h
    # hint and buttons
    d.text((mx, cy + card_h + int(50 * s)), t["hint"], font=font(int(34 * s)), fill=c["muted"])
    by = h - int(420 * s)
    bf = font(int(42 * s), bold=True)
    d.rounded_rectangle((mx, by, w - mx, by + int(120 * s)), radius=int(60 * s), fill=c["primary"])
    d.text((w / 2, by + int(60 * s)), t["primary"], font=bf, fill=c["on_primary"], anchor="mm")
    by2 = by + int(160 * s)
    d.rounded_rectangle((mx, by2, w - mx, by2 + int(120 * s)), radius=int(60 * s), outline=c["primary"],
                        width=max(1, int(3 * s)))
    d.text((w / 2, by2 + int(60 * s)), t["secondary"], font=bf, fill=c["primary"], anchor="mm")
    d.rounded_rectangle((w / 2 - int(140 * s), h - int(30 * s), w / 2 + int(140 * s), h - int(20 * s)),
                        radius=int(5 * s), fill=c["text"])
    return _encode(img, "PNG", optimize=False, compress_level=6)


# --------------------------------------------------------------------------- shared photo helpers

def _portrait() -> Image.Image:
    """The public-domain face photo used for portraits and selfies."""
    from PIL import Image

    if not PORTRAIT.exists():
        raise FileNotFoundError("Demo asset %s is missing (see demo/assets/README.md)" % PORTRAIT)
    with Image.open(PORTRAIT) as im:
        return im.convert("RGB")


def _table(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A wood-like table top (float RGB) with grain and a lighting gradient."""
    import cv2
    import numpy as np

    w, h = size
    low = cv2.resize(rng.normal(0, 1, (h // 40 + 2, w // 40 + 2)).astype(np.float32), (w, h),
                     interpolation=cv2.INTER_CUBIC)
    ys = np.arange(h, dtype=np.float32)[:, None]
    grain = np.sin(ys / 7.0 + low * 3.0) * 0.5 + 0.5
    base = np.array([105, 72, 48], np.float32)
    img = base[None, None, :] * (0.85 + 0.25 * grain[..., None]) + low[..., None] * 6
    xs = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    img *= (1.05 - 0.12 * (xs ** 2))[..., None]
    return img


def _finish(img: np.ndarray, defects: tuple[str, ...], rng: np.random.Generator, *, glare_at: tuple[float, float],
            glare_r: float, low_res: tuple[int, int]) -> bytes:
    """Apply photo defects (blur, glare, darkness, low resolution), sensor noise, then JPEG-encode."""
    import cv2
    import numpy as np
    from PIL import Image

    h, w = img.shape[:2]
    if "blurry" in defects:
        img = cv2.GaussianBlur(img, (0, 0), sigmaX=max(w, h) / 330.0)
    if "glare" in defects:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        cx, cy = glare_at[0] * w, glare_at[1] * h
        r = glare_r * max(w, h)
        dist = np.sqrt(((xx - cx) / 1.3) ** 2 + (yy - cy) ** 2) / r
        core = np.clip(1.6 - dist, 0, 1)  # flat blown-out core with a soft halo
        img = img + core[..., None] * 400.0
    if "too_dark" in defects:
        img = img * 0.16 + 2.0
    img = img + rng.normal(0, 3.0, img.shape).astype(np.float32)  # sensor noise
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    if "low_resolution" in defects:
        out = out.resize(low_res, Image.LANCZOS)
    return _encode(out, "JPEG", quality=90)


# --------------------------------------------------------------------------- documents

def _document_face(doc: str, *, expiry: date, with_mrz: bool, surname: str, given: str, number: str) -> Image.Image:
    """The flat document (passport data page or ID card) before it is photographed."""
    from PIL import Image, ImageDraw

    from tickets.analysis.mrz import build_td1, build_td3

    birth = date(1990, 1, 15)
    issue = date(expiry.year - 10, expiry.month, min(expiry.day, 28))
    if doc == "passport":
        W, H = 1250, 880
        bg = (226, 234, 226)
    else:
        W, H = 1280, 808
        bg = (222, 232, 242)
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    for k in range(0, W, 22):  # guilloche-ish security pattern, low contrast
        d.arc((k - 300, -200, k + 300, H + 200), 200, 340, fill=(bg[0] - 12, bg[1] - 8, bg[2] - 10), width=1)
    dark, muted = (30, 32, 40), (90, 96, 110)
    if doc == "passport":
        d.text((40, 28), "中华人民共和国  PEOPLE'S REPUBLIC OF CHINA", font=font(30, bold=True), fill=dark)
        d.text((40, 72), "护照 PASSPORT      类型/Type  P      国家码/Country code  CHN", font=font(24), fill=muted)
    else:
        d.text((40, 28), "居民身份证  IDENTITY CARD", font=font(34, bold=True), fill=dark)
    px, py, pw, ph = 48, 130, 300, 375
    img.paste(_portrait().resize((pw, ph)), (px, py))
    fx = px + pw + 50
    fields = [
        ("姓/Surname", surname.upper()),
        ("名/Given names", given.upper()),
        ("证件号码/Document No.", number.upper()),
        ("出生日期/Date of birth", birth.strftime("%d %b %Y").upper()),
    ]
    if doc == "passport":
        fields += [("签发日期/Date of issue", issue.strftime("%d %b %Y").upper()),
                   ("有效期至/Date of expiry", expiry.strftime("%d %b %Y").upper())]
    else:
        fields += [("有效期限/Expiry", "%s-%s" % (issue.strftime("%Y.%m.%d"), expiry.strftime("%Y.%m.%d")))]
    y = 130
    step = 76 if doc == "passport" else 68
    for label, value in fields:
        d.text((fx, y), label, font=font(22), fill=muted)
        d.text((fx, y + 28), value, font=font(34, bold=True), fill=dark)
        y += step
    if with_mrz:
        if doc == "passport":
            mrz = build_td3(surname=surname, given=given, number=number, nationality="CHN", birth=birth,
                            expiry=expiry)
        else:
            mrz = build_td1(surname=surname, given=given, number=number, nationality="CHN", birth=birth,
                            expiry=expiry, issuing="CHN")
        n = len(mrz[0])
        size = 10
        cap = 60 if doc == "passport" else 46  # a TD1 zone keeps three lines under the fields
        while size < cap and font(size + 1, mono=True).getlength("<" * n) < W * 0.92:
            size += 1
        mf = font(size, mono=True)
        lh = int(size * 1.25)
        y0 = H - 30 - lh * len(mrz)
        d.rectangle((0, y0 - 18, W, H), fill=(bg[0] + 8, bg[1] + 6, bg[2] + 4))
        for i, line in enumerate(mrz):
            d.text(((W - mf.getlength(line)) / 2, y0 + i * lh), line, font=mf, fill=(15, 15, 18))
    return img


def make_id_document(*, defects: tuple[str, ...] = (), expiry: date = date(2031, 5, 1), doc: str = "passport",
                     with_mrz: bool = True, surname: str = "ZHANG", given: str = "WEI",
                     number: str = "E12345678") -> bytes:
    """JPEG photo of a passport data page or ID card lying on a table, with the requested defects."""
    import cv2
    import numpy as np

    unknown = set(defects) - DOCUMENT_DEFECTS
    if unknown:
        raise ValueError("Unknown document defects: %s" % ", ".join(sorted(unknown)))
    if "expired_document" in defects and expiry >= date(2025, 1, 1):
        expiry = date(2023, 3, 1)
    rng = np.random.default_rng(_seed("doc", defects, expiry, doc, with_mrz, surname, given, number))
    face = np.asarray(_document_face(doc, expiry=expiry, with_mrz=with_mrz, surname=surname, given=given,
                                     number=number), dtype=np.float32)
    W, H = 2000, 1500
    canvas = _table((W, H), rng)
    fh, fw = face.shape[:2]
    dw = W * 0.68
    dh = dw * fh / fw
    cx, cy = W * 0.5 + rng.uniform(-30, 30), H * 0.5 + rng.uniform(-20, 20)
    if "cropped" in defects:
        cy = dh / 2 - dh * 0.16  # the top edge leaves the frame
    j = lambda: rng.uniform(-12, 12)  # noqa: E731 - slight perspective
    dst = np.float32([[cx - dw / 2 + j(), cy - dh / 2 + j()], [cx + dw / 2 + j(), cy - dh / 2 + j()],
                      [cx + dw / 2 + j(), cy + dh / 2 + j()], [cx - dw / 2 + j(), cy + dh / 2 + j()]])
    src = np.float32([[0, 0], [fw, 0], [fw, fh], [0, fh]])
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(face, m, (W, H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.ones((fh, fw), np.float32), m, (W, H), flags=cv2.INTER_LINEAR)
    shadow = cv2.GaussianBlur(cv2.warpPerspective(np.ones((fh, fw), np.float32), m, (W, H)), (0, 0), 18)
    shadow = np.roll(shadow, (14, 10), axis=(0, 1))
    canvas = canvas * (1 - 0.45 * shadow[..., None])
    canvas = canvas * (1 - mask[..., None]) + warped * mask[..., None]
    return _finish(canvas, tuple(defects), rng, glare_at=(cx / W + 0.12, max(0.18, (cy - dh * 0.25) / H)),
                   glare_r=0.05, low_res=(533, 400))


# --------------------------------------------------------------------------- selfies

def make_selfie(*, defects: tuple[str, ...] = (), faces: int = 1) -> bytes:
    """JPEG selfie in a room; `faces` people (0 shows a torso with the face out of frame)."""
    import cv2
    import numpy as np
    from PIL import Image

    unknown = set(defects) - SELFIE_DEFECTS
    if unknown:
        raise ValueError("Unknown selfie defects: %s" % ", ".join(sorted(unknown)))
    if "no_face" in defects:
        faces = 0
    if "multiple_faces" in defects:
        faces = max(faces, 2)
    rng = np.random.default_rng(_seed("selfie", defects, faces))
    W, H = 960, 1280
    ys = np.linspace(0, 1, H, dtype=np.float32)[:, None, None]
    wall = np.array([214, 204, 188], np.float32) * (1.0 - 0.18 * ys) * np.ones((1, W, 1), np.float32)
    img = Image.fromarray(np.clip(wall, 0, 255).astype(np.uint8))
    from PIL import ImageDraw

    d = ImageDraw.Draw(img)
    d.rectangle((40, 60, 300, 760), outline=(120, 90, 60), width=14)  # door frame: crisp edges
    d.rectangle((640, 120, 900, 330), fill=(70, 110, 150), outline=(40, 40, 40), width=8)  # a picture
    d.line((0, 1010, W, 1010), fill=(150, 140, 120), width=6)
    from PIL import ImageFilter

    for k in range(60):  # books on a shelf: crisp edges like a real room
        x = 380 + k * 4 + int(rng.integers(0, 3))
        d.rectangle((x, 520, x + 3, 640 - int(rng.integers(0, 40))),
                    fill=tuple(int(v) for v in rng.integers(30, 200, 3)))
    portrait = _portrait()
    if faces == 0:
        torso = portrait.crop((0, 190, 256, 320)).resize((780, 396), Image.LANCZOS)
        img.paste(torso, (90, H - 396))
    else:
        width = {1: 660}.get(faces, int(W * 0.9 / faces))
        hgt = int(width * 320 / 256)
        for k in range(faces):
            p = portrait if k % 2 == 0 else portrait.transpose(Image.FLIP_LEFT_RIGHT)
            p = p.resize((width, hgt), Image.LANCZOS).filter(ImageFilter.UnsharpMask(radius=3, percent=160,
                                                                                     threshold=1))
            x = int((W - faces * width) / 2 + k * width)
            y = H - hgt + (0 if faces == 1 else int(rng.uniform(-60, 0)))
            img.paste(p, (x, y))
    arr = np.asarray(img, dtype=np.float32)
    arr = cv2.GaussianBlur(arr, (0, 0), 0.6)
    return _finish(arr, tuple(defects), rng, glare_at=(0.78, 0.2), glare_r=0.09, low_res=(360, 480))


# --------------------------------------------------------------------------- attachments

def make_pdf(page_images: list[bytes]) -> bytes:
    """A PDF with one page per given image (Pillow's writer embeds them as JPEG pages)."""
    from PIL import Image

    pages = [Image.open(io.BytesIO(b)).convert("RGB") for b in page_images]
    return _encode(pages[0], "PDF", save_all=True, append_images=pages[1:], resolution=150.0)


def make_attachment(spec: dict) -> tuple[str, bytes, str]:
    """Build one attachment from a small spec dict: (filename, bytes, content_type)."""
    spec = dict(spec)
    kind = spec.pop("type")
    filename = spec.pop("filename", None)
    if kind == "screenshot":
        lines = spec.pop("lines", None) or (["上传失败，网络连接超时"] if spec.get("lang", "zh") == "zh"
                                             else ["Upload failed: network timeout"])
        return filename or "screenshot.png", make_screenshot(lines, **spec), "image/png"
    if kind == "id_document":
        spec["defects"] = tuple(spec.get("defects", ()))
        default = "passport.jpg" if spec.get("doc", "passport") == "passport" else "id_card.jpg"
        return filename or default, make_id_document(**spec), "image/jpeg"
    if kind == "selfie":
        spec["defects"] = tuple(spec.get("defects", ()))
        return filename or "selfie.jpg", make_selfie(**spec), "image/jpeg"
    if kind == "pdf":
        inner = spec.pop("pages", None) or [{"type": "id_document"}]
        return filename or "document.pdf", make_pdf([make_attachment(p)[1] for p in inner]), "application/pdf"
    if kind == "text":
        text = spec.pop("text", "Order 123: please check my verification.\n")
        return filename or "notes.txt", text.encode("utf-8"), "text/plain"
    raise ValueError("Unknown attachment type %r" % kind)


if __name__ == "__main__":  # python -m demo.images OUTDIR: write a few samples to look at
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "var/demo-images")
    os.makedirs(out, exist_ok=True)
    samples = [
        {"type": "screenshot", "lang": "zh", "theme": "light", "filename": "shot_zh_light.png"},
        {"type": "screenshot", "lang": "en", "theme": "dark", "filename": "shot_en_dark.png"},
        {"type": "id_document", "filename": "passport.jpg"},
        {"type": "id_document", "doc": "id_card", "defects": ["glare"], "filename": "id_card_glare.jpg"},
        {"type": "selfie", "filename": "selfie.jpg"},
        {"type": "selfie", "faces": 2, "filename": "selfie_two.jpg"},
    ]
    for s in samples:
        name, data, _ = make_attachment(s)
        (out / name).write_bytes(data)
        print(out / name, len(data))
