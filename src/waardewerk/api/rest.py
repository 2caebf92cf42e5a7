"""The API's plumbing on Django REST framework (docs/api.md): the application token, errors as
``application/problem+json`` (RFC 9457) naming the field, the ``API-Version`` header, cursor pagination."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from waardewerk.api.authentication import ApplicationTokenAuthentication

API_VERSION = "1.0.0"
PROBLEM = "application/problem+json"


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = ApplicationTokenAuthentication
    name = "applicationToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The application's token (ww_...)."}


class Pagination(CursorPagination):
    """A cursor on the public id: every page costs the same single query, however far the client
    pages (no COUNT, no OFFSET)."""

    ordering = "uuid"
    page_size = 25
    page_size_query_param = "pageSize"
    max_page_size = 100

    def get_page_size(self, request):
        """``pageSize`` from 1 to 100; anything else is refused (a problem naming it), not ignored."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def decode_cursor(self, request):
        """A cursor names a page: one the API did not give is a page that does not exist (404)."""
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.NotFound(_("No such page: use the cursor of a next or previous link.")) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
        return parameters


def _camel(name: str) -> str:
    head, *rest = str(name).split("_")
    return head + "".join(part.title() for part in rest)


def _invalid_params(detail, prefix="") -> list[dict]:
    """DRF's or a service's errors per field, as the NL API rules' ``invalidParams``."""
    out = []
    if isinstance(detail, dict):
        for field, value in detail.items():
            name = (
                f"{prefix}{_camel(field)}"
                if field not in ("non_field_errors", "__all__")
                else prefix.rstrip(".")
            )
            if isinstance(value, dict):
                out += _invalid_params(value, f"{name}.")
            else:
                for message in value if isinstance(value, list) else [value]:
                    if isinstance(message, dict):
                        out += _invalid_params(message, f"{name}.")
                    else:
                        code = getattr(message, "code", "invalid") or "invalid"
                        out.append({"name": name or "body", "code": str(code), "reason": str(message)})
    elif isinstance(detail, list):
        for message in detail:
            out.append({"name": prefix.rstrip(".") or "body", "code": "invalid", "reason": str(message)})
    return out


def problem_handler(exc, context):
    """Every error the API answers, as a problem (RFC 9457): ``type``, ``title``, ``status``, ``detail``,
    ``instance`` and, for bad input, ``invalidParams`` with the field's name and the reason."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"body": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not visible to this application."))
    elif isinstance(exc, PermissionDenied) and not isinstance(exc, exceptions.APIException):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    body = {
        "type": "about:blank",
        "title": str(status_title(response.status_code)),
        "status": response.status_code,
        "instance": request.get_full_path() if request is not None else "",
    }
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = _("The request has invalid parameters; nothing was stored.")
        body["invalidParams"] = _invalid_params(exc.detail)
    else:
        detail = getattr(exc, "detail", "")
        body["detail"] = str(detail) if not isinstance(detail, (dict, list)) else str(body["title"])
    problem = Response(body, status=response.status_code, headers=dict(response.headers))
    problem.content_type = PROBLEM
    return problem


def status_title(code: int) -> str:
    titles = {
        400: _("Bad request"),
        401: _("Not authenticated"),
        403: _("Forbidden"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        415: _("Unsupported media type"),
        429: _("Too many requests"),
    }
    return titles.get(code, str(code))


class ApiView(GenericAPIView):
    """Every endpoint: the application's token, its scope for the resource, and the API's headers."""

    required_scope: str | None = None
    pagination_class = Pagination
    http_method_names = ["get", "head"]

    def known_parameters(self) -> set[str]:
        """The query parameters this endpoint takes; any other is refused by name (a typo such as
        ``pagesize`` would otherwise be ignored silently)."""
        return set()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.known_parameters())
        if unknown:
            raise exceptions.ValidationError(
                {name: [_("This endpoint has no such parameter.")] for name in unknown}
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = API_VERSION
        response["Cache-Control"] = "no-store"
        return response


def created(data) -> Response:
    return Response(data, status=status.HTTP_201_CREATED)


def page_not_found(request, exception):
    """The site's 404: a problem (RFC 9457) for an address under ``/api/``, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        body = {
            "type": "about:blank",
            "title": str(status_title(404)),
            "status": 404,
            "detail": _("Not found, or not visible to this application."),
            "instance": request.get_full_path(),
        }
        response = JsonResponse(body, status=404, content_type=PROBLEM)
        response["API-Version"] = API_VERSION
        return response
    return defaults.page_not_found(request, exception)
