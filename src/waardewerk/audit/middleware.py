import re
import uuid

from waardewerk.audit import services
from waardewerk.core.network import client_ip

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class AuditMiddleware:
    """Gives each request an id and writes its access events after the view, whatever its outcome."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = services.begin_request(request.request_id, client_ip(request))
        response = None
        try:
            response = self.get_response(request)
        finally:
            services.end_request(token, response)
        response["X-Request-ID"] = request.request_id
        return response
