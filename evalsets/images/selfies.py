"""Selfies from real face photographs (good, dark, blurred, small, two faces) and 'selfies' with no face at all."""

from __future__ import annotations

import functools
import math

import cv2
import numpy as np
from PIL import Image, ImageFilter, ImageOps

from . import assets, photo

NO_FACE_SUBJECTS = ("ceiling", "hand", "wall", "floor")


def _face(name: str) -> assets.FacePhoto:
    return next(f for f in assets.face_photos() if f.name == name)


def _crop_around_face(face: assets.FacePhoto, frac: float, aspect: float, dx: float, dy: float,
                      flip: bool) -> Image.Image:
    """A crop in which the face is `frac` of the width, shifted by dx/dy (in face widths); edges reflected."""
    fx, fy, fw, fh = face.face
    cw = fw / frac
    ch = cw * aspect
    cx = fx + fw / 2 + dx * fw
    top = fy - (ch - fh) * 0.38 + dy * fh
    src = np.asarray(face.image)
    ih, iw = src.shape[:2]
    # keep the crop inside the photograph where it fits (no mirrored hair); reflect only what cannot fit
    x0 = int(min(max(cx - cw / 2, 0), max(0, iw - cw)))
    y0 = int(min(max(top, 0), max(0, ih - ch)))
    pad = int(max(cw, ch))
    padded = cv2.copyMakeBorder(src, pad, pad, pad, pad, cv2.BORDER_REFLECT_101)
    x0, y0 = x0 + pad, y0 + pad
    crop = Image.fromarray(padded[y0:y0 + int(ch), x0:x0 + int(cw)])
    return ImageOps.mirror(crop) if flip else crop


