import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import ClientFactory, TrajectoryFactory
from waardewerk.clients import services
from waardewerk.clients.models import Client
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.trajectories import services as dossier_services

VALID = {
    "first_name": "  Anna ",
    "infix": "van",
    "last_name": "Dijk",
    "date_of_birth": dt.date(1980, 2, 3),
    "postal_code": "3511ab",
    "bsn": "111 222 333",
}


@pytest.mark.django_db
def test_register_normalises_and_records_who(professional):
    client = services.client_register(actor=professional, data=VALID)
    assert client.first_name == "Anna" and client.postal_code == "3511 AB" and client.bsn == "111222333"
    assert client.created_by == professional and client.organisation == professional.organisation
    assert client.full_name == "Anna van Dijk" and client.sort_name == "Dijk, Anna van"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value",
    [("first_name", "  "), ("last_name", ""), ("bsn", "123456789"), ("date_of_birth", dt.date(2999, 1, 1))],
)
def test_register_rejects_bad_input_per_field(professional, field, value):
    with pytest.raises(ValidationError) as exc:
        services.client_register(actor=professional, data=VALID | {field: value})
    assert field in exc.value.message_dict
    assert Client.objects.count() == 0


@pytest.mark.django_db
def test_functional_admin_cannot_register_clients(functional_admin):
    with pytest.raises(PermissionDeniedError):
        services.client_register(actor=functional_admin, data=VALID)


@pytest.mark.django_db
def test_concurrent_edit_is_detected_and_nothing_is_overwritten(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    client = trajectory.client
    opened_version = client.version
    dossier_services.client_update(
        actor=professional, client=client, data=VALID | {"last_name": "Eerste"}, version=opened_version
    )
    stale = Client.objects.get(pk=client.pk)
    with pytest.raises(ConcurrentEditError):
        dossier_services.client_update(
            actor=professional, client=stale, data=VALID | {"last_name": "Tweede"}, version=opened_version
        )
    assert Client.objects.get(pk=client.pk).last_name == "Eerste"


@pytest.mark.django_db
def test_bad_update_keeps_stored_data(professional):
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, client__bsn="111222333"
    )
    client = trajectory.client
    with pytest.raises(ValidationError):
        dossier_services.client_update(
            actor=professional,
            client=client,
            data=VALID | {"last_name": "Nieuw", "bsn": "999999999"},
            version=client.version,
        )
    client.refresh_from_db()
    assert client.bsn == "111222333" and client.last_name != "Nieuw"


@pytest.mark.django_db
def test_a_colleague_cannot_edit(professional, colleague):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    with pytest.raises(PermissionDeniedError):
        dossier_services.client_update(actor=colleague, client=trajectory.client, data=VALID, version=1)


@pytest.mark.django_db
def test_registered_client_without_trajectory_stays_visible_to_who_registered(professional, colleague):
    from waardewerk.trajectories.policies import visible_clients

    client = ClientFactory(organisation=professional.organisation, created_by=professional)
    assert list(visible_clients(professional)) == [client]
    assert list(visible_clients(colleague)) == []
    TrajectoryFactory(client=client, responsible=colleague, start_date=timezone.localdate())
    assert list(visible_clients(professional)) == []
    assert list(visible_clients(colleague)) == [client]
