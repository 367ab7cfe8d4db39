"""Where originals, previews and raw mail are kept: a private local folder or a private S3 bucket under a prefix.

Every reader and writer (ingest, analysis, the download views, retention) goes through Django's storage API —
save, open, exists, delete — so none of them knows which store is configured. With KYCTRIAGE_STORAGE_KEY set,
bytes are Fernet-encrypted before they leave the process, on either store. A store that does not answer raises
StorageUnavailable, a ConnectionError: tasks retry it like any network error, and nothing is recorded as stored.
"""

import uuid
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

MAGIC = b"KYCENC1\n"
BACKENDS = {
    ("local", False): "django.core.files.storage.FileSystemStorage",
    ("local", True): "tickets.storage.EncryptedFileSystemStorage",
    ("s3", False): "tickets.storage_s3.PrivateS3Storage",
    ("s3", True): "tickets.storage_s3.EncryptedS3Storage",
}


class StorageUnavailable(ConnectionError):
    """The attachment store did not answer (network, outage, throttling): transient, try again later."""


def _whole_number(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured("%s=%r is not a whole number." % (name, raw)) from None


def attachment_storage_config(environ: Mapping[str, str], data_dir, *, encrypted: bool | None = None) -> dict:
    """The STORAGES entry for attachments, previews and raw mail; a half-configured S3 store fails at start.

    Settings pass encrypted=True (a key is always there: set, or generated for the embedded default); without it
    the choice follows KYCTRIAGE_STORAGE_KEY.
    """
    kind = environ.get("KYCTRIAGE_ATTACHMENT_STORAGE", "").strip() or "local"
    if encrypted is None:
        encrypted = bool(environ.get("KYCTRIAGE_STORAGE_KEY", "").strip())
    if kind == "local":
        return {"BACKEND": BACKENDS["local", encrypted],
                # base_url points nowhere that is routed: files are only served by permission-checked views.
                "OPTIONS": {"location": str(Path(data_dir) / "attachments"), "base_url": "/private/",
                            "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700}}
    if kind != "s3":
        raise ImproperlyConfigured("KYCTRIAGE_ATTACHMENT_STORAGE must be 'local' or 's3', not %r." % kind)
    bucket = environ.get("KYCTRIAGE_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("KYCTRIAGE_ATTACHMENT_STORAGE=s3 needs KYCTRIAGE_S3_BUCKET (and the credentials "
                                   "in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role).")
    prefix = environ.get("KYCTRIAGE_S3_PREFIX", "kyctriage").strip().strip("/")
    if not prefix:
        raise ImproperlyConfigured("KYCTRIAGE_S3_PREFIX must not be empty: the attachments live under a prefix of "
                                   "the bucket, so a lifecycle rule or a policy can name exactly them.")
    endpoint = environ.get("KYCTRIAGE_S3_ENDPOINT_URL", "").strip() or None
    return {"BACKEND": BACKENDS["s3", encrypted], "OPTIONS": {
        "bucket_name": bucket,
        "location": prefix,
        "endpoint_url": endpoint,
        "region_name": environ.get("KYCTRIAGE_S3_REGION", "").strip() or environ.get("AWS_DEFAULT_REGION") or None,
        # S3-compatible servers (SeaweedFS, MinIO, Ceph) are addressed by path; AWS picks its own default
        "addressing_style": environ.get("KYCTRIAGE_S3_ADDRESSING_STYLE", "").strip() or ("path" if endpoint else None),
        "max_attempts": _whole_number(environ, "KYCTRIAGE_S3_MAX_ATTEMPTS", 5),
        "connect_timeout": _whole_number(environ, "KYCTRIAGE_S3_CONNECT_TIMEOUT", 5),
        "read_timeout": _whole_number(environ, "KYCTRIAGE_S3_READ_TIMEOUT", 60),
    }}


class AttachmentStorage(LazyObject):
    """The 'attachments' store, looked up again when STORAGES changes (a test switches to S3 at run time)."""

    def _setup(self):
        self._wrapped = storages["attachments"]


attachment_storage = AttachmentStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        attachment_storage._wrapped = empty


# --------------------------------------------------------------------------- encryption at rest

def _fernet():
    from cryptography.fernet import Fernet, MultiFernet

    keys = getattr(settings, "KYCTRIAGE_STORAGE_KEYS", [])
    if not keys:
        raise ImproperlyConfigured("The encrypted attachment store needs KYCTRIAGE_STORAGE_KEY (Fernet key(s), "
                                   "newest first).")
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("KYCTRIAGE_STORAGE_KEY is not a valid Fernet key: %s" % exc) from exc


class EncryptedStorageMixin:
    """Bytes are Fernet-encrypted before the store sees them; reads decrypt, and files stored before a key was set
    still read as they are."""

    def _save(self, name, content):
        content.seek(0)
        data = MAGIC + _fernet().encrypt(content.read())
        return super()._save(name, ContentFile(data))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as handle:
            data = handle.read()
        if data.startswith(MAGIC):
            data = _fernet().decrypt(data[len(MAGIC):])
        return ContentFile(data, name=name)

    def size(self, name):
        with self._open(name) as handle:
            return len(handle.read())


class EncryptedFileSystemStorage(EncryptedStorageMixin, FileSystemStorage):
    """Files are Fernet-encrypted on the local disk."""


# --------------------------------------------------------------------------- a check for operators

def storage_probe(*, create_bucket: bool = False) -> list[str]:
    """Write, read back and delete one object through the configured store; returns what it did, line by line.

    Run on every new machine (`manage.py storage_check`): a worker that cannot reach the store fails here, not on
    the first customer's passport.
    """
    store = storages["attachments"]
    lines = ["store: %s.%s" % (type(store).__module__, type(store).__name__)]
    if hasattr(store, "bucket_name"):
        lines.append("bucket: %s, prefix: %s, endpoint: %s" % (store.bucket_name, store.location,
                                                              store.endpoint_url or "AWS default"))
        if create_bucket and store.bucket_ensure():
            lines.append("bucket %s created" % store.bucket_name)
    else:
        lines.append("folder: %s" % store.location)
    payload = ("kyctriage storage probe %s" % uuid.uuid4().hex).encode()
    name = store.save("probes/%s" % uuid.uuid4().hex, ContentFile(payload))
    try:
        with store.open(name, "rb") as handle:
            if handle.read() != payload:
                raise ImproperlyConfigured("the probe object %s read back different bytes" % name)
        lines.append("wrote, read back and compared %s (%d bytes)%s" % (
            name, len(payload), ", encrypted at rest" if isinstance(store, EncryptedStorageMixin) else ""))
    finally:
        store.delete(name)
    if store.exists(name):
        raise ImproperlyConfigured("the probe object %s is still there after delete" % name)
    lines.append("deleted it: the store is ready")
    return lines
