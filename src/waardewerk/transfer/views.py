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
from waardewerk.core.forms import posted
from waardewerk.transfer import importing, policies, selectors, services
from waardewerk.transfer.forms import ImportConfirmForm, ImportUploadForm


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
    return _index(request, ImportUploadForm())


def _index(request, form, report=None, status=200):
    return render(
        request,
        "transfer/index.html",
        {
            "exports": selectors.exports(request.user),
            "now": timezone.now(),
            "upload_form": form,
            "report": report,
            "columns": importing.COLUMNS,
        },
        status=status,
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


@require_POST
def import_upload(request):
    """Check an uploaded file; a readable one is kept (encrypted, an hour) for its preview page."""
    if (response := _check(request)) is not None:
        return response
    form = ImportUploadForm(posted(request), request.FILES)
    if not form.is_valid():
        return _index(request, form, status=422)
    upload = form.cleaned_data["file"]
    pending, report = services.import_upload(
        actor=request.user,
        second_factor_verified=_verified(request),
        kind=form.cleaned_data["kind"],
        filename=upload.name or "",
        data=upload.read(),
    )
    if pending is None:
        return _index(request, form, report=report, status=422)
    return redirect("transfer:import_preview", import_id=pending.uuid)


def _pending(request, import_id):
    return get_for_actor(
        policies.visible_pending_imports(request.user).filter(expires_at__gt=timezone.now()), import_id
    )


@require_GET
def import_preview(request, import_id):
    """What the import would do: every row's problems; then confirm (or go back)."""
    if (response := _check(request)) is not None:
        return response
    pending = _pending(request, import_id)
    report = services.import_preview(
        actor=request.user, pending=pending, second_factor_verified=_verified(request)
    )
    return render(
        request,
        "transfer/import_preview.html",
        {"pending": pending, "report": report, "form": ImportConfirmForm()},
    )


@require_POST
def import_confirm(request, import_id):
    if (response := _check(request)) is not None:
        return response
    pending = _pending(request, import_id)
    form = ImportConfirmForm(posted(request))
    form.is_valid()
    partial = bool(form.cleaned_data.get("partial"))
    report = services.import_confirm(
        actor=request.user, pending=pending, partial=partial, second_factor_verified=_verified(request)
    )
    if report.stored == 0 and report.problems:
        return render(
            request,
            "transfer/import_preview.html",
            {"pending": pending, "report": report, "form": form, "refused": True},
            status=422,
        )
    messages.success(
        request,
        _("Imported: %(stored)s of %(rows)s rows stored.") % {"stored": report.stored, "rows": report.rows},
    )
    return redirect("transfer:index")
