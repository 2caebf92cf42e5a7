"""Access rules of the import and export pages (merged into tests/test_access.py::MATRIX; docs/import.md,
docs/export.md).

Only the functional administrator, after the second factor of the session: without it the administrator
(of either organisation) is sent to the two-factor step first, so organisation B's administrator cannot
tell whether A's export or pending import exists; with it, B's administrator gets 404 for A's objects
(src/waardewerk/transfer/tests).
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.matrix import ADMIN, no_object
from waardewerk.transfer.models import OrganisationExport, PendingImport

WITH_2FA = no_object(ADMIN | {"functional_admin": 302})


def _export(world):
    organisation = world["client"].organisation
    return OrganisationExport.objects.get_or_create(organisation=organisation)[0]


def _pending(world):
    admin = world["users"]["functional_admin"]
    return PendingImport.objects.get_or_create(
        organisation=admin.organisation,
        created_by=admin,
        kind="clients",
        defaults={"filename": "a.csv", "content": "", "expires_at": timezone.now() + dt.timedelta(hours=1)},
    )[0]


MATRIX = {
    "transfer:index": ("get", lambda w: reverse("transfer:index"), None, WITH_2FA),
    "transfer:export_start": ("post", lambda w: reverse("transfer:export_start"), lambda w: {}, WITH_2FA),
    "transfer:export_download": (
        "get",
        lambda w: reverse("transfer:export_download", args=[_export(w).uuid]),
        None,
        WITH_2FA,
    ),
    "transfer:import_upload": ("post", lambda w: reverse("transfer:import_upload"), lambda w: {}, WITH_2FA),
    "transfer:import_preview": (
        "get",
        lambda w: reverse("transfer:import_preview", args=[_pending(w).uuid]),
        None,
        WITH_2FA,
    ),
    "transfer:import_confirm": (
        "post",
        lambda w: reverse("transfer:import_confirm", args=[_pending(w).uuid]),
        lambda w: {},
        WITH_2FA,
    ),
}
