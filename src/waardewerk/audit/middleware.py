from waardewerk.audit import services
from waardewerk.core.network import client_ip
from waardewerk.core.observability import accepted_request_id


class AuditMiddleware:
    """Writes each request's access events after the view, whatever its outcome, under the request's id
    (``request.request_id``, set by ``waardewerk.core.observability.RequestIdMiddleware``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(request, "request_id", ""):
            request.request_id = accepted_request_id(request.headers.get("X-Request-ID", ""))
        token = services.begin_request(request.request_id, client_ip(request))
        response = None
        try:
            response = self.get_response(request)
        finally:
            services.end_request(token, response)
        response["X-Request-ID"] = request.request_id
        return response
