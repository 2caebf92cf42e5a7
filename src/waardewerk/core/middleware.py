from django.conf import settings
from django.db import transaction
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


class WriteTransactionMiddleware:
    """A request that may write (any method but GET and HEAD) runs in one database transaction that ends
    after the access log has written the request's events (this middleware comes before
    ``AuditMiddleware``). So a change, its timeline entry and its access-log event are committed together
    or not at all: a process killed mid-request (``kill -9``, the OOM killer) or a database that goes away
    leaves no change without its access-log event (docs/operations.md, "Proof that nothing is lost").

    The services' own ``transaction.atomic()`` blocks become savepoints inside it. An error response a view
    renders (422, 403) still commits what was recorded (a refused log-in's attempt, the read of the page);
    an unhandled exception (the database away, a bug: the 503 or 500 page of ``core.errors``) rolls
    everything back, as Django's ``ATOMIC_REQUESTS`` would. Reads (GET, HEAD) are untouched: their
    access-log events are appended without a transaction.
    """

    READ_METHODS = frozenset({"GET", "HEAD"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.READ_METHODS:
            return self.get_response(request)
        with transaction.atomic():
            response = self.get_response(request)
            if getattr(response, "unhandled_error", False):
                transaction.set_rollback(True)
            return response
