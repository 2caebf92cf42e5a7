"""The functional administrator's pages for importing clients and trajectories and exporting the
organisation's whole data (docs/import.md, docs/export.md)."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from waardewerk.accounts.decorators import require_recent_authentication
from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT
from waardewerk.core.access import get_for_actor
from waardewerk.transfer import policies, selectors, services


def _verified(request) -> bool:
    return bool(request.session.get(TWO_FACTOR_VERIFIED_AT))


def _check(request):
    """The functional administrator's pages; the second factor of this session is asked first."""
    if not policies.may_transfer(request.user):
        raise PermissionDenied
    if not _verified(request):
        messages.info(
            request,
            _(
                "Import and export need two-step verification in this session. Set it up here, or log out "
                "and log in again with the code from your authenticator app."
            ),
        )
        return redirect(f"{reverse('accounts:two_factor')}?next={quote(request.get_full_path())}")
    return None


@require_GET
def index(request):
    if (response := _check(request)) is not None:
        return response
    return render(
        request,
        "transfer/index.html",
        {"exports": selectors.exports(request.user), "now": timezone.now()},
    )


@require_POST
def export_start(request):
    if (response := _check(request)) is not None:
        return response
    services.export_request(actor=request.user, second_factor_verified=_verified(request))
    messages.success(
        request,
        _("The export is being made in the background. Reload this page in a while to download it."),
    )
    return redirect("transfer:index")


@require_GET
def export_download(request, export_id):
    if (response := _check(request)) is not None:
        return response
    item = get_for_actor(policies.visible_exports(request.user), export_id)
    return _download(request, item)


@require_recent_authentication
def _download(request, item):
    """The password again before the whole organisation's data leaves (after the 404 for another's)."""
    try:
        data = services.export_download(
            actor=request.user, item=item, second_factor_verified=_verified(request)
        )
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="waardewerk-export-{item.created_at:%Y%m%d-%H%M}.zip"'
    )
    return response
