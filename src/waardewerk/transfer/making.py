"""Making an export of the organisation's whole data into an encrypted file (the worker, ``tasks.py``)."""

import datetime as dt
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from waardewerk.audit.services import audit_record
from waardewerk.core import crypto
from waardewerk.transfer import export
from waardewerk.transfer.models import ExportStatus, OrganisationExport

# How long a made export can be downloaded before its file is removed.
EXPORT_AVAILABLE = dt.timedelta(days=2)


def export_dir() -> Path:
    return Path(settings.DATA_DIR) / "exports"


def export_path(item: OrganisationExport) -> Path:
    return export_dir() / f"{item.uuid}.zip.enc"


def export_to_file(*, organisation, path: Path, on_behalf_of: str = "command line") -> dict:
    """Write the organisation's export to ``path`` (the command line) and record it in the access log."""
    with open(path, "wb") as target:
        manifest = export.write_export(organisation, target)
    _record(None, organisation, manifest, on_behalf_of=on_behalf_of)
    return manifest


def _record(actor, organisation, manifest: dict, *, on_behalf_of: str = "", reason: str = "") -> None:
    audit_record(
        actor=actor,
        action="export",
        obj=organisation,
        reason=reason or "organisation export",
        on_behalf_of=on_behalf_of,
        detail={"entities": len(manifest["counts"]), "rows": sum(manifest["counts"].values())},
    )


def export_make(export_id: int) -> OrganisationExport:
    """Make a queued export (in the worker): the zip is written to a temporary file, encrypted with the
    field keys into ``export_dir()``, and recorded in the access log as an export by who asked for it."""
    item = OrganisationExport.objects.select_related("organisation", "requested_by").get(pk=export_id)
    if item.status != ExportStatus.QUEUED:
        return item
    OrganisationExport.objects.filter(pk=item.pk).update(status=ExportStatus.RUNNING)
    try:
        export_dir().mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile() as plain:
            manifest = export.write_export(item.organisation, plain)
            plain.seek(0)
            token = crypto.get_multifernet().encrypt(plain.read())
        target = export_path(item)
        partial = target.with_suffix(".part")
        partial.write_bytes(token)
        os.replace(partial, target)
    except Exception:
        OrganisationExport.objects.filter(pk=item.pk).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        raise
    now = timezone.now()
    item.status = ExportStatus.DONE
    item.finished_at = now
    item.expires_at = now + EXPORT_AVAILABLE
    item.size = len(token)
    item.counts = manifest["counts"]
    item.save(update_fields=["status", "finished_at", "expires_at", "size", "counts", "updated_at"])
    _record(
        item.requested_by, item.organisation, manifest, on_behalf_of="" if item.requested_by else "worker"
    )
    return item


def export_purge(now=None) -> int:
    """Remove the files of exports past their time (the rows stay as a record of what was exported)."""
    now = now or timezone.now()
    removed = 0
    for item in OrganisationExport.objects.filter(status=ExportStatus.DONE, expires_at__lte=now).only("uuid"):
        path = export_path(item)
        if path.exists():
            path.unlink()
            removed += 1
    return removed