@functools.lru_cache(maxsize=4)
def _matted(name: str) -> assets.FacePhoto:
    """The photograph with an alpha matte of the person (GrabCut inside a box around head and shoulders)."""
    face = _face(name)
    img = np.asarray(face.image)
    fx, fy, fw, fh = face.face
    x0, x1 = max(1, int(fx - fw * 1.3)), min(img.shape[1] - 2, int(fx + fw * 2.3))
    y0 = max(1, int(fy - fh * 0.5))
    mask = np.full(img.shape[:2], cv2.GC_BGD, np.uint8)
    mask[y0:, x0:x1] = cv2.GC_PR_FGD
    cv2.ellipse(mask, (fx + fw // 2, fy + fh // 2), (int(fw * 0.45), int(fh * 0.55)), 0, 0, 360, int(cv2.GC_FGD), -1)
    mask[int(fy + fh * 1.15):, max(0, int(fx - fw * 0.2)):int(fx + fw * 1.2)] = cv2.GC_FGD  # neck and chest
    cv2.setRNGSeed(7)
    cv2.grabCut(np.ascontiguousarray(img[:, :, ::-1]), mask, None, np.zeros((1, 65), np.float64),
                np.zeros((1, 65), np.float64), 5, cv2.GC_INIT_WITH_MASK)
    alpha = np.where((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
    alpha = cv2.GaussianBlur(alpha, (0, 0), 1.5)
    return assets.FacePhoto(name, Image.fromarray(np.dstack([img, alpha]), "RGBA"), face.face)


def _on_background(plan: dict, rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """The person cut out of the photograph and put in front of another, defocused background."""
    crop = _crop_around_face(_matted(plan["person"]), plan["face_frac"], h / w, plan["dx"], plan["dy"], plan["flip"])
    person = crop.resize((w, h), Image.LANCZOS)
    rgb = photo.to_float(person.convert("RGB").filter(ImageFilter.UnsharpMask(2, 60, 2)))
    alpha = np.asarray(person.getchannel("A"), np.float32)[..., None] / 255.0
    bg = photo.gaussian_blur(photo.background(rng, plan["background"], w, h), plan["bg_blur"])
    return bg * (1 - alpha) + rgb * alpha


def draw_selfie(plan: dict, rng: np.random.Generator) -> np.ndarray:
    """The selfie as a float RGB array at its final size (before JPEG)."""
    w, h = plan["width"], plan["height"]
    if plan["subject"] in NO_FACE_SUBJECTS:
        img = _no_face(plan["subject"], rng, w, h)
    elif plan["subject"] == "two_faces":
        img = _two_faces(plan, rng, w, h)
    elif plan.get("background"):
        img = _on_background(plan, rng, w, h)
    else:
        crop = _crop_around_face(_face(plan["person"]), plan["face_frac"], h / w, plan["dx"], plan["dy"], plan["flip"])
        img = photo.to_float(crop.resize((w, h), Image.LANCZOS).filter(ImageFilter.UnsharpMask(2, 60, 2)))
    if plan["roll"]:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), plan["roll"], 1.0)
        img = cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REFLECT_101)
    img = photo.colour_cast(rng, img, plan["cast"])
    if plan["blur_sigma"]:
        img = photo.gaussian_blur(img, plan["blur_sigma"])
    if plan["motion"]:
        img = photo.motion_blur(img, plan["motion"], rng.uniform(0, 180))
    img = photo.exposure(img, plan["gain"], plan["gamma"])
    return photo.sensor_noise(rng, img, plan["noise"])


def _two_faces(plan: dict, rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    a, b = plan["person"], plan["person2"]
    if plan["layout"] == "side_by_side":
        half = w // 2
        left = _crop_around_face(_face(a), plan["face_frac"], h / half, plan["dx"], plan["dy"], False)
        right = _crop_around_face(_face(b), plan["face_frac"], h / (w - half), -plan["dx"], plan["dy"], True)
        canvas = np.zeros((h, w, 3), np.float32)
        canvas[:, :half] = photo.to_float(left.resize((half, h), Image.LANCZOS))
        canvas[:, half:] = photo.to_float(right.resize((w - half, h), Image.LANCZOS))
        seam = int(w * 0.06)
        ramp = np.linspace(0, 1, 2 * seam, dtype=np.float32)[None, :, None]
        mix = canvas[:, half - seam:half + seam]
        canvas[:, half - seam:half + seam] = cv2.GaussianBlur(mix, (0, 0), seam / 3) * (1 - np.abs(ramp - 0.5) * 2) \
            + mix * np.abs(ramp - 0.5) * 2
        return canvas
    main = _crop_around_face(_face(a), plan["face_frac"], h / w, plan["dx"], plan["dy"], plan["flip"])
    canvas = photo.to_float(main.resize((w, h), Image.LANCZOS))
    # a second, smaller face over a shoulder
    fw = int(w * plan["second_frac"])
    small = _crop_around_face(_face(b), 0.62, 1.25, 0, 0, True).resize((fw, int(fw * 1.25)), Image.LANCZOS)
    arr = photo.to_float(small)
    sh, sw = arr.shape[:2]
    x0 = int(w * 0.04) if plan["dx"] > 0 else w - sw - int(w * 0.04)
    y0 = int(h * 0.08)
    mask = np.zeros((sh, sw), np.float32)
    cv2.ellipse(mask, (sw // 2, sh // 2), (int(sw * 0.48), int(sh * 0.48)), 0, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), sw * 0.04)[..., None]
    canvas[y0:y0 + sh, x0:x0 + sw] = canvas[y0:y0 + sh, x0:x0 + sw] * (1 - mask) + arr * mask
    return canvas


def _no_face(subject: str, rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    if subject == "ceiling":
        base = rng.uniform(170, 225)
        img = np.ones((h, w, 3), np.float32) * base * rng.uniform(0.95, 1.03, 3).astype(np.float32)
        img *= (1 - 0.25 * ((x - w * 0.5) ** 2 + (y - h * 0.3) ** 2) / (w * w + h * h))[..., None]
        # a lamp that is bright but not blown out, and the ceiling's edges
        cx, cy, r = w * rng.uniform(0.3, 0.7), h * rng.uniform(0.2, 0.5), w * rng.uniform(0.08, 0.15)
        lamp = np.exp(-(((x - cx) ** 2 + (y - cy) ** 2) / (r * r)))[..., None]
        img = img * (1 - lamp) + lamp * 232
        for _ in range(2):
            p0 = (int(rng.uniform(0, w)), 0)
            p1 = (int(rng.uniform(0, w)), h)
            cv2.line(img, p0, p1, (base * 0.8,) * 3, max(2, w // 300))
        return cv2.GaussianBlur(img, (0, 0), 1.2)
    if subject == "hand":
        img = photo.plain(rng, w, h, light=bool(rng.random() < 0.5))
        img = cv2.GaussianBlur(img, (0, 0), 8)
        skin = np.array(rng.choice([(224, 172, 140), (198, 134, 96), (141, 85, 54), (240, 200, 170)]), np.float32)
        mask = np.zeros((h, w), np.float32)
        cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.55, 0.75)
        cv2.ellipse(mask, (int(cx), int(cy)), (int(w * 0.32), int(h * 0.22)), rng.uniform(-15, 15), 0, 360, 1.0, -1)
        for i in range(4):
            fx = cx + (i - 1.5) * w * 0.14
            ang = math.radians(rng.uniform(-8, 8))
            x1, y1 = fx + math.sin(ang) * h * 0.35, cy - h * rng.uniform(0.42, 0.55)
            cv2.line(mask, (int(fx), int(cy)), (int(x1), int(y1)), 1.0, int(w * 0.11))
        cv2.line(mask, (int(cx - w * 0.3), int(cy)), (int(cx - w * 0.48), int(cy - h * 0.2)), 1.0, int(w * 0.12))
        mask = cv2.GaussianBlur(mask, (0, 0), w * 0.008)[..., None]
        shade = 0.85 + 0.15 * np.sin(x / w * 3 + y / h * 2)[..., None]
        return img * (1 - mask) + skin * shade * mask
    if subject == "wall":
        img = photo.plain(rng, w, h, light=True)
        x0, y0 = int(w * rng.uniform(0.2, 0.35)), int(h * rng.uniform(0.2, 0.3))
        x1, y1 = int(w * rng.uniform(0.65, 0.8)), int(h * rng.uniform(0.5, 0.6))
        cv2.rectangle(img, (x0, y0), (x1, y1), (60, 45, 30), max(4, w // 60))
        scene = photo.to_float(assets.texture(str(rng.choice(["coffee.png", "rocket.jpg", "motorcycle_left.png"]))))
        inner = cv2.resize(scene, (x1 - x0 - w // 30, y1 - y0 - w // 30))
        img[y0 + w // 60:y0 + w // 60 + inner.shape[0], x0 + w // 60:x0 + w // 60 + inner.shape[1]] = inner
        return img
    return photo.fabric(rng, w, h) if rng.random() < 0.5 else photo.photo_texture(rng, w, h)
