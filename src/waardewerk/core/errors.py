"""The answer to an unhandled error (``handler500`` in ``waardewerk.urls``).

When the database cannot be reached (or refuses for a moment: a lost connection, a server restarting, a
fail-over), the user gets "503 Service Unavailable" with a page that says so in their language and asks
them to try again in a minute, instead of the 500 page. The page is rendered without the request's
context (no session, no user, no navigation), so it needs no database. Nothing has to be restarted:
Django closes a connection that failed at the end of the request, and the next request connects anew.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request):
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("core/503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
    else:
        response = django_server_error(request)
    # The request failed: ``WriteTransactionMiddleware`` rolls back what it wrote, as for an exception.
    response.unhandled_error = True
    return response
