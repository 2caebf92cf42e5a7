import datetime as dt
import json
import logging
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


def _filters(form):
    data = valid_filters(form)
    return {
        "client_uuid": data.get("client"),
        "username": data.get("user") or "",
        "action": data.get("action") or "",
        "since": data.get("since"),
        "until": data.get("until"),
        "emergency_only": bool(data.get("emergency")),
    }


@require_GET
def log(request):
    if (response := _check(request)) is not None:
        return response
    form = AuditFilterForm(request.GET or None)
    filters = _filters(form)
    page = Paginator(selectors.search(**filters), settings.WAARDEWERK_PAGE_SIZE * 2).get_page(
        request.GET.get("page")
    )
    audit_record(
        actor=request.user,
        action="search",
        object_type="audit_log",
        detail={k: str(v) for k, v in filters.items() if v} | {"page": page.number},
    )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    selectors.in_words(page.object_list)
    return render(
        request, "audit/log.html", {"form": form, "page": page, "query_string": query_string.urlencode()}
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
    filters = _filters(form)
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
        detail={k: str(v) for k, v in filters.items() if v} | {"checkpoint": checkpoint},
    )
    lines = (json.dumps(row, ensure_ascii=False) + "\n" for row in selectors.export_rows(**filters))
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="waardewerk-audit-{filters["since"]}-{filters["until"]}.jsonl"'
    )
    return response
