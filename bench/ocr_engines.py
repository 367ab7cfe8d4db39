"""OCR engines side by side on app screens: key-line CER and seconds per image, per language x theme x style x size.

Run: python bench/ocr_engines.py [--engines tesseract,rapidocr,rapidocr@960] [--sizes 1080x2340,720x1560]
                                 [--json FILE]
No Django needed. The screens are drawn here, apart from the product's own generator (tickets/demo/images.py),
with other fonts (Noto Sans/Serif CJK SC/TC, DejaVu), six app styles (dialog, toast, snackbar, banner, bottom
sheet, notification) and four themes (light, dark, OLED black, grey). `rapidocr@N` detects at a long side of N px.
Seconds are the CPU time of the whole analyse() call in this process (one thread: the cost on one idle core,
steady under other load), with the wall time beside it. This is the TUNE data of the OCR policy: the issue's
targets are checked on the independent set in evalsets/ (its --ocr-only mode).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import statistics
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

NOTO = Path("/usr/share/fonts/opentype/noto")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# (file, face index): SC is index 2, TC index 3 in the Noto CJK collections.
FONTS = {
    "zh": [(NOTO / "NotoSansCJK-Regular.ttc", 2), (NOTO / "NotoSerifCJK-Regular.ttc", 2),
           (NOTO / "NotoSansCJK-Bold.ttc", 2)],
    "zh-Hant": [(NOTO / "NotoSansCJK-Regular.ttc", 3), (NOTO / "NotoSerifCJK-Regular.ttc", 3),
                (NOTO / "NotoSansCJK-Bold.ttc", 3)],
    "en": [(DEJAVU / "DejaVuSans.ttf", 0), (DEJAVU / "DejaVuSerif.ttf", 0), (NOTO / "NotoSansCJK-Regular.ttc", 2),
           (DEJAVU / "DejaVuSansCondensed-Bold.ttf", 0)],
}
KEY_LINES = {
    "zh": ["上传失败，网络连接超时，请稍后重试", "人脸识别失败，请确保光线充足", "证件照片不清晰，请重新拍摄",
           "您的账户存在安全风险，认证已暂停", "认证审核中，预计1-3个工作日完成", "页面加载失败，请清除缓存后重试",
           "当前设备不支持活体检测", "姓名与证件信息不一致，请核对"],
    "zh-Hant": ["上傳失敗，網路連線逾時，請稍後重試", "人臉辨識失敗，請確保光線充足", "證件照片不清晰，請重新拍攝",
                "您的帳戶存在安全風險，驗證已暫停", "驗證審核中，預計1-3個工作天完成", "頁面載入失敗，請清除快取後重試",
                "目前裝置不支援活體偵測", "姓名與證件資料不一致，請核對"],
    "en": ["Upload failed: network timeout, please try again", "Face verification failed. Make sure your face is lit",
           "Document photo is blurry, please retake it", "Your account is locked for security reasons",
           "Verification under review (1-3 business days)", "Page failed to load. Clear your cache and retry",
           "This device does not support the liveness check", "Name does not match your ID document"],
}
CHROME = {
    "zh": {"app": "钱包", "title": "实名认证", "rows": ["账户设置", "安全中心", "交易记录", "帮助与反馈", "关于我们"],
           "ok": "确定", "cancel": "取消", "retry": "重试", "notice": "系统通知"},
    "zh-Hant": {"app": "錢包", "title": "實名認證", "rows": ["帳戶設定", "安全中心", "交易紀錄", "幫助與回饋", "關於我們"],
                "ok": "確定", "cancel": "取消", "retry": "重試", "notice": "系統通知"},
    "en": {"app": "Wallet", "title": "Verify identity", "rows": ["Account settings", "Security", "Transactions",
                                                                  "Help and feedback", "About us"],
           "ok": "OK", "cancel": "Cancel", "retry": "RETRY", "notice": "System notice"},
}
THEMES = {
    "light": {"bg": (246, 246, 248), "card": (255, 255, 255), "text": (24, 24, 27), "muted": (120, 120, 128),
              "error": (214, 40, 40), "accent": (0, 110, 230), "scrim": (0, 0, 0, 110), "toast": (50, 50, 54),
              "toast_text": (250, 250, 250), "banner": (253, 232, 232)},
    "dark": {"bg": (30, 30, 34), "card": (44, 44, 50), "text": (232, 232, 236), "muted": (150, 150, 158),
             "error": (255, 105, 97), "accent": (90, 160, 255), "scrim": (0, 0, 0, 140), "toast": (226, 226, 230),
             "toast_text": (28, 28, 30), "banner": (70, 28, 28)},
    "oled": {"bg": (0, 0, 0), "card": (18, 18, 20), "text": (255, 255, 255), "muted": (140, 140, 146),
             "error": (255, 69, 58), "accent": (10, 132, 255), "scrim": (0, 0, 0, 160), "toast": (58, 58, 60),
             "toast_text": (255, 255, 255), "banner": (40, 10, 10)},
    "grey": {"bg": (158, 158, 164), "card": (196, 196, 200), "text": (20, 20, 22), "muted": (70, 70, 76),
             "error": (150, 0, 0), "accent": (0, 60, 150), "scrim": (0, 0, 0, 90), "toast": (60, 60, 64),
             "toast_text": (240, 240, 240), "banner": (220, 170, 170)},
}
STYLES = ("dialog", "toast", "snackbar", "banner", "sheet", "notification")
LANGS = ("zh", "zh-Hant", "en")


def _font(lang: str, size: int, pick: int):  # noqa: ANN202 - PIL font
    from PIL import ImageFont

    path, index = FONTS[lang][pick % len(FONTS[lang])]
    return ImageFont.truetype(str(path), size, index=index)


def _wrap(draw, text: str, fnt, width: int) -> list[str]:  # noqa: ANN001
    """Greedy wrap by words (Latin) or characters (CJK) to a pixel width."""
    tokens = text.split(" ") if text.isascii() else list(text)
    sep = " " if text.isascii() else ""
    out, cur = [], ""
    for tok in tokens:
        trial = cur + sep + tok if cur else tok
        if draw.textlength(trial, font=fnt) <= width or not cur:
            cur = trial
        else:
            out.append(cur)
            cur = tok
    return out + [cur] if cur else out


def make_screen(lang: str, theme: str, style: str, size: tuple[int, int], seed: int) -> tuple[bytes, str]:
    """PNG of an app screen showing one key line in the given style; returns (png, key line)."""
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    c, t = THEMES[theme], CHROME[lang]
    key = rnd.choice(KEY_LINES[lang])
    pick = rnd.randrange(8)
    w, h = size
    s = w / 1080.0
    img = Image.new("RGB", (w, h), c["bg"])
    d = ImageDraw.Draw(img)
    small, body = _font(lang, int(30 * s), pick), _font(lang, int(rnd.choice((36, 40, 44)) * s), pick)
    # the app behind: status bar, title, a list of rows
    d.text((int(40 * s), int(26 * s)), "9:41", font=_font("en", int(32 * s), 0), fill=c["text"])
    d.text((int(w * 0.78), int(26 * s)), "5G 87%", font=_font("en", int(28 * s), 0), fill=c["text"])
    tf = _font(lang, int(48 * s), pick)
    d.text(((w - d.textlength(t["title"], font=tf)) / 2, int(130 * s)), t["title"], font=tf, fill=c["text"])
    for i, row in enumerate(t["rows"]):
        y = int((300 + i * 150) * s)
        d.rounded_rectangle((int(40 * s), y, w - int(40 * s), y + int(120 * s)), radius=int(20 * s), fill=c["card"])
        d.text((int(80 * s), y + int(38 * s)), row, font=body, fill=c["text"])
        d.text((w - int(110 * s), y + int(30 * s)), ">", font=body, fill=c["muted"])
    margin = int(rnd.choice((60, 90, 120)) * s)
    if style in ("dialog", "sheet"):
        scrim = Image.new("RGBA", (w, h), c["scrim"])
        img = Image.alpha_composite(img.convert("RGBA"), scrim).convert("RGB")
        d = ImageDraw.Draw(img)
    if style == "dialog":
        lines = _wrap(d, key, body, w - 2 * margin - int(100 * s))
        lh = int(body.size * 1.5)
        top = h // 2 - int(200 * s)
        bottom = top + int(150 * s) + lh * len(lines) + int(160 * s)
        d.rounded_rectangle((margin, top, w - margin, bottom), radius=int(32 * s), fill=c["card"])
        hf = _font(lang, int(46 * s), pick + 1)
        d.text(((w - d.textlength(t["notice"], font=hf)) / 2, top + int(50 * s)), t["notice"], font=hf, fill=c["text"])
        for i, ln in enumerate(lines):
            d.text(((w - d.textlength(ln, font=body)) / 2, top + int(150 * s) + i * lh), ln, font=body,
                   fill=c["error"] if pick % 2 else c["text"])
        by = bottom - int(110 * s)
        d.line((margin, by, w - margin, by), fill=c["muted"], width=max(1, int(2 * s)))
        for label, x in ((t["cancel"], w // 2 - int(200 * s)), (t["ok"], w // 2 + int(120 * s))):
            d.text((x, by + int(30 * s)), label, font=body, fill=c["accent"])
    elif style == "toast":
        tf2 = _font(lang, int(rnd.choice((32, 34, 38)) * s), pick)
        lines = _wrap(d, key, tf2, w - 2 * margin - int(80 * s))
        lh = int(tf2.size * 1.45)
        tw = max(d.textlength(ln, font=tf2) for ln in lines) + int(80 * s)
        top = h - int(420 * s) - lh * len(lines)
        d.rounded_rectangle(((w - tw) / 2, top, (w + tw) / 2, top + lh * len(lines) + int(50 * s)),
                            radius=int(40 * s), fill=c["toast"])
        for i, ln in enumerate(lines):
            d.text(((w - d.textlength(ln, font=tf2)) / 2, top + int(25 * s) + i * lh), ln, font=tf2,
                   fill=c["toast_text"])
    elif style == "snackbar":
        lines = _wrap(d, key, body, w - 2 * int(40 * s) - int(260 * s))
        lh = int(body.size * 1.45)
        top = h - int(260 * s) - lh * len(lines)
        d.rounded_rectangle((int(40 * s), top, w - int(40 * s), top + lh * len(lines) + int(70 * s)),
                            radius=int(12 * s), fill=c["toast"])
        for i, ln in enumerate(lines):
            d.text((int(80 * s), top + int(35 * s) + i * lh), ln, font=body, fill=c["toast_text"])
        d.text((w - int(220 * s), top + int(35 * s)), t["retry"], font=body, fill=c["accent"])
    elif style == "banner":
        lines = _wrap(d, key, body, w - 2 * int(40 * s) - int(120 * s))
        lh = int(body.size * 1.45)
        top = int(220 * s)
        d.rectangle((0, top, w, top + lh * len(lines) + int(50 * s)), fill=c["banner"])
        d.ellipse((int(40 * s), top + int(28 * s), int(80 * s), top + int(68 * s)), fill=c["error"])
        for i, ln in enumerate(lines):
            d.text((int(110 * s), top + int(25 * s) + i * lh), ln, font=body, fill=c["error"])
    elif style == "sheet":
        lines = _wrap(d, key, body, w - 2 * margin)
        lh = int(body.size * 1.5)
        top = h - int(560 * s) - lh * len(lines)
        d.rounded_rectangle((0, top, w, h + int(40 * s)), radius=int(40 * s), fill=c["card"])
        d.rounded_rectangle((w // 2 - int(60 * s), top + int(20 * s), w // 2 + int(60 * s), top + int(30 * s)),
                            radius=int(5 * s), fill=c["muted"])
        hf = _font(lang, int(46 * s), pick + 1)
        d.text((margin, top + int(80 * s)), t["notice"], font=hf, fill=c["text"])
        for i, ln in enumerate(lines):
            d.text((margin, top + int(180 * s) + i * lh), ln, font=body, fill=c["text"])
        by = top + int(220 * s) + lh * len(lines)
        d.rounded_rectangle((margin, by, w - margin, by + int(120 * s)), radius=int(60 * s), fill=c["accent"])
        d.text(((w - d.textlength(t["retry"], font=body)) / 2, by + int(35 * s)), t["retry"], font=body,
               fill=(255, 255, 255))
    else:  # notification: a system card over the top of the screen, small text
        nf = _font(lang, int(rnd.choice((30, 32, 34)) * s), pick)
        lines = _wrap(d, key, nf, w - 2 * int(30 * s) - int(160 * s))
        lh = int(nf.size * 1.4)
        top = int(20 * s)
        d.rounded_rectangle((int(30 * s), top, w - int(30 * s), top + int(110 * s) + lh * len(lines)),
                            radius=int(36 * s), fill=c["card"])
        d.rounded_rectangle((int(60 * s), top + int(30 * s), int(140 * s), top + int(110 * s)), radius=int(18 * s),
                            fill=c["accent"])
        d.text((int(170 * s), top + int(25 * s)), t["app"], font=small, fill=c["muted"])
        for i, ln in enumerate(lines):
            d.text((int(170 * s), top + int(70 * s) + i * lh), ln, font=nf, fill=c["text"])
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue(), key


def screens(sizes: list[tuple[int, int]]) -> list[dict]:
    """Every language x theme x style x size, one screen each, deterministic."""
    out = []
    for li, lang in enumerate(LANGS):
        for ti, theme in enumerate(THEMES):
            for si, style in enumerate(STYLES):
                for zi, size in enumerate(sizes):
                    out.append({"lang": lang, "theme": theme, "style": style, "size": "%dx%d" % size,
                                "seed": 1000 * li + 100 * ti + 10 * si + zi, "wh": size})
    return out


def spaced_error_rate(expected: str, text: str) -> float:
    """Like character_error_rate, but a space between Latin words counts: 'networktimeout' is an error."""
    from tickets.analysis.ocr.text import _substring_distance

    norm = [re.sub(r"\s+", " ", unicodedata.normalize("NFKC", x)).strip() for x in (expected, text.replace("\n", " "))]
    return _substring_distance(norm[0], norm[1]) / max(1, len(norm[0]))


def build_engine(spec: str):  # noqa: ANN201
    """'tesseract', 'rapidocr', 'auto' or 'rapidocr@N' (detection at a long side of N px)."""
    from tickets.analysis.ocr import OcrEngine

    name, _, det = spec.partition("@")
    engine = OcrEngine(name)
    engine.warm()
    if det:
        rapid = engine._rapid_engine()
        rapid.screen_det_side = rapid.photo_det_side = int(det)
    return engine


def run(engines: list[str], sizes: list[tuple[int, int]]) -> list[dict]:
    """Analyse every screen with every engine; one row per (engine, screen)."""
    from tickets.analysis import analyse
    from tickets.analysis.ocr import character_error_rate

    items = screens(sizes)
    pngs = {it["seed"]: make_screen(it["lang"], it["theme"], it["style"], it["wh"], it["seed"]) for it in items}
    rows = []
    for spec in engines:
        engine = build_engine(spec)
        for it in items:
            png, key = pngs[it["seed"]]
            c0, w0 = time.process_time(), time.perf_counter()
            r = analyse(png, filename="screen.png", ocr=engine, preview=False)
            cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            rows.append({**{k: v for k, v in it.items() if k != "wh"}, "engine": spec, "key": key,
                         "cer": round(character_error_rate([key], r.ocr_text), 4),
                         "spaced": round(spaced_error_rate(key, r.ocr_text), 4), "cpu": round(cpu, 3),
                         "wall": round(wall, 3), "ran": r.metrics.get("ocr_engine", ""),
                         "kind": r.kind, "text": r.ocr_text})
        engine.close()
    return rows


def table(rows: list[dict], by: tuple[str, ...], title: str) -> None:
    """Mean key-line CER (max in brackets) and median CPU seconds per cell, one column per engine."""
    engines = list(dict.fromkeys(r["engine"] for r in rows))
    cells: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        cells[tuple(r[k] for k in by)][r["engine"]].append(r)
    print("\n%s" % title)
    print("%-26s" % " x ".join(by) + "".join("%24s" % e for e in engines))
    for key in sorted(cells):
        out = "%-26s" % " ".join(key)
        for e in engines:
            rs = cells[key][e]
            out += "%24s" % ("%.3f (%.2f) %.2fs" % (statistics.mean(r["cer"] for r in rs), max(r["cer"] for r in rs),
                                                   statistics.median(r["cpu"] for r in rs)) if rs else "-")
        print(out)


def main() -> None:
    """Print the tables (CER mean (max) and median CPU s per image) and optionally dump every row as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="tesseract,rapidocr")
    ap.add_argument("--sizes", default="1080x2340,720x1560")
    ap.add_argument("--json", help="write every row (engine, screen, CER, seconds, OCR text) to this file")
    args = ap.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    rows = run(args.engines.split(","), sizes)  # type: ignore[arg-type]
    print("OCR engines on %d screens each (key-line CER mean (max), median CPU s of analyse())" % (len(rows) //
                                                                                                   len(args.engines.split(","))))
    table(rows, ("lang", "theme"), "language x theme")
    table(rows, ("style",), "app style")
    table(rows, ("size",), "screen size")
    table(rows, ("lang",), "language (whole set)")
    en = [r for r in rows if r["lang"] == "en"]
    for e in dict.fromkeys(r["engine"] for r in rows):
        sp = [r["spaced"] for r in en if r["engine"] == e]
        if sp:
            print("%-24s English key lines with word spaces counted: error rate %.3f" % (e, statistics.mean(sp)))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()


# Entry points for `python -m evalsets.images.score --part tune --ocr-only --engine bench.ocr_engines:auto_text`:
# a PIL screen in, the text the product's engine reads out (one engine per process, as in production).
_BY_NAME: dict = {}


def _text(name: str, image) -> str:  # noqa: ANN001
    from tickets.analysis.ocr import OcrEngine

    if name not in _BY_NAME:
        _BY_NAME[name] = OcrEngine(name)
    return "\n".join(line.text for line in _BY_NAME[name].read(image.convert("RGB"), purpose="screen").lines)


def tesseract_text(image) -> str:  # noqa: ANN001
    """Tesseract as the product runs it (chi_sim+eng, PSM 11, chi_tra second pass)."""
    return _text("tesseract", image)


def rapidocr_text(image) -> str:  # noqa: ANN001
    """PP-OCR as the product runs it (no angle classifier, reduced detection, one thread)."""
    return _text("rapidocr", image)


def auto_text(image) -> str:  # noqa: ANN001
    """The default policy."""
    return _text("auto", image)
