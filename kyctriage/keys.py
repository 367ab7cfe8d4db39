"""Keys the embedded default generates for itself, so it runs with no environment yet never stores in clear.

A production deployment (DEBUG off and a server database) passes its keys in the environment and is refused
at start without them; the embedded default (SQLite in KYCTRIAGE_DATA_DIR) writes a key into the data
directory on first use, readable by the service user only, and says so loudly when DEBUG is off.
"""

import os
import sys
from pathlib import Path


def private_dir(path: Path) -> Path:
    """The data directory, created private to the service user (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except PermissionError:  # a directory someone else owns: leave it, the files inside stay 0600
        pass
    return path


def private_file(path: Path) -> Path:
    """Create a file (the SQLite database) readable and writable by the service user only."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    return path


def generated_key(data_dir: Path, name: str, make, *, warn: bool) -> str:
    """Read DATA_DIR/keys/<name>, creating it (0600) with make() on first use."""
    path = private_dir(private_dir(data_dir) / "keys") / name
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    value = make()
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:  # another process generated it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    if warn:
        sys.stderr.write("WARNING kyctriage: %s is not set, so one was generated into %s (mode 0600). Keep it "
                         "with the data (the stored files and sessions depend on it); in production set it in "
                         "the environment.\n" % (name, path))
    return value


def fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def secret_key() -> str:
    import secrets

    return secrets.token_urlsafe(50)
