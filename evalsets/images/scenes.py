"""A flat document (or a phone screen) put into a photograph or a scan, following a scene plan."""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image

from . import documents, photo


def card_corners(plan: dict, card_w: int, card_h: int) -> np.ndarray:
    W, H = plan["scene_w"], plan["scene_h"]
    return photo.project_corners(card_w, card_h, center=(plan["cx"] * W, plan["cy"] * H), width_px=card_w,
                                 tilt_x=plan["tilt_x"], tilt_y=plan["tilt_y"], roll=plan["roll"],
                                 focal=1.1 * max(W, H))


def place(plan: dict, ratio: float, rng: np.random.Generator) -> dict:
    """Choose the card's centre so that it is wholly inside the frame, or cut by `crop_amount` on one side.

    Mutates and returns the scene plan; `outside` is the measured share of the card outside the frame.
    """
    W, H = plan["scene_w"], plan["scene_h"]
    cw = int(plan["card_frac"] * W)
    ch = int(cw / ratio)
    margin = 0.015 * min(W, H)
    for _ in range(60):
        corners = card_corners(plan, cw, ch)
        if photo.min_margin(corners, W, H) >= margin:
            break
        # shrink and pull towards the middle until the whole card fits
        plan["card_frac"] *= 0.94
        plan["cx"] = 0.5 + (plan["cx"] - 0.5) * 0.8
        plan["cy"] = 0.5 + (plan["cy"] - 0.5) * 0.8
        cw = int(plan["card_frac"] * W)
        ch = int(cw / ratio)
    if plan.get("crop_side"):
        dx, dy = {"left": (-1, 0), "right": (1, 0), "top": (0, -1), "bottom": (0, 1)}[plan["crop_side"]]
        lo, hi = 0.0, 1.0
        base_cx, base_cy = plan["cx"], plan["cy"]
        for _ in range(30):  # bisect the shift that leaves crop_amount of the card outside
            mid = (lo + hi) / 2
            plan["cx"], plan["cy"] = base_cx + dx * mid, base_cy + dy * mid
            frac = photo.outside_fraction(card_corners(plan, cw, ch), W, H)
            if frac < plan["crop_amount"]:
                lo = mid
            else:
                hi = mid
        plan["cx"], plan["cy"] = base_cx + dx * hi, base_cy + dy * hi
    plan["card_px"] = cw
    plan["outside"] = round(photo.outside_fraction(card_corners(plan, cw, ch), W, H), 4)
    return plan


def draw_document_scene(doc: dict, scene: dict, rng: np.random.Generator) -> np.ndarray:
    """The photographed or scanned document as a float RGB array at its final size (before encoding)."""
    t = documents.TEMPLATES[doc["template"]]
    W, H = scene["scene_w"], scene["scene_h"]
    if scene["capture"] == "scan_tight":
        card, regions = documents.draw_document(doc, W, rng)
        img = photo.to_float(card)
        H = img.shape[0]
        matrix = np.eye(3, dtype=np.float32)
        card_w, card_h = card.size
    else:
        card, regions = documents.draw_document(doc, scene["card_px"], rng)
        card_w, card_h = card.size
        arr = photo.to_float(card)
        if scene.get("hologram"):
            x0, y0, x1, y1 = regions.get("portrait", regions["text"])
            arr = photo.hologram(rng, arr, (x0, y0, min(card_w, x1 + (x1 - x0)), y1), scene["hologram"])
        corners = card_corners(scene, card_w, card_h)
        matrix = photo.homography(card_w, card_h, corners)
        bg = photo.background(rng, scene["background"], W, H)
        if scene["capture"] == "hand":
            _palm(bg, corners, scene["skin"])
        if scene["capture"] != "scan_margin":  # a soft contact shadow under the card
            sh = np.zeros((H, W), np.float32)
            cv2.fillConvexPoly(sh, (corners + np.array([W * 0.006, H * 0.008])).astype(np.int32), 1.0)
            bg *= 1 - 0.35 * photo.soft_mask(sh, max(2, W * 0.006))[..., None]
        warped = photo.warp(arr, matrix, W, H)
        mask = photo.warp(np.ones((card_h, card_w), np.float32), matrix, W, H)[..., None]
        img = bg * (1 - mask) + warped * mask
        if scene["capture"] == "hand":
            _thumb(img, corners, scene["skin"], rng)
    if scene.get("sheen"):
        img = photo.add_light(img, photo.warp(photo.sheen(rng, (card_h, card_w), scene["sheen"]), matrix, W, H))
    if scene.get("shadow"):
        img = photo.shadow(rng, img, strength=scene["shadow"])
    if scene.get("cast"):
        img = photo.colour_cast(rng, img, scene["cast"])
    if scene.get("vignette"):
        img = photo.vignette(img, scene["vignette"])
    img = photo.exposure(img, scene["gain"], scene["gamma"])
    if scene.get("glare"):
        g = scene["glare"]
        x0, y0, x1, y1 = regions["text"]
        gx, gy = x0 + g["u"] * (x1 - x0), y0 + g["v"] * (y1 - y0)
        field = photo.specular((card_h, card_w), (gx, gy), (g["r"] * card_w * g["stretch"], g["r"] * card_w),
                               g["angle"])
        img = photo.add_light(img, photo.warp(field, matrix, W, H))
    if scene.get("blur_sigma"):
        img = photo.gaussian_blur(img, scene["blur_sigma"])
    if scene.get("motion"):
        img = photo.motion_blur(img, scene["motion"], scene["motion_angle"])
    if scene["capture"] == "screen":
        img = photo.moire(rng, img, scene["moire"])
    img = photo.sensor_noise(rng, img, scene["noise"])
    if scene.get("out_short"):
        h, w = img.shape[:2]
        k = scene["out_short"] / min(h, w)
        img = photo.resize_to(img, max(1, int(w * k)), max(1, int(h * k)))
    return img


