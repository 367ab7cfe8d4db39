"""The contract's category codes as plain strings, read from tickets.taxonomy so they live in one place."""

from __future__ import annotations

from tickets.taxonomy import AttachmentKind, Category, Defect

IDENTITY_INFO_ERROR = Category.IDENTITY_INFO_ERROR.value
DOCUMENT_REQUIREMENTS = Category.DOCUMENT_REQUIREMENTS.value
FACE_RECOGNITION_FAILED = Category.FACE_RECOGNITION_FAILED.value
FACE_DOCUMENT_MISMATCH = Category.FACE_DOCUMENT_MISMATCH.value
ACCOUNT_SECURITY_RISK = Category.ACCOUNT_SECURITY_RISK.value
UPLOAD_NETWORK_FAILURE = Category.UPLOAD_NETWORK_FAILURE.value
REVIEW_PENDING = Category.REVIEW_PENDING.value
PAGE_LOAD_CACHE = Category.PAGE_LOAD_CACHE.value
DEVICE_UNSUPPORTED = Category.DEVICE_UNSUPPORTED.value
OTHER = Category.OTHER.value

CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)
CAUSES: tuple[str, ...] = tuple(c for c in CATEGORIES if c != OTHER)

SCREENSHOT = AttachmentKind.SCREENSHOT.value
ID_DOCUMENT = AttachmentKind.ID_DOCUMENT.value
SELFIE = AttachmentKind.SELFIE.value
OTHER_KIND = AttachmentKind.OTHER.value

BLURRY = Defect.BLURRY.value
GLARE = Defect.GLARE.value
TOO_DARK = Defect.TOO_DARK.value
LOW_RESOLUTION = Defect.LOW_RESOLUTION.value
CROPPED = Defect.CROPPED.value
NO_FACE = Defect.NO_FACE.value
MULTIPLE_FACES = Defect.MULTIPLE_FACES.value
EXPIRED_DOCUMENT = Defect.EXPIRED_DOCUMENT.value
UNREADABLE = Defect.UNREADABLE.value
UNSUPPORTED_FILE = Defect.UNSUPPORTED_FILE.value
FILE_TOO_LARGE = Defect.FILE_TOO_LARGE.value
