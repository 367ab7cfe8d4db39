"""Saving an agent's interface language so it follows them to any browser."""

from ..models import AgentPreference


def agent_language_set(user, language: str) -> None:
    if user.is_authenticated:
        AgentPreference.objects.update_or_create(user=user, defaults={"language": language})
