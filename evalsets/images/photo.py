"""Camera and scanner effects: placing a flat card in a scene with perspective, light, blur, noise and JPEG.

Every function takes a `numpy.random.Generator` and returns new arrays; nothing here decides a label.
Arrays are float32 RGB in 0..255 unless said otherwise.
"""

from __future__ import annotations

import io
import math

import cv2
import numpy as np
from PIL import Image

from . import assets


def to_float(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("RGB"), dtype=np.float32)


def to_image(arr: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


# ---------------------------------------------------------------- backgrounds

def wood(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Procedural wood grain: stretched rings disturbed by low-frequency noise."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    warp = cv2.resize(rng.normal(0, 1, (8, 8)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    freq = rng.uniform(0.02, 0.06) * 1000 / max(w, h)
    angle = rng.uniform(0, math.pi)
    u = x * math.cos(angle) + y * math.sin(angle)
    rings = 0.5 + 0.5 * np.sin(u * freq + warp * rng.uniform(3, 8))
    base = np.array(rng.choice([(150, 100, 60), (190, 140, 90), (110, 70, 40), (205, 170, 125)]), np.float32)
    return base * (0.75 + 0.3 * rings[..., None])


def fabric(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Woven cloth: two crossed thread gratings and colour jitter."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    period = rng.uniform(4, 10) * max(w, h) / 1500
    weave = 0.5 + 0.25 * np.sin(2 * math.pi * x / period) + 0.25 * np.sin(2 * math.pi * y / period)
    base = np.array([rng.uniform(30, 220) for _ in range(3)], np.float32)
    return base * (0.8 + 0.35 * weave[..., None])


def plain(rng: np.random.Generator, w: int, h: int, *, light: bool | None = None) -> np.ndarray:
    """A plain desk, paper or scanner lid with a soft gradient."""
    if light is None:
        light = rng.random() < 0.5
    level = rng.uniform(200, 250) if light else rng.uniform(40, 120)
    tint = rng.uniform(0.92, 1.05, 3).astype(np.float32)
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    grad = 1.0 + rng.uniform(-0.08, 0.08) * (y - 0.5)
    out = np.empty((h, w, 3), np.float32)
    out[:] = (level * tint * grad).astype(np.float32)
    return out


def photo_texture(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Brick, grass or gravel from scikit-image, tiled and scaled to the scene."""
    tex = assets.texture(str(rng.choice(assets.TEXTURES)))
    scale = rng.uniform(1.0, 3.0) * max(w, h) / 1500
    tw, th = max(32, int(tex.width * scale)), max(32, int(tex.height * scale))
    tile = np.asarray(tex.resize((tw, th), Image.BILINEAR), np.float32)
    reps = (h // th + 1, w // tw + 1, 1)
    return np.tile(tile, reps)[:h, :w].copy()


BACKGROUNDS = {"wood": wood, "fabric": fabric, "plain": plain, "texture": photo_texture}


def background(rng: np.random.Generator, name: str, w: int, h: int) -> np.ndarray:
    return BACKGROUNDS[name](rng, w, h)


# ---------------------------------------------------------------- geometry

def project_corners(card_w: float, card_h: float, *, center: tuple[float, float], width_px: float,
                    tilt_x: float, tilt_y: float, roll: float, focal: float) -> np.ndarray:
    """Corners (tl, tr, br, bl) in scene pixels of a card rotated in 3-D and seen by a pinhole camera.

    tilt_x/tilt_y are out-of-plane angles in degrees (the perspective), roll the in-plane rotation;
    width_px is the card's width as it would appear seen frontally.
    """
    s = width_px / card_w
    pts = np.array([[-card_w / 2, -card_h / 2, 0], [card_w / 2, -card_h / 2, 0],
                    [card_w / 2, card_h / 2, 0], [-card_w / 2, card_h / 2, 0]], np.float64) * s
    ax, ay, az = (math.radians(a) for a in (tilt_x, tilt_y, roll))
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    pts = pts @ (rz @ ry @ rx).T
    z = pts[:, 2] + focal
    return np.stack([center[0] + focal * pts[:, 0] / z, center[1] + focal * pts[:, 1] / z], axis=1)


def homography(card_w: int, card_h: int, corners: np.ndarray) -> np.ndarray:
    src = np.array([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]], np.float32)
    return cv2.getPerspectiveTransform(src, corners.astype(np.float32))


def warp(card: np.ndarray, matrix: np.ndarray, w: int, h: int, *, border: int = cv2.BORDER_CONSTANT) -> np.ndarray:
    return cv2.warpPerspective(card, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=border)


def outside_fraction(corners: np.ndarray, w: int, h: int) -> float:
    """Share of the card's projected area that lies outside the frame (0 when wholly inside)."""
    pad = int(max(w, h))
    scale = 500 / (w + 2 * pad)
    canvas = np.zeros((int((h + 2 * pad) * scale) + 1, int((w + 2 * pad) * scale) + 1), np.uint8)
    pts = ((corners + pad) * scale).astype(np.int32)
    cv2.fillConvexPoly(canvas, pts, 1)
    total = int(canvas.sum())
    x0, y0 = int(pad * scale), int(pad * scale)
    inside = int(canvas[y0:y0 + int(h * scale), x0:x0 + int(w * scale)].sum())
    return 1.0 - inside / total if total else 1.0


def min_margin(corners: np.ndarray, w: int, h: int) -> float:
    """Smallest distance in pixels from a corner to the frame's edge (negative when a corner is outside)."""
    return float(min(corners[:, 0].min(), corners[:, 1].min(), w - corners[:, 0].max(), h - corners[:, 1].max()))


# ---------------------------------------------------------------- light

def shadow(rng: np.random.Generator, img: np.ndarray, *, strength: float) -> np.ndarray:
    """A soft-edged shadow (a hand or a phone) over part of the scene; strength is the darkening (0.2-0.5)."""
    h, w = img.shape[:2]
    mask = np.zeros((h, w), np.float32)
    pts = np.array([[rng.uniform(-0.2, 1.2) * w, rng.uniform(-0.2, 1.2) * h] for _ in range(5)], np.int32)
    cv2.fillPoly(mask, [cv2.convexHull(pts)], 1.0)
    mask = soft_mask(mask, max(w, h) * rng.uniform(0.006, 0.016))
    return img * (1.0 - strength * mask[..., None])


def colour_cast(rng: np.random.Generator, img: np.ndarray, amount: float = 0.12) -> np.ndarray:
    warm = rng.random() < 0.5
    r, b = (1 + amount * rng.uniform(0.3, 1), 1 - amount * rng.uniform(0.3, 1))
    gains = np.array([r, 1.0, b] if warm else [b, 1.0, r], np.float32)
    return img * gains


def vignette(img: np.ndarray, strength: float) -> np.ndarray:
    h, w = img.shape[:2]
    y, x = np.ogrid[0:h, 0:w]
    d = ((x - w / 2) / (w / 2)) ** 2 + ((y - h / 2) / (h / 2)) ** 2
    return img * (1.0 - strength * np.clip(d, 0, 2)[..., None] / 2).astype(np.float32)


def exposure(img: np.ndarray, gain: float, gamma: float = 1.0) -> np.ndarray:
    if gamma == 1.0:
        return np.clip(img * np.float32(gain), 0, 255)
    return 255.0 * np.power(np.clip(img * np.float32(gain), 0, 255) / 255.0, np.float32(gamma))


def specular(shape: tuple[int, int], center: tuple[float, float], radii: tuple[float, float], angle: float) -> np.ndarray:
    """Intensity field (0..~2) of a specular highlight: a saturated elliptical core with a soft halo."""
    h, w = shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    ca, sa = math.cos(angle), math.sin(angle)
    dx, dy = x - center[0], y - center[1]
    u, v = (dx * ca + dy * sa) / radii[0], (-dx * sa + dy * ca) / radii[1]
    r2 = u * u + v * v
    return (1.6 * np.exp(-r2 * 1.2) + 0.5 * np.exp(-r2 * 0.25)).astype(np.float32)


def add_light(img: np.ndarray, field: np.ndarray) -> np.ndarray:
    """Add a light field (1.0 = full white) to an image, clipping like a sensor."""
    return np.minimum(img + field[..., None] * 255.0, 255.0)


def sheen(rng: np.random.Generator, shape: tuple[int, int], amplitude: float) -> np.ndarray:
    """Laminate sheen: a broad, weak diagonal brightening that never saturates printed ink."""
    h, w = shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, math.pi)
    u = (x * math.cos(angle) + y * math.sin(angle)) / max(w, h)
    c = rng.uniform(0.2, 0.8)
    return (amplitude / 255.0 * np.exp(-((u - c) ** 2) / 0.02)).astype(np.float32)


def hologram(rng: np.random.Generator, img: np.ndarray, region: tuple[int, int, int, int], alpha: float) -> np.ndarray:
    """A faint rainbow security pattern printed over part of a card (not glare)."""
    x0, y0, x1, y1 = region
    hh, ww = y1 - y0, x1 - x0
    yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
    phase = (xx + yy) / max(8.0, ww / 12)
    rainbow = np.stack([np.sin(phase), np.sin(phase + 2.1), np.sin(phase + 4.2)], axis=-1) * 0.5 + 0.5
    out = img.copy()
    out[y0:y1, x0:x1] = out[y0:y1, x0:x1] * (1 - alpha) + rainbow * 255 * alpha
    return out


# ---------------------------------------------------------------- optics and sensor

def gaussian_blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigmaX=sigma) if sigma > 0 else img


def motion_blur(img: np.ndarray, length: float, angle_deg: float) -> np.ndarray:
    n = max(3, int(round(length)) | 1)
    kernel = np.zeros((n, n), np.float32)
    kernel[n // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), angle_deg, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (n, n))
    kernel /= kernel.sum()
    return cv2.filter2D(img, -1, kernel)


def _noise_field(rng: np.random.Generator, h: int, w: int, channels: int) -> np.ndarray:
    """Unit gaussian noise of shape (h, w, channels): a 512-px tile of fresh noise, tiled with a random offset."""
    tile = rng.standard_normal((512, 512, channels), dtype=np.float32)
    reps = (h // 512 + 2, w // 512 + 2, 1)
    oy, ox = int(rng.integers(0, 512)), int(rng.integers(0, 512))
    return np.tile(tile, reps)[oy:oy + h, ox:ox + w]


def sensor_noise(rng: np.random.Generator, img: np.ndarray, sigma: float) -> np.ndarray:
    """Shot-like luminance noise (stronger in bright areas) plus coarser chroma noise, as phone sensors show."""
    if sigma <= 0:
        return img
    h, w = img.shape[:2]
    luma = cv2.cvtColor(np.clip(img, 0, 255).astype(np.float32), cv2.COLOR_RGB2GRAY)[..., None]
    scale = np.float32(sigma) * (0.5 + np.sqrt(luma * np.float32(1 / 255.0)))
    noise = _noise_field(rng, h, w, 1) * scale
    chroma = _noise_field(rng, (h + 1) // 2, (w + 1) // 2, 3) * np.float32(sigma * 0.35)
    chroma = cv2.resize(chroma, (w, h), interpolation=cv2.INTER_LINEAR)
    return img + noise + chroma


def soft_mask(mask: np.ndarray, sigma: float) -> np.ndarray:
    """A gaussian-blurred mask, blurred at 1/8 size and scaled back up (the same look, far cheaper)."""
    h, w = mask.shape[:2]
    small = cv2.resize(mask, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), max(0.5, sigma / 8))
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def moire(rng: np.random.Generator, img: np.ndarray, strength: float) -> np.ndarray:
    """A photo of a screen: the screen's pixel grid beating against the camera's (two near-equal gratings)."""
    h, w = img.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    p1 = rng.uniform(2.6, 4.5)
    a1, a2 = rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3) + rng.uniform(0.02, 0.08)
    g1 = np.sin(2 * math.pi * (x * math.cos(a1) + y * math.sin(a1)) / p1)
    g2 = np.sin(2 * math.pi * (x * math.cos(a2) + y * math.sin(a2)) / (p1 * rng.uniform(1.01, 1.06)))
    pattern = 1.0 - strength * (0.5 + 0.5 * g1 * g2)
    return img * pattern[..., None].astype(np.float32)


def resize_to(img: np.ndarray, w: int, h: int) -> np.ndarray:
    inter = cv2.INTER_AREA if w < img.shape[1] else cv2.INTER_CUBIC
    return cv2.resize(img, (w, h), interpolation=inter)


def encode(img: np.ndarray | Image.Image, fmt: str, quality: int = 90) -> bytes:
    """JPEG or PNG bytes; JPEG with 4:2:0 chroma subsampling as phones write it."""
    pil = img if isinstance(img, Image.Image) else to_image(img)
    buf = io.BytesIO()
    if fmt == "jpeg":
        pil.convert("RGB").save(buf, "JPEG", quality=int(quality), subsampling=2)
    else:
        pil.save(buf, "PNG", compress_level=1)
    return buf.getvalue()
