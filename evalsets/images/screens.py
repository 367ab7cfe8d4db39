"""Phone screens of a KYC app showing an error in one of many UI styles, themes and languages.

plan_screen() picks language, theme, style, size and the key error line (the label); draw_screen() renders it.
Sizes are phone widths 720-1440 px; everything is laid out in density-independent units (dp = width / 360).
"""

from __future__ import annotations

from datetime import date

import numpy as np
from PIL import Image, ImageDraw

from . import assets

LANGUAGES = ("zh_Hans", "zh_Hant", "en")
_PREVIEW_DATE = date(2026, 1, 1)  # the card in a camera preview is not judged: any date will do
THEMES = ("light", "dark", "oled", "grey")
STYLES = ("dialog", "toast", "snackbar", "banner", "bottom_sheet", "notification", "full_page", "inline_error")
WIDTHS = (720, 750, 828, 1080, 1080, 1170, 1242, 1284, 1440)

KEY_LINES = {
    "zh_Hans": ("身份验证失败，请重新上传证件照片", "证件照片模糊，请在光线充足处重新拍摄", "网络连接超时，请检查网络后重试",
                "上传失败：文件大小超过10MB", "人脸识别未通过，请正对镜头并保持光线充足", "您的账户存在安全风险，认证已暂停",
                "证件已过期，请使用有效证件", "审核中，预计1-3个工作日内完成", "相机无法启动，请在设置中允许相机权限",
                "页面加载失败，请清除缓存后重试", "检测到证件反光，请调整角度后重拍", "当前系统版本过低，请升级至最新版本",
                "照片中未检测到人脸，请重新拍摄", "证件信息与填写内容不一致", "请求过于频繁，请30分钟后再试"),
    "zh_Hant": ("身分驗證失敗，請重新上傳證件照片", "證件照片模糊，請在光線充足處重新拍攝", "網路連線逾時，請檢查網路後再試",
                "上傳失敗：檔案大小超過10MB", "人臉辨識未通過，請正對鏡頭並保持光線充足", "您的帳戶存在安全風險，驗證已暫停",
                "證件已過期，請使用有效證件", "審核中，預計1-3個工作天內完成", "無法開啟相機，請在設定中允許相機權限",
                "頁面載入失敗，請清除快取後重試", "偵測到證件反光，請調整角度後重拍", "目前系統版本過舊，請更新至最新版本",
                "照片中未偵測到人臉，請重新拍攝", "證件資料與填寫內容不一致", "請求過於頻繁，請30分鐘後再試"),
    "en": ("Verification failed. Please upload your ID again.", "Your document photo is blurry. Retake it in good light.",
           "Network timeout. Check your connection and try again.", "Upload failed: file is larger than 10 MB.",
           "Face verification failed. Look straight at the camera.",
           "Your account is temporarily locked for security reasons.",
           "Your document has expired. Please use a valid ID.", "Your documents are under review (1-3 business days).",
           "Camera not available. Allow camera access in Settings.", "Page failed to load. Clear your cache and retry.",
           "Glare detected on your ID. Tilt it and try again.", "Your OS version is not supported. Please update.",
           "No face detected in the photo. Please try again.", "The details you entered do not match your document.",
           "Too many attempts. Try again in 30 minutes."),
}

UI = {
    "zh_Hans": {"title": "身份认证", "step1": "第一步：上传证件", "step2": "第二步：人脸识别", "name": "姓名",
                "id": "证件号码", "submit": "提交", "retry": "重试", "ok": "确定", "cancel": "取消", "app": "钱包",
                "hint": "请确保证件四角完整、字迹清晰", "error": "出错了", "now": "刚刚"},
    "zh_Hant": {"title": "身分認證", "step1": "第一步：上傳證件", "step2": "第二步：人臉辨識", "name": "姓名",
                "id": "證件號碼", "submit": "送出", "retry": "重試", "ok": "確定", "cancel": "取消", "app": "錢包",
                "hint": "請確保證件四角完整、字跡清晰", "error": "發生錯誤", "now": "剛剛"},
    "en": {"title": "Verify your identity", "step1": "Step 1: Upload your ID", "step2": "Step 2: Face check",
           "name": "Full name", "id": "ID number", "submit": "Submit", "retry": "Retry", "ok": "OK",
           "cancel": "Cancel", "app": "Wallet", "hint": "Make sure all four corners are visible", "error": "Something went wrong",
           "now": "now"},
}

