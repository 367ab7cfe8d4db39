"""Encryption at rest of stored originals, raw mail and previews, with settings.KYCTRIAGE_STORAGE_KEYS."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

MAGIC = b"KYCENC1\n"


def _fernet():
    from cryptography.fernet import Fernet, MultiFernet

    keys = getattr(settings, "KYCTRIAGE_STORAGE_KEYS", [])
    if not keys:
        raise ImproperlyConfigured("EncryptedFileSystemStorage needs KYCTRIAGE_STORAGE_KEY (Fernet key(s), "
                                   "newest first).")
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("KYCTRIAGE_STORAGE_KEY is not a valid Fernet key: %s" % exc) from exc


class EncryptedFileSystemStorage(FileSystemStorage):
    """Files are Fernet-encrypted on disk; reads decrypt, and files written before encryption still read."""

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
