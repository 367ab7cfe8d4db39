"""Fixtures for the pure ingest tests: sample paths and the throwaway Dovecot server."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.imapserver import dovecot_server  # noqa: F401 - re-exported as a fixture

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "emails"


@pytest.fixture
def sample_bytes():  # type: ignore[no-untyped-def]
    """Read a sample message by file name."""
    return lambda name: (SAMPLES / name).read_bytes()
