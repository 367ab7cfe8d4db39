"""'Other' attachments: landscapes, receipts, everyday photos, a printed page."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from . import assets, photo

SUBJECTS = ("landscape", "receipt", "photo", "page")

_SHOPS = ({"name": "便利店 FamilyMart", "items": ("矿泉水", "三明治", "咖啡", "口香糖"), "total": "合计", "font": "cjk-sc"},
          {"name": "7-ELEVEN 統一超商", "items": ("綠茶", "飯糰", "報紙", "雨傘"), "total": "合計", "font": "cjk-tc"},
          {"name": "CORNER CAFE", "items": ("Flat white", "Croissant", "Orange juice", "Muffin"), "total": "TOTAL",
           "font": "mono"})


def draw_other(plan: dict, rng: np.random.Generator) -> np.ndarray:
    w, h = plan["width"], plan["height"]
    subject = plan["subject"]
    if subject == "landscape":
        return _landscape(rng, w, h)
    if subject == "photo":
        src = assets.texture(plan["source"])
        img = photo.to_float(src.resize((w, h), Image.LANCZOS))
        return photo.colour_cast(rng, img, 0.08)
    if subject == "page":
        page = Image.new("RGB", (w, h), (245, 243, 238))
        d = ImageDraw.Draw(page)
        f = assets.font("serif", max(12, w // 45))
        words = ("the", "quarterly", "report", "shows", "growth", "in", "all", "regions", "and", "costs", "were", "lower")
        for i in range(int(h / (f.size * 1.6)) - 4):
            line = " ".join(rng.choice(words, size=9))
            d.text((w * 0.08, f.size * (3 + i * 1.6)), line.capitalize(), font=f, fill=(30, 30, 30))
        return photo.to_float(page)
    return _receipt(rng, w, h)


def _landscape(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    top, bottom = np.array([70, 130, 210], np.float32), np.array([200, 220, 240], np.float32)
    img = np.broadcast_to(top * (1 - y) + bottom * y, (h, w, 3)).copy()
    for layer in range(3):
        base = h * (0.45 + 0.12 * layer)
        xs = np.arange(w, dtype=np.float32)
        ridge = base + np.cumsum(rng.normal(0, h * 0.004, w)).astype(np.float32)
        ridge += h * 0.05 * np.sin(xs / w * rng.uniform(2, 6) + rng.uniform(0, 6))
        colour = np.array([(90, 110, 120), (60, 100, 60), (40, 80, 40)][layer], np.float32)
        rows = np.arange(h, dtype=np.float32)[:, None]
        mask = (rows > ridge[None, :])[..., None]
        img = np.where(mask, colour * rng.uniform(0.85, 1.15), img)
    return photo.sensor_noise(rng, img, 3)


def _receipt(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    shop = _SHOPS[int(rng.integers(len(_SHOPS)))]
    pw, ph = int(w * 0.5), int(h * 0.85)
    paper = Image.new("RGB", (pw, ph), (250, 249, 244))
    d = ImageDraw.Draw(paper)
    f = assets.font(shop["font"], max(12, pw // 22))
    y = f.size
    d.text((pw // 2, y), shop["name"], font=f, fill=(20, 20, 20), anchor="ma")
    y += int(f.size * 2.2)
    total = 0.0
    for item in rng.choice(shop["items"], size=int(rng.integers(3, 7))):
        price = float(rng.integers(3, 60)) + 0.5 * int(rng.integers(0, 2))
        total += price
        d.text((pw * 0.06, y), str(item), font=f, fill=(20, 20, 20))
        d.text((pw * 0.94, y), f"{price:.2f}", font=f, fill=(20, 20, 20), anchor="ra")
        y += int(f.size * 1.5)
    d.text((pw * 0.06, y + f.size), shop["total"], font=f, fill=(20, 20, 20))
    d.text((pw * 0.94, y + f.size), f"{total:.2f}", font=f, fill=(20, 20, 20), anchor="ra")
    for i in range(40):
        x = int(pw * 0.15 + i * pw * 0.7 / 40)
        if rng.random() < 0.6:
            d.rectangle((x, ph - pw // 4, x + max(1, pw // 150), ph - pw // 10), fill=(20, 20, 20))
    scene = photo.wood(rng, w, h)
    x0, y0 = (w - pw) // 2 + int(rng.uniform(-0.1, 0.1) * w), (h - ph) // 2
    scene[y0:y0 + ph, x0:x0 + pw] = photo.to_float(paper)
    return photo.shadow(rng, scene, strength=0.25)
