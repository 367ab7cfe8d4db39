import pytest

from tickets.services.ingest import message_ingest


@pytest.fixture
def ingest(django_capture_on_commit_callbacks):
    """Ingest as production does: the on-commit queueing runs (tasks are in-process here)."""

    def run(raw: bytes, source: str = "test"):
        with django_capture_on_commit_callbacks(execute=True):
            return message_ingest(raw, source=source)

    return run


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run