_THEME_COLOURS = {
    # background, surface, text, secondary text, accent
    "light": ((250, 250, 250), (255, 255, 255), (28, 28, 30), (110, 110, 118), (0, 110, 230)),
    "dark": ((24, 24, 28), (44, 44, 50), (236, 236, 240), (160, 160, 170), (90, 170, 255)),
    "oled": ((0, 0, 0), (22, 22, 24), (255, 255, 255), (150, 150, 155), (255, 160, 40)),
    "grey": ((214, 214, 218), (236, 236, 238), (30, 30, 34), (90, 90, 96), (40, 120, 90)),
    "camera": ((0, 0, 0), (30, 30, 30), (255, 255, 255), (210, 210, 215), (255, 214, 10)),
}


def _fonts(lang: str, rng: np.random.Generator) -> tuple[str, str]:
    """(regular, bold) font names for a screen in this language."""
    if lang == "zh_Hans":
        return ("cjkserif-sc", "cjkserif-sc-bold") if rng.random() < 0.1 else ("cjk-sc", "cjk-sc-bold")
    if lang == "zh_Hant":
        return ("cjk-hk", "cjk-hk-bold") if rng.random() < 0.4 else ("cjk-tc", "cjk-tc-bold")
    return tuple(str(x) for x in rng.choice([("sans", "sans-bold"), ("sans-cond", "sans-cond-bold"), ("cjk-sc", "cjk-sc-bold"),
                             ("serif", "serif-bold")], p=[0.45, 0.2, 0.3, 0.05]))


def plan_screen(rng: np.random.Generator) -> dict:
    lang = str(rng.choice(LANGUAGES))
    width = int(rng.choice(WIDTHS))
    regular, bold = _fonts(lang, rng)
    return {
        "language": lang, "theme": str(rng.choice(THEMES)), "style": str(rng.choice(STYLES)),
        "width": width, "height": int(width * rng.uniform(1.78, 2.17)),
        "key_line": str(rng.choice(KEY_LINES[lang])), "font": regular, "font_bold": bold,
        "text_dp": float(rng.uniform(13, 16.5)),
    }


def _wrap(text: str, measure, max_px: float) -> list[str]:  # noqa: ANN001
    """Greedy line breaking: between words for Latin text, between characters for CJK."""
    cjk = any(ord(ch) > 0x2E80 for ch in text)
    tokens = list(text) if cjk else text.split(" ")
    joiner = "" if cjk else " "
    lines: list[str] = []
    cur = ""
    for tok in tokens:
        cand = tok if not cur else cur + joiner + tok
        if measure(cand) <= max_px or not cur:
            cur = cand
        elif cjk and tok in "，。：；、）)":  # no closing punctuation at the start of a line
            cur = cand
        else:
            lines.append(cur)
            cur = tok
    lines.append(cur)
    return lines


