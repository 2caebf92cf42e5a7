"""Exports of the organisation's whole data (docs/export.md) and imports of clients and trajectories
(docs/import.md, ``importing.py``)."""

import base64
import datetime as dt

from django.db import transaction
from django.utils import timezone

from waardewerk.audit.services import audit_record
from waardewerk.core import crypto
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.transfer import importing, policies, tasks
from waardewerk.transfer.making import export_path, export_purge, export_to_file
from waardewerk.transfer.models import ExportStatus, OrganisationExport, PendingImport

__all__ = ["export_download", "export_request", "export_to_file"]


def export_request(*, actor, second_factor_verified: bool) -> OrganisationExport:
    """Queue an export of the actor's organisation; the worker makes it (``tasks.make_export``)."""
    if not policies.can_export_organisation(actor, second_factor_verified=second_factor_verified):
        raise PermissionDeniedError
    export_purge()
    with transaction.atomic():
        item = OrganisationExport.objects.create(organisation_id=actor.organisation_id, requested_by=actor)
        audit_record(actor=actor, action="create", obj=item, reason="organisation export requested")
        transaction.on_commit(lambda: tasks.make_export.enqueue(item.pk))
    return item


def export_download(*, actor, item: OrganisationExport, second_factor_verified: bool) -> bytes:
    """The zip of a made export, decrypted; the download is recorded in the access log."""
    if not policies.can_export_organisation(actor, second_factor_verified=second_factor_verified):
        raise PermissionDeniedError
    if item.status != ExportStatus.DONE or (item.expires_at and item.expires_at <= timezone.now()):
        raise FileNotFoundError
    path = export_path(item)
    if not path.is_file():
        raise FileNotFoundError
    data = crypto.get_multifernet().decrypt(path.read_bytes())
    audit_record(
        actor=actor,
        action="export",
        obj=item,
        reason="organisation export downloaded",
        detail={"rows": sum(item.counts.values())},
    )
    return data


# --- Imports ---------------------------------------------------------------------------------------------

# How long an uploaded file waits for its confirmation.
PENDING_TIME = dt.timedelta(hours=1)


def import_file(
    *, actor, kind: str, rows: list[list[str]], source: str, dry_run: bool, partial: bool = False
) -> importing.Report:
    """The command line: check or import a table read by ``importing.read_table``."""
    if kind not in importing.COLUMNS:
        raise ValueError(kind)
    if not policies.can_import_on_command_line(actor):
        raise PermissionDeniedError
    report = importing.run(actor=actor, kind=kind, rows=rows, source=source, dry_run=dry_run, partial=partial)
    _record_import(actor, report, source, on_behalf_of="command line")
    return report


def _record_import(actor, report: importing.Report, source: str, obj=None, on_behalf_of: str = "") -> None:
    audit_record(
        actor=actor,
        action="create" if not report.dry_run else "view",
        obj=obj,
        object_type="" if obj is not None else "transfer.import",
        reason=("import checked" if report.dry_run else "import")[:500],
        on_behalf_of=on_behalf_of,
        # No file name: it is encrypted at rest (it may name a client).
        detail={
            "kind": report.kind,
            "rows": report.rows,
            "stored": report.stored,
            "rows_with_problems": report.failed_rows,
            "partial": report.partial,
        },
    )


def import_upload(
    *, actor, second_factor_verified: bool, kind: str, filename: str, data: bytes
) -> tuple[PendingImport | None, importing.Report]:
    """Check an uploaded file (a dry run) and keep it, encrypted, for the confirmation; a file that cannot be
    read is not kept and its report names the problem."""
    if not policies.can_import(actor, second_factor_verified=second_factor_verified):
        raise PermissionDeniedError
    import_purge()
    try:
        rows = importing.read_table(data, filename)
    except importing.FileProblem as problem:
        return None, importing.Report(kind=kind, problems=[importing.Problem(None, "", str(problem))])
    report = importing.run(actor=actor, kind=kind, rows=rows, source=filename, dry_run=True)
    if report.file_problem or any(problem.row == 1 for problem in report.problems):
        return None, report
    pending = PendingImport.objects.create(
        organisation_id=actor.organisation_id,
        created_by=actor,
        kind=kind,
        filename=filename[:400],
        content=base64.b64encode(data).decode("ascii"),
        expires_at=timezone.now() + PENDING_TIME,
    )
    _record_import(actor, report, filename, obj=pending)
    return pending, report


def import_preview(*, actor, pending: PendingImport, second_factor_verified: bool) -> importing.Report:
    """The dry run of a kept file again (what the data would give now), for its preview page."""
    if not policies.can_import(actor, second_factor_verified=second_factor_verified):
        raise PermissionDeniedError
    rows = importing.read_table(base64.b64decode(pending.content), pending.filename)
    return importing.run(actor=actor, kind=pending.kind, rows=rows, source=pending.filename, dry_run=True)


def import_confirm(
    *, actor, pending: PendingImport, partial: bool, second_factor_verified: bool
) -> importing.Report:
    """Import a kept file for real (every row, or with ``partial`` the rows without problems); the kept file
    is deleted whatever the outcome."""
    if not policies.can_import(actor, second_factor_verified=second_factor_verified):
        raise PermissionDeniedError
    rows = importing.read_table(base64.b64decode(pending.content), pending.filename)
    report = importing.run(
        actor=actor, kind=pending.kind, rows=rows, source=pending.filename, dry_run=False, partial=partial
    )
    if report.stored or not report.problems:
        PendingImport.objects.filter(pk=pending.pk).delete()
    _record_import(actor, report, pending.filename)
    return report


def import_purge(now=None) -> int:
    """Delete kept files past their time."""
    return PendingImport.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]
