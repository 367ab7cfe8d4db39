"""Switching the interface language: Django's set_language, remembered on the agent's account."""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .services.preferences import agent_language_set


@require_POST
def language_set(request):
    response = set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        agent_language_set(request.user, language)
    return response