class _Screen:
    def __init__(self, plan: dict, rng: np.random.Generator) -> None:
        self.p, self.rng = plan, rng
        self.w, self.h = plan["width"], plan["height"]
        self.dp = self.w / 360.0
        self.bg, self.surface, self.fg, self.fg2, self.accent = _THEME_COLOURS[plan["theme"]]
        self.img = Image.new("RGB", (self.w, self.h), self.bg)
        self.draw = ImageDraw.Draw(self.img)
        self.ui = UI[plan["language"]]

    def f(self, size_dp: float, bold: bool = False):  # noqa: ANN201
        return assets.font(self.p["font_bold"] if bold else self.p["font"], int(size_dp * self.dp))

    def d(self, v: float) -> int:
        return int(round(v * self.dp))

    def text(self, x: float, y: float, text: str, size: float, *, bold: bool = False, fill=None,  # noqa: ANN001
             anchor: str = "la", max_w: float | None = None) -> None:
        font = self.f(size, bold)
        if max_w is not None:
            tw = self.draw.textlength(text, font=font)
            if tw > self.d(max_w):
                font = assets.font(self.p["font_bold"] if bold else self.p["font"],
                                   max(8, int(font.size * self.d(max_w) / tw)))
        self.draw.text((self.d(x), self.d(y)), text, font=font, fill=fill or self.fg, anchor=anchor)

    def key(self, x: float, y: float, *, fill=None, size: float | None = None, bold: bool = False,  # noqa: ANN001
            anchor: str = "la", max_w: float = 320, wrap: bool = True) -> None:
        """The key error line, wrapped onto at most three lines like the UI would (anchor: l/m + a/m)."""
        size = size or self.p["text_dp"]
        font = self.f(size, bold)
        lines = _wrap(self.p["key_line"], lambda t: self.draw.textlength(t, font=font), self.d(max_w)) if wrap \
            else [self.p["key_line"]]
        if len(lines) > 3 or not wrap:
            tw = self.draw.textlength(self.p["key_line"], font=font)
            if tw > self.d(max_w):
                font = self.f(max(10.0, size * self.d(max_w) / tw), bold)
            lines = [self.p["key_line"]]
        step = font.size * 1.35
        top = self.d(y) - (step * len(lines) - (step - font.size)) / 2 if anchor[1] == "m" else self.d(y)
        for i, line in enumerate(lines):
            self.draw.text((self.d(x), top + i * step), line, font=font, fill=fill or self.fg, anchor=anchor[0] + "a")

    def rrect(self, box: tuple[float, float, float, float], radius: float, fill, outline=None) -> None:  # noqa: ANN001
        self.draw.rounded_rectangle([self.d(v) for v in box], radius=self.d(radius), fill=fill, outline=outline)

    def page(self) -> None:
        """Status bar, app bar and the verification form behind whatever shows the error."""
        hdp = self.h / self.dp
        self.text(20, 10, f"{int(self.rng.integers(8, 23))}:{int(self.rng.integers(0, 60)):02d}", 12, bold=True)
        self.rrect((318, 12, 340, 22), 2, None, outline=self.fg)
        self.draw.rectangle([self.d(320), self.d(14), self.d(320 + 18 * self.rng.uniform(0.2, 1)), self.d(20)], fill=self.fg)
        self.text(20, 44, "‹", 24)
        self.text(180, 48, self.ui["title"], 17, bold=True, anchor="ma")
        self.text(20, 100, self.ui["step1"], 15, bold=True)
        self.text(20, 124, self.ui["hint"], 12, fill=self.fg2)
        self.rrect((20, 150, 340, 330), 10, self.surface, outline=self.fg2)
        self.draw.line([self.d(160), self.d(240), self.d(200), self.d(240)], fill=self.fg2, width=self.d(2))
        self.draw.line([self.d(180), self.d(220), self.d(180), self.d(260)], fill=self.fg2, width=self.d(2))
        self.text(20, 350, self.ui["name"], 13, fill=self.fg2)
        self.rrect((20, 370, 340, 410), 6, self.surface, outline=self.fg2)
        self.text(20, 425, self.ui["id"], 13, fill=self.fg2)
        self.rrect((20, 445, 340, 485), 6, self.surface, outline=self.fg2)
        self.text(20, 545, self.ui["step2"], 15, bold=True)
        self.rrect((20, hdp - 90, 340, hdp - 44), 23, self.accent)
        self.text(180, hdp - 76, self.ui["submit"], 16, bold=True, fill=(255, 255, 255), anchor="ma")

    def scrim(self, alpha: float) -> None:
        overlay = Image.new("RGB", self.img.size, (0, 0, 0))
        self.img = Image.blend(self.img, overlay, alpha)
        self.draw = ImageDraw.Draw(self.img)


