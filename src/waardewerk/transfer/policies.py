"""Who may import clients and trajectories and export the organisation's whole data (docs/authorization.md).

The functional administrator of the organisation, in a session with two-step verification: an export holds
every dossier of the organisation, decrypted, and an import writes personal data. Imports and exports are of
the actor's own organisation only; another organisation's export or pending import is a 404.
"""

from django.db.models import QuerySet

from waardewerk.accounts.policies import is_functional_admin
from waardewerk.transfer.models import OrganisationExport, PendingImport


def may_transfer(actor) -> bool:
    """The pages are the functional administrator's (the navigation shows them; the second factor is asked
    on opening them)."""
    return is_functional_admin(actor)


def can_export_organisation(actor, *, second_factor_verified: bool) -> bool:
    return may_transfer(actor) and bool(second_factor_verified)


def can_import(actor, *, second_factor_verified: bool) -> bool:
    return may_transfer(actor) and bool(second_factor_verified)


def can_import_on_command_line(actor) -> bool:
    """``waardewerk import ... --as USERNAME``: whoever runs the command has the server; the import acts as
    that functional administrator (their organisation, their name in the access log)."""
    return may_transfer(actor)


def visible_exports(actor) -> QuerySet[OrganisationExport]:
    if not may_transfer(actor):
        return OrganisationExport.objects.none()
    return OrganisationExport.objects.filter(organisation_id=actor.organisation_id)


def visible_pending_imports(actor) -> QuerySet[PendingImport]:
    """Only one's own uploads: a pending import is a file someone is still checking."""
    if not may_transfer(actor):
        return PendingImport.objects.none()
    return PendingImport.objects.filter(organisation_id=actor.organisation_id, created_by=actor)
