"""Exports of the organisation's whole data (docs/export.md) and imports of clients and trajectories
(docs/import.md, ``importing.py``)."""

from django.db import transaction
from django.utils import timezone

from waardewerk.audit.services import audit_record
from waardewerk.core import crypto
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.transfer import policies, tasks
from waardewerk.transfer.making import export_path, export_purge, export_to_file
from waardewerk.transfer.models import ExportStatus, OrganisationExport

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
