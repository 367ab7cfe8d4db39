"""Shared fixtures: real services for integration tests, sample builders for the rest."""

import os

import pytest

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
