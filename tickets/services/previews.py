"""Previews for people who may not see identity data."""


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
