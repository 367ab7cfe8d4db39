"""The contract's codes (shared/spec/triage-contract.md) as TextChoices: the one place they live."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Cause of a failed verification (ticket level, multi-label)."""

    IDENTITY_INFO_ERROR = "identity_info_error", _("Identity details entered wrongly")
    DOCUMENT_REQUIREMENTS = "document_requirements", _("ID document does not meet requirements")
    FACE_RECOGNITION_FAILED = "face_recognition_failed", _("Face recognition failed")
    FACE_DOCUMENT_MISMATCH = "face_document_mismatch", _("Face does not match the document")
    ACCOUNT_SECURITY_RISK = "account_security_risk", _("Account security risk")
    UPLOAD_NETWORK_FAILURE = "upload_network_failure", _("Upload failed (network)")
    REVIEW_PENDING = "review_pending", _("Waiting for the review result")
    PAGE_LOAD_CACHE = "page_load_cache", _("Page does not load (cache/browser)")
    DEVICE_UNSUPPORTED = "device_unsupported", _("Device not supported")
    OTHER = "other", _("Other")


class AttachmentKind(models.TextChoices):
    SCREENSHOT = "screenshot", _("Screenshot")
    ID_DOCUMENT = "id_document", _("ID document")
    SELFIE = "selfie", _("Selfie")
    OTHER = "other", _("Other")


class Defect(models.TextChoices):
    BLURRY = "blurry", _("Blurry")
    GLARE = "glare", _("Glare")
    TOO_DARK = "too_dark", _("Too dark")
    LOW_RESOLUTION = "low_resolution", _("Low resolution")
    CROPPED = "cropped", _("Cropped")
    NO_FACE = "no_face", _("No face")
    MULTIPLE_FACES = "multiple_faces", _("Multiple faces")
    EXPIRED_DOCUMENT = "expired_document", _("Expired document")
    UNREADABLE = "unreadable", _("Unreadable file")
    UNSUPPORTED_FILE = "unsupported_file", _("Unsupported file")
    FILE_TOO_LARGE = "file_too_large", _("File too large")


class TicketStatus(models.TextChoices):
    NEW = "new", _("New")
    PROCESSING = "processing", _("Processing")
    TRIAGED = "triaged", _("Triaged")
    FAILED = "failed", _("Failed")
