"""Encrypting mailbox passwords with a key from the environment (KYCTRIAGE_MAILBOX_KEY)."""

import base64
import hashlib
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet():
    from cryptography.fernet import Fernet, MultiFernet

    raw = os.environ.get("KYCTRIAGE_MAILBOX_KEY", "")
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        if getattr(settings, "PRODUCTION", True) or not getattr(settings, "USING_DEVELOPMENT_SECRET", False):
            raise ImproperlyConfigured(
                "KYCTRIAGE_MAILBOX_KEY is not set: generate one with "
                "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
        # embedded default only: a key derived from the development or generated SECRET_KEY
        keys = [base64.urlsafe_b64encode(hashlib.sha256(settings.SECRET_KEY.encode()).digest()).decode()]
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("KYCTRIAGE_MAILBOX_KEY is not a valid Fernet key: %s" % exc) from exc


def secret_encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def secret_decrypt(token: str) -> str:
    from cryptography.fernet import InvalidToken

    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("A stored mailbox password cannot be decrypted with KYCTRIAGE_MAILBOX_KEY: "
                                   "was the key changed? Keep the old key listed after the new one.") from exc
