import datetime as dt
import json
import logging
import uuid
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from waardewerk.accounts.decorators import require_recent_authentication
from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT
from waardewerk.audit import policies, selectors
from waardewerk.audit.forms import AuditFilterForm
from waardewerk.audit.services import CheckpointRefused, audit_record, checkpoint_write
from waardewerk.clients.models import Client, anonymised
from waardewerk.clients.search import filter_clients, parse_client_query
from waardewerk.core.forms import valid_filters

logger = logging.getLogger(__name__)


def _check(request):
    if not policies.may_see_audit_entry(request.user):
        raise PermissionDenied
    verified = bool(request.session.get(TWO_FACTOR_VERIFIED_AT))
    if not policies.can_read_audit_log(request.user, second_factor_verified=verified):
        # Say why, instead of a silent redirect: the log asks for the second factor of this session.
        messages.info(
            request,
            _(
                "The access log needs two-step verification in this session. Set it up here, or log out and "
                "log in again with the code from your authenticator app."
            ),
        )
        return redirect(f"{reverse('accounts:two_factor')}?next={quote(request.get_full_path())}")
    return None


def _client_filter(request, form, data) -> dict:
    """The client field: a dossier's id, or a name, BSN or date of birth that finds the organisation's clients
    (``clients.search``, the search box's rule). A text that cannot be searched is an error on the field."""
    text = (data.get("client") or "").strip()
    if not text:
        return {}
    try:
        return {"client_uuid": uuid.UUID(text)}
    except ValueError:
        pass
    query = parse_client_query(text)
    if not query:
        form.add_error("client", query.error)
        return {}
    # An anonymised file has no name, BSN or date of birth to find it by (its events are found by public id).
    organisation_clients = Client.objects.filter(organisation_id=request.user.organisation_id).exclude(
        anonymised()
    )
    return {"client_uuids": filter_clients(organisation_clients, query).values("uuid"), "by": query.kind}


def _filters(request, form):
    data = valid_filters(form)
    client = _client_filter(request, form, data)
    return {
        "client_uuid": client.get("client_uuid"),
        "client_uuids": client.get("client_uuids"),
        "client_by": client.get("by", ""),
        "username": data.get("user") or "",
        "action": data.get("action") or "",
        "since": data.get("since"),
        "until": data.get("until"),
        "emergency_only": bool(data.get("emergency")),
    }


def _logged(filters: dict, client_by: str) -> dict:
    """The filters as the access log keeps them: a client found by name, BSN or date of birth is logged as
    how it was searched, never the text typed (it may be a BSN)."""
    logged = {k: str(v) for k, v in filters.items() if v and k != "client_uuids"}
    return logged | ({"client_search": client_by} if client_by else {})


@require_GET
def log(request):
    if (response := _check(request)) is not None:
        return response
    form = AuditFilterForm(request.GET or None)
    filters = _filters(request, form)
    client_by = filters.pop("client_by")
    page = Paginator(
        selectors.search(policies.readable_events(request.user), **filters), settings.WAARDEWERK_PAGE_SIZE * 2
    ).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="search",
        object_type="audit_log",
        detail=_logged(filters, client_by) | {"page": page.number},
    )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    selectors.in_words(page.object_list)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query_string": query_string.urlencode()},
        status=422 if form.errors else 200,
    )


@require_GET
def export(request):
    """Role and second factor first, then a fresh password confirmation, then the download."""
    if (response := _check(request)) is not None:
        return response
    return _export(request)


@require_recent_authentication
def _export(request):
    form = AuditFilterForm(request.GET or None)
    filters = _filters(request, form)
    client_by = filters.pop("client_by")
    filters["since"] = filters["since"] or timezone.localdate() - dt.timedelta(days=30)
    filters["until"] = filters["until"] or timezone.localdate()
    try:
        checkpoint = checkpoint_write(reason="export").pk
    except CheckpointRefused as exc:
        # The export goes ahead: it is evidence of what is left. The refusal is in the server log.
        logger.error("No checkpoint at the export of the access log: %s", exc)
        checkpoint = None
    audit_record(
        actor=request.user,
        action="export",
        object_type="audit_log",
        detail=_logged(filters, client_by) | {"checkpoint": checkpoint},
    )
    lines = (
        json.dumps(row, ensure_ascii=False) + "\n"
        for row in selectors.export_rows(policies.readable_events(request.user), **filters)
    )
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="waardewerk-audit-{filters["since"]}-{filters["until"]}.jsonl"'
    )
    return response
