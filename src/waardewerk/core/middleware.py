from django.conf import settings
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