def _dialog(s: _Screen) -> dict:
    s.page()
    s.scrim(0.45 if s.p["theme"] == "light" else 0.6)
    hdp = s.h / s.dp
    y0 = hdp / 2 - 100
    s.rrect((28, y0, 332, y0 + 196), 16, s.surface)
    s.text(180, y0 + 22, s.ui["error"], 18, bold=True, anchor="ma")
    s.key(180, y0 + 92, anchor="mm", max_w=270, fill=s.fg)
    s.draw.line([s.d(28), s.d(y0 + 142), s.d(332), s.d(y0 + 142)], fill=s.fg2, width=1)
    s.text(104, y0 + 158, s.ui["cancel"], 16, fill=s.fg2, anchor="ma")
    s.text(256, y0 + 158, s.ui["ok"], 16, bold=True, fill=s.accent, anchor="ma")
    return {"box": (28, y0, 332, y0 + 196)}


def _toast(s: _Screen) -> dict:
    s.page()
    hdp = s.h / s.dp
    light = s.rng.random() < 0.3
    bg, fg = ((235, 235, 235), (20, 20, 20)) if light else ((50, 50, 54), (250, 250, 250))
    y0 = hdp * s.rng.uniform(0.45, 0.8)
    font = s.f(s.p["text_dp"] * 0.95)
    tw = min(s.draw.textlength(s.p["key_line"], font=font) / s.dp, 300)
    s.rrect((180 - tw / 2 - 16, y0, 180 + tw / 2 + 16, y0 + 40), 20, bg)
    s.key(180, y0 + 20, anchor="mm", size=s.p["text_dp"] * 0.95, fill=fg, max_w=300, wrap=False)
    return {"box": (180 - tw / 2 - 16, y0, 180 + tw / 2 + 16, y0 + 40)}


def _snackbar(s: _Screen) -> dict:
    s.page()
    hdp = s.h / s.dp
    y0 = hdp - 130
    bg = (50, 50, 54) if s.p["theme"] in ("light", "grey") else (226, 226, 230)
    fg = (245, 245, 245) if s.p["theme"] in ("light", "grey") else (25, 25, 28)
    s.rrect((10, y0 - 12, 350, y0 + 64), 6, bg)
    s.key(24, y0 + 26, anchor="lm", fill=fg, max_w=235)
    s.text(340, y0 + 18, s.ui["retry"].upper(), 14, bold=True, fill=s.accent, anchor="ra")
    return {"box": (10, y0, 350, y0 + 52)}


def _banner(s: _Screen) -> dict:
    s.page()
    colours = [((253, 236, 234), (176, 32, 32)), ((255, 244, 214), (120, 80, 0)), ((180, 40, 40), (255, 255, 255))]
    if s.p["theme"] in ("dark", "oled"):
        colours = [((70, 28, 28), (255, 180, 170)), ((64, 52, 20), (255, 220, 140)), ((150, 30, 30), (255, 255, 255))]
    bg, fg = colours[int(s.rng.integers(len(colours)))]
    s.draw.rectangle([0, s.d(80), s.w, s.d(128)], fill=bg)
    s.draw.ellipse([s.d(14), s.d(95), s.d(32), s.d(113)], outline=fg, width=s.d(2))
    s.text(23, 97, "!", 12, bold=True, fill=fg, anchor="ma")
    s.key(42, 104, anchor="lm", fill=fg, max_w=305, wrap=False)
    return {"box": (0, 80, 360, 128)}


def _bottom_sheet(s: _Screen) -> dict:
    s.page()
    s.scrim(0.4)
    hdp = s.h / s.dp
    y0 = hdp - 250
    s.rrect((0, y0, 360, hdp + 20), 20, s.surface)
    s.rrect((160, y0 + 10, 200, y0 + 15), 3, s.fg2)
    s.text(24, y0 + 36, s.ui["error"], 19, bold=True)
    s.key(24, y0 + 80, max_w=312)
    s.rrect((24, y0 + 160, 336, y0 + 206), 23, s.accent)
    s.text(180, y0 + 174, s.ui["retry"], 16, bold=True, fill=(255, 255, 255), anchor="ma")
    return {"box": (0, y0, 360, hdp)}


