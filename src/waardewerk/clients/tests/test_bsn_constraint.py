"""One client per BSN in an organisation, held by the database too (``client_org_bsn_unique``, migration
clients.0007): two registrations at the same moment both pass the duplicate rule's check (before saving);
the constraint stops the second, and the service answers it with the duplicate rule's message
(docs/search.md). The race runs with real threads and their own connections on SQLite (a database file, as
the app uses) and PostgreSQL."""

import datetime as dt
import threading
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from tests.factories import ClientFactory, OrganisationFactory, TrajectoryFactory
from waardewerk.accounts.tests.helpers import file_database_on_sqlite
from waardewerk.clients import services
from waardewerk.clients.duplicates import Duplicates
from waardewerk.clients.models import Client
from waardewerk.trajectories import services as dossier_services

BSN = "111222333"
OTHER_BSN = "123456782"
BORN = dt.date(1980, 2, 3)
DATA = {"first_name": "Anna", "last_name": "Dijk", "date_of_birth": BORN, "bsn": BSN}
migration = import_module("waardewerk.clients.migrations.0007_client_bsn_unique")


@pytest.mark.django_db
def test_the_database_refuses_a_second_client_with_the_bsn_in_one_organisation(organisation):
    ClientFactory(organisation=organisation, bsn=BSN)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientFactory(organisation=organisation, bsn=BSN)
    # Another organisation may have a client with this BSN, and clients without a BSN are not compared.
    ClientFactory(organisation=OrganisationFactory(), bsn=BSN)
    ClientFactory(organisation=organisation, bsn="")
    ClientFactory(organisation=organisation, bsn="")
    assert Client.objects.filter(organisation=organisation).count() == 3


def _check_passes(monkeypatch):
    """The duplicate rule's check before saving finds nothing, as when another registration of this BSN
    was saved between that check and this one's INSERT."""
    real = services.find_duplicates
    calls = {"n": 0}

    def first_finds_nothing(*args, **kwargs):
        calls["n"] += 1
        return Duplicates() if calls["n"] == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "find_duplicates", first_finds_nothing)


@pytest.mark.django_db
def test_a_registration_past_the_check_gets_the_duplicate_rules_message(monkeypatch, professional):
    known = ClientFactory(organisation=professional.organisation, bsn=BSN)
    _check_passes(monkeypatch)
    with pytest.raises(services.DuplicateBSNError) as exc:
        services.client_register(actor=professional, data=DATA)
    assert exc.value.client == known
    assert [e.code for e in exc.value.error_dict["bsn"]] == ["bsn_duplicate"]
    assert Client.objects.filter(organisation=professional.organisation).count() == 1


@pytest.mark.django_db
def test_the_registration_page_answers_a_lost_race_with_the_message_not_an_error(
    monkeypatch, login, professional
):
    known = ClientFactory(
        organisation=professional.organisation, first_name="Karin", last_name="Bos", bsn=BSN
    )
    TrajectoryFactory(client=known, responsible=professional)
    _check_passes(monkeypatch)
    response = login(professional).post(
        reverse("clients:register"),
        {"first_name": "Anna", "last_name": "Dijk", "date_of_birth": "03-02-1980", "bsn": BSN, "city": "Ede"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="same-bsn"' in page
    assert reverse("clients:dossier", kwargs={"client_id": known.uuid}) in page
    assert 'value="Ede"' in page  # nothing typed is lost
    assert Client.objects.filter(organisation=professional.organisation).count() == 1


@pytest.mark.django_db
def test_changing_a_bsn_past_the_check_gets_the_duplicate_rules_message(monkeypatch, professional):
    known = ClientFactory(organisation=professional.organisation, bsn=BSN)
    mine = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation).client
    monkeypatch.setattr(dossier_services, "find_duplicates", lambda *a, **k: Duplicates())
    with pytest.raises(services.DuplicateBSNError) as exc:
        dossier_services.client_update(
            actor=professional, client=mine, data={"bsn": BSN}, version=mine.version
        )
    assert exc.value.client == known
    mine.refresh_from_db()
    assert mine.bsn == ""


@pytest.mark.django_db
def test_the_migration_names_clients_that_share_a_bsn_and_changes_nothing(organisation):
    """A database with duplicates from before the constraint: the check before it stops the migration with
    the clients' public ids (never the BSN). The constraint is a partial unique index on both databases;
    it is dropped inside the test's transaction (and back when that rolls back) to store such a pair."""

    class SchemaEditor:
        pass

    SchemaEditor.connection = connection
    ClientFactory(organisation=organisation, bsn=BSN)
    ClientFactory(organisation=OrganisationFactory(), bsn=BSN)  # another organisation: not a duplicate
    migration.refuse_duplicates(django_apps, SchemaEditor)  # nothing to refuse: it returns
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {migration.CONSTRAINT}")
    second = ClientFactory(organisation=organisation, bsn=BSN)
    first = Client.objects.filter(organisation=organisation).exclude(pk=second.pk).get()
    with pytest.raises(migration.DuplicateBSNs) as exc:
        migration.refuse_duplicates(django_apps, SchemaEditor)
    message = str(exc.value)
    assert f"clients {first.uuid}, {second.uuid}" in message
    assert "1 group(s)" in message and "Nothing was changed" in message
    assert BSN not in message and first.bsn_index not in message
    assert Client.objects.filter(organisation=organisation).count() == 2


def _race(organisation_user, count=2):
    """``count`` registrations of one BSN at once, each in its own thread and connection. Each waits after the
    duplicate rule's check until all have checked, so every one passes it: the widest race."""
    real = services.find_duplicates
    checked = threading.Barrier(count)

    def check_then_wait(*args, **kwargs):
        found = real(*args, **kwargs)
        if not found.same_bsn:
            checked.wait(timeout=20)
        return found

    outcomes = [None] * count

    def run(index):
        try:
            outcomes[index] = services.client_register(
                actor=organisation_user, data=DATA | {"first_name": f"Anna{index}"}
            )
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = exc
        finally:
            connection.close()

    return check_then_wait, run, outcomes


@pytest.mark.django_db(transaction=True)
def test_two_registrations_racing_end_with_one_client_and_the_message(monkeypatch, tmp_path, professional):
    with file_database_on_sqlite(tmp_path):
        check_then_wait, run, outcomes = _race(professional)
        monkeypatch.setattr(services, "find_duplicates", check_then_wait)
        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)
        registered = [o for o in outcomes if isinstance(o, Client)]
        refused = [o for o in outcomes if isinstance(o, services.DuplicateBSNError)]
        assert len(registered) == 1 and len(refused) == 1, outcomes
        assert refused[0].client.pk == registered[0].pk
        assert refused[0].message_dict["bsn"] == [
            services.DuplicateBSNError(registered[0]).message_dict["bsn"][0]
        ]
        assert list(Client.objects.filter(organisation=professional.organisation)) == registered