def _palm(bg: np.ndarray, corners: np.ndarray, skin: tuple[int, int, int]) -> None:
    """A hand behind the card's lower edge."""
    bl, br = corners[3], corners[2]
    mid = (bl + br) / 2
    span = float(np.linalg.norm(br - bl))
    mask = np.zeros(bg.shape[:2], np.float32)
    cv2.ellipse(mask, (int(mid[0]), int(mid[1] + span * 0.15)), (int(span * 0.35), int(span * 0.3)), 0, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), max(2, span * 0.01))[..., None]
    bg[:] = bg * (1 - mask) + np.array(skin, np.float32) * mask


def _thumb(img: np.ndarray, corners: np.ndarray, skin: tuple[int, int, int], rng: np.random.Generator) -> None:
    """A thumb over the card's margin near a lower corner (the card stays inside the frame)."""
    bl, br = corners[3], corners[2]
    t = rng.uniform(0.08, 0.2) if rng.random() < 0.5 else rng.uniform(0.8, 0.92)
    p = bl + (br - bl) * t
    span = float(np.linalg.norm(br - bl))
    ang = math.degrees(math.atan2(br[1] - bl[1], br[0] - bl[0]))
    mask = np.zeros(img.shape[:2], np.float32)
    cv2.ellipse(mask, (int(p[0]), int(p[1])), (int(span * 0.045), int(span * 0.08)), ang, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), max(1.5, span * 0.006))[..., None]
    img[:] = img * (1 - mask) + np.array(skin, np.float32) * 0.95 * mask


def draw_screen_photo(screen: Image.Image, scene: dict, rng: np.random.Generator) -> np.ndarray:
    """A phone's screen photographed by another camera: bezel, small tilt, moiré, noise."""
    W, H = scene["scene_w"], scene["scene_h"]
    bezel = int(screen.width * 0.04)
    framed = Image.new("RGB", (screen.width + 2 * bezel, screen.height + 2 * bezel), (12, 12, 14))
    framed.paste(screen, (bezel, bezel))
    cw = int(scene["card_frac"] * W)
    ratio = framed.width / framed.height
    framed = framed.resize((cw, int(cw / ratio)), Image.LANCZOS)
    corners = card_corners(scene, framed.width, framed.height)
    matrix = photo.homography(framed.width, framed.height, corners)
    bg = photo.background(rng, scene["background"], W, H)
    warped = photo.warp(photo.to_float(framed), matrix, W, H)
    mask = photo.warp(np.ones((framed.height, framed.width), np.float32), matrix, W, H)[..., None]
    img = bg * (1 - mask) + warped * mask
    img = photo.moire(rng, img, scene["moire"])
    img = photo.exposure(img, scene["gain"], 1.0)
    return photo.sensor_noise(rng, img, scene["noise"])