def _notification(s: _Screen) -> dict:
    s.page()
    s.scrim(0.35)
    shade = (236, 236, 240) if s.p["theme"] in ("light", "grey") else (38, 38, 42)
    fg = (20, 20, 24) if s.p["theme"] in ("light", "grey") else (240, 240, 244)
    fg2 = (100, 100, 108) if s.p["theme"] in ("light", "grey") else (170, 170, 178)
    y0 = 8 + s.rng.uniform(0, 30)
    s.rrect((8, y0, 352, y0 + 84), 18, shade)
    s.rrect((20, y0 + 14, 40, y0 + 34), 5, s.accent)
    s.text(48, y0 + 16, f"{s.ui['app']} · {s.ui['now']}", 11, fill=fg2)
    s.text(20, y0 + 40, s.ui["title"], 14, bold=True, fill=fg)
    s.key(20, y0 + 62, size=s.p["text_dp"] * 0.9, fill=fg, max_w=320, wrap=False)
    return {"box": (8, y0, 352, y0 + 84)}


def _full_page(s: _Screen) -> dict:
    hdp = s.h / s.dp
    s.text(20, 10, f"{int(s.rng.integers(8, 23))}:{int(s.rng.integers(0, 60)):02d}", 12, bold=True)
    cy = hdp * 0.32
    s.draw.ellipse([s.d(130), s.d(cy - 50), s.d(230), s.d(cy + 50)], outline=s.fg2, width=s.d(3))
    s.text(180, cy - 26, "!", 40, bold=True, fill=s.fg2, anchor="ma")
    s.text(180, cy + 80, s.ui["error"], 21, bold=True, anchor="ma")
    s.key(180, cy + 124, anchor="ma", fill=s.fg2 if s.rng.random() < 0.5 else s.fg, max_w=320)
    s.rrect((60, cy + 200, 300, cy + 246), 23, s.accent)
    s.text(180, cy + 214, s.ui["retry"], 16, bold=True, fill=(255, 255, 255), anchor="ma")
    return {"box": (0, cy - 60, 360, cy + 230)}


def _inline_error(s: _Screen) -> dict:
    s.page()
    red = (211, 47, 47) if s.p["theme"] in ("light", "grey") else (255, 110, 100)
    s.rrect((20, 445, 340, 485), 6, s.surface, outline=red)
    s.key(22, 492, size=min(s.p["text_dp"], 13.5), fill=red, max_w=318, wrap=False)
    return {"box": (20, 445, 340, 510)}


CAMERA_KEY_LINES = {
    "zh_Hans": ("请正对镜头，保持面部在框内", "光线太暗，请移至明亮处", "检测到多张人脸，请仅一人入镜", "请摘下眼镜或口罩后重试",
                "请将证件放入框内并对齐边框", "证件反光，请调整角度", "图像模糊，请保持手机稳定"),
    "zh_Hant": ("請正對鏡頭，保持臉部在框內", "光線太暗，請移至明亮處", "偵測到多張人臉，請僅一人入鏡", "請摘下眼鏡或口罩後重試",
                "請將證件放入框內並對齊邊框", "證件反光，請調整角度", "影像模糊，請保持手機穩定"),
    "en": ("Keep your face inside the circle", "Too dark. Move to a brighter place", "More than one face detected",
           "Remove glasses or mask and try again", "Place your ID inside the frame", "Glare on your ID. Tilt it slightly",
           "Image is blurry. Hold your phone still"),
}


