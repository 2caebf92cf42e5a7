"""The demo's privacy data (docs/privacy.md): a legal hold on a client whose trajectory ended, an open
request for access and an answered request for rectification, so the functional administrator's privacy
pages show something."""

from __future__ import annotations

import datetime as dt

from waardewerk.accounts.models import Role, User
from waardewerk.clients.models import Client
from waardewerk.privacy.models import (
    DataSubjectRequest,
    DestructionItem,
    DestructionList,
    ErasureRecord,
    LegalHold,
    RetentionTerm,
    one_month_after,
)


def create_privacy_data(organisation, today: dt.date) -> None:
    admin = User.objects.filter(organisation=organisation, role=Role.FUNCTIONAL_ADMIN).order_by("id").first()
    closed = list(
        Client.objects.filter(organisation=organisation, trajectories__end_date__isnull=False)
        .order_by("id")
        .distinct()[:3]
    )
    if admin is None or len(closed) < 3:
        return
    LegalHold.objects.create(
        client=closed[0],
        reason="Bezwaar tegen de beëindiging van het traject loopt (Awb); dossier bewaren tot de uitspraak.",
        set_by=admin,
    )
    received = today - dt.timedelta(days=10)
    DataSubjectRequest.objects.create(
        organisation=organisation,
        client=closed[1],
        kind="access",
        received_on=received,
        deadline=one_month_after(received),
        description="Wil een kopie van alles wat over haar is vastgelegd.",
        status="in_progress",
        handling="Export gemaakt; nog nakijken op gegevens van derden.",
        registered_by=admin,
    )
    answered = today - dt.timedelta(days=40)
    DataSubjectRequest.objects.create(
        organisation=organisation,
        client=closed[2],
        kind="rectification",
        received_on=answered,
        deadline=one_month_after(answered),
        description="Het telefoonnummer in het dossier klopt niet.",
        status="granted",
        handling="Nummer aangepast door de klantmanager.",
        answer="Uw telefoonnummer is aangepast.",
        answered_on=answered + dt.timedelta(days=6),
        registered_by=admin,
    )


def delete_privacy_data(organisation) -> None:
    """Before the organisation's users and clients go: the holds, requests, destruction lists and terms
    protect their users."""
    LegalHold.objects.filter(client__organisation=organisation).delete()
    DestructionItem.objects.filter(destruction_list__organisation=organisation).delete()
    ErasureRecord.objects.filter(organisation=organisation).delete()
    DestructionList.objects.filter(organisation=organisation).delete()
    RetentionTerm.objects.filter(organisation=organisation).delete()
    DataSubjectRequest.objects.filter(organisation=organisation).delete()
