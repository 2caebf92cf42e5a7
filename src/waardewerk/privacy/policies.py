"""Who handles retention, legal holds and data-subject requests (docs/privacy.md, "Who may do what").

The functional administrator of the organisation handles them (in a larger organisation the privacy
officer gets that role for these pages): they see every client of their organisation here, by name and
date of birth only, never the dossier. A case worker who knows the client (their dossier, or the team they
lead) is refused with 403; anyone else gets 404 for a client, a hold or a request.
"""

from django.db.models import QuerySet

from waardewerk.accounts.policies import is_functional_admin, is_team_lead
from waardewerk.clients.models import Client
from waardewerk.privacy.models import DataSubjectRequest, DestructionList, LegalHold
from waardewerk.trajectories.policies import known_clients


def can_manage_privacy(actor) -> bool:
    """The privacy pages: retention plan, legal holds, data-subject requests, erasure."""
    return is_functional_admin(actor)


def can_approve_destruction(actor) -> bool:
    """The two approvers of a destruction list (docs/privacy.md, "Two-person approval"): the functional
    administrator, and a team lead of the organisation as the second person. The team lead is chosen
    because the product has no privacy-officer role and the team lead knows the work whose files go; the
    list shows public ids and dates, never names."""
    return is_functional_admin(actor) or is_team_lead(actor)


def destruction_lists(actor) -> QuerySet[DestructionList]:
    if not can_approve_destruction(actor):
        return DestructionList.objects.none()
    return DestructionList.objects.filter(organisation_id=actor.organisation_id)


def privacy_clients(actor) -> QuerySet[Client]:
    if not can_manage_privacy(actor):
        return Client.objects.none()
    return Client.objects.filter(organisation_id=actor.organisation_id)


def known_privacy_clients(actor) -> QuerySet[Client]:
    """Clients the actor knows exist without handling their privacy (403 rather than 404)."""
    return known_clients(actor)


def managed_holds(actor) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(client__in=privacy_clients(actor))


def managed_requests(actor) -> QuerySet[DataSubjectRequest]:
    if not can_manage_privacy(actor):
        return DataSubjectRequest.objects.none()
    return DataSubjectRequest.objects.filter(organisation_id=actor.organisation_id)
