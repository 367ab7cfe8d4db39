"""Shared fixtures: real services for integration tests, sample builders for the rest."""

import os

import pytest

from .s3server import dead_s3_store, s3_bucket, s3_server, s3_store, s3_store_factory  # noqa: F401 - fixtures

REQUIRE_SERVICES = os.environ.get("KYCTRIAGE_REQUIRE_SERVICES") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip when a real service is missing on a developer's machine; fail in CI, where it must be there."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(reason + " (KYCTRIAGE_REQUIRE_SERVICES=1: CI must have it)")
    pytest.skip(reason)


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("agent", "agent@example.com", "pw", is_staff=True,
                                                 is_superuser=True)


@pytest.fixture
def ingest(django_capture_on_commit_callbacks):
    """Ingest as production does: the on-commit queueing runs (tasks are in-process here)."""
    from tickets.services.ingest import message_ingest

    def run(raw: bytes, source: str = "test"):
        with django_capture_on_commit_callbacks(execute=True):
            return message_ingest(raw, source=source)

    return run


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run a service and the work it queues on commit."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run
