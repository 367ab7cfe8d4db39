"""The interface language follows the agent: their saved preference wins over the browser's."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation


class AgentLanguageMiddleware:
    """After authentication: activate the agent's saved language and keep the language cookie in step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._saved_language(request)
        if not language:
            return self.get_response(request)
        previous = translation.get_language()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:  # the thread serves other people next: leave the language as we found it
            if previous:
                translation.activate(previous)
            else:
                translation.deactivate()
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                                samesite="Lax", secure=not settings.DEBUG)
        return response

    @staticmethod
    def _saved_language(request) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            return user.kyc_preference.language
        except ObjectDoesNotExist:
            return None
