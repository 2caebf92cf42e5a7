from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LanguageChoiceMiddleware(LocaleMiddleware):
    """Dutch first: the interface is Dutch unless the user chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; professionals in the
    Netherlands often run English browsers, and the product is Dutch first.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AllowedMethodsMiddleware:
    """Answers 405 to every HTTP method the application does not serve (``WAARDEWERK_HTTP_METHODS``: GET,
    HEAD and POST), before any view runs: OPTIONS, TRACE, PUT, PATCH, DELETE and anything unknown.

    Each view narrows this further with its own decorator (``require_GET``, ``require_POST``,
    ``require_http_methods``); class-based views such as the log-in would otherwise answer OPTIONS.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.allowed = tuple(settings.WAARDEWERK_HTTP_METHODS)
        # Paths whose views answer every method themselves, with their own 405 (the API's problem answer).
        self.own_paths = tuple(getattr(settings, "WAARDEWERK_HTTP_METHODS_BY_VIEW", ()))

    def __call__(self, request):
        if request.method not in self.allowed and not request.path.startswith(self.own_paths or ("\0",)):
            return HttpResponseNotAllowed(self.allowed)
        return self.get_response(request)


class PrivateResponseMiddleware:
    """``Cache-Control: no-store`` (and ``Pragma: no-cache`` for old proxies) on every response to a signed-in
    staff user or a client in the portal: those pages can hold client data, and no browser cache, shared
    proxy or back button may keep a copy. Responses that already say ``no-store`` keep their own header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        staff = self._signed_in(request)  # before the view: the answer to a log-out counts too
        response = self.get_response(request)
        if staff or self._signed_in(request) or getattr(request, "portal_client", None):
            current = response.get("Cache-Control", "")
            if "no-store" not in current:
                response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response

    @staticmethod
    def _signed_in(request) -> bool:
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated
