"""The unmasked identity data supervisors may need, kept only encrypted (Fernet, KYCTRIAGE_STORAGE_KEY).

What agents read is masked when it is written (tickets/masking.py); the original text goes in here, as one
encrypted JSON value per row, and comes out only for a user with `view_sensitive` or an `--unmasked` export,
both logged. Retention empties it.
"""

import json

from django.core.exceptions import ImproperlyConfigured


def vault_seal(values: dict) -> str:
    """Encrypt a dict of unmasked fields; an empty dict stores nothing."""
    from .storage import _fernet

    values = {k: v for k, v in values.items() if v}
    if not values:
        return ""
    return _fernet().encrypt(json.dumps(values, ensure_ascii=False).encode()).decode()


def vault_open(token: str) -> dict:
    """Decrypt what vault_seal stored ({} when nothing was kept)."""
    from cryptography.fernet import InvalidToken

    from .storage import _fernet

    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as exc:
        raise ImproperlyConfigured("Unmasked identity data cannot be decrypted with KYCTRIAGE_STORAGE_KEY: was the "
                                   "key changed? Keep the old key listed after the new one.") from exc