def plan_camera_screen(rng: np.random.Generator) -> dict:
    """The app's own capture step: a live camera preview (a face or a card) under a mask, with the error line."""
    plan = plan_screen(rng)
    target = str(rng.choice(["face", "document"]))
    plan.update(style=f"camera_{target}", theme="camera",
                key_line=str(rng.choice(CAMERA_KEY_LINES[plan["language"]][:4] if target == "face"
                                        else CAMERA_KEY_LINES[plan["language"]][4:])),
                person=str(rng.choice(["astronaut", "grace_hopper"])), preview_shift=float(rng.uniform(-0.1, 0.1)),
                key_colour=str(rng.choice(["white", "yellow", "red"])))
    return plan


def _camera(s: _Screen) -> dict:
    from . import documents, photo

    w, h = s.w, s.h
    if s.p["style"] == "camera_face":
        face = next(f for f in assets.face_photos() if f.name == s.p["person"])
        fx, fy, fw, fh = face.face
        crop_w = min(face.image.width, int(fw / 0.45))
        crop_h = min(face.image.height, int(crop_w * h / w))
        crop_w = int(crop_h * w / h)
        x0 = int(min(max(fx + fw / 2 - crop_w / 2 + s.p["preview_shift"] * fw, 0), face.image.width - crop_w))
        y0 = int(min(max(fy + fh / 2 - crop_h * 0.45, 0), face.image.height - crop_h))
        preview = face.image.crop((x0, y0, x0 + crop_w, y0 + crop_h)).resize((w, h), Image.BILINEAR)
    else:
        doc = documents.plan_document(s.rng, str(s.rng.choice(sorted(documents.TEMPLATES))), _PREVIEW_DATE, False)
        card, _ = documents.draw_document(doc, int(w * 0.8), s.rng)
        bg = photo.to_image(photo.wood(s.rng, w, h))
        bg.paste(card, (int(w * 0.1), int(h * 0.5 - card.height / 2)))
        preview = bg
    s.img = preview.convert("RGB")
    s.draw = ImageDraw.Draw(s.img, "RGBA")
    hdp = h / s.dp
    # a dark mask with a clear window: a circle for the face, a card-shaped frame for the document
    mask = Image.new("L", (w, h), 150)
    md = ImageDraw.Draw(mask)
    if s.p["style"] == "camera_face":
        box = (40, hdp * 0.42 - 140, 320, hdp * 0.42 + 140)
        md.ellipse([s.d(v) for v in box], fill=0)
    else:
        box = (18, hdp * 0.5 - 108, 342, hdp * 0.5 + 108)
        md.rounded_rectangle([s.d(v) for v in box], radius=s.d(12), fill=0)
    s.img.paste(Image.new("RGB", (w, h), (0, 0, 0)), (0, 0), mask)
    s.draw = ImageDraw.Draw(s.img)
    s.fg, s.fg2 = (255, 255, 255), (210, 210, 215)
    s.text(20, 10, f"{int(s.rng.integers(8, 23))}:{int(s.rng.integers(0, 60)):02d}", 12, bold=True)
    s.text(20, 44, "×", 24)
    s.text(180, 48, s.ui["title"], 17, bold=True, anchor="ma")
    colour = {"white": (255, 255, 255), "yellow": (255, 214, 10), "red": (255, 90, 80)}[s.p["key_colour"]]
    s.key(180, box[3] + 30, anchor="ma", fill=colour, size=max(15.0, s.p["text_dp"]), max_w=320)
    s.draw.ellipse([s.d(150), s.d(hdp - 110), s.d(210), s.d(hdp - 50)], outline=(255, 255, 255), width=s.d(4))
    return {"box": (0, box[3] + 20, 360, box[3] + 80)}


_DRAWERS = {"dialog": _dialog, "toast": _toast, "snackbar": _snackbar, "banner": _banner,
            "bottom_sheet": _bottom_sheet, "notification": _notification, "full_page": _full_page,
            "inline_error": _inline_error, "camera_face": _camera, "camera_document": _camera}


def draw_screen(plan: dict, rng: np.random.Generator) -> Image.Image:
    s = _Screen(plan, rng)
    _DRAWERS[plan["style"]](s)
    return s.img
