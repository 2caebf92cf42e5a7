"""The duplicate rule (clients.duplicates) and registration with it (docs/search.md)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import ClientFactory, OrganisationFactory, TrajectoryFactory
from waardewerk.audit.models import AccessEvent
from waardewerk.clients import services
from waardewerk.clients.duplicates import Duplicates, find_duplicates
from waardewerk.clients.models import Client
from waardewerk.core.text import fold

BORN = dt.date(1980, 2, 3)
BSN = "111222333"


def test_fold_ignores_accents_case_and_punctuation():
    assert fold("Öztürk") == "ozturk"
    assert fold("  De  Vries-Ørsted ") == "de vries orsted"
    assert fold("Ĳsbrand Łukasz Straße") == "ijsbrand lukasz strasse"
    assert fold("") == ""


@pytest.mark.django_db
def test_same_bsn_is_found_exactly_through_the_blind_index(organisation):
    known = ClientFactory(organisation=organisation, bsn=BSN)
    ClientFactory(organisation=organisation, bsn="123456782")
    assert find_duplicates(organisation, bsn="111 222 333").same_bsn == known
    assert find_duplicates(organisation.pk, bsn=BSN).same_bsn == known
    assert find_duplicates(organisation, bsn="111222334") == Duplicates()
    assert not find_duplicates(organisation, bsn="")
    # Another organisation's client with the same BSN is not a duplicate here.
    assert find_duplicates(OrganisationFactory(), bsn=BSN).same_bsn is None


@pytest.mark.django_db
def test_same_person_ignores_accents_case_and_where_the_infix_is(organisation):
    turk = ClientFactory(organisation=organisation, first_name="Ayşe", last_name="Öztürk", date_of_birth=BORN)
    vries = ClientFactory(
        organisation=organisation, first_name="Jan", infix="de", last_name="Vries", date_of_birth=BORN
    )
    ClientFactory(
        organisation=organisation, first_name="Ayse", last_name="Ozturk", date_of_birth=dt.date(1981, 1, 1)
    )
    found = find_duplicates(organisation, first_name="AYSE", last_name="ozturk", date_of_birth=BORN)
    assert found.same_person == [turk] and found.same_bsn is None
    assert find_duplicates(
        organisation, first_name="jan", last_name="De Vries", date_of_birth=BORN
    ).same_person == [vries]
    assert find_duplicates(
        organisation, first_name="jan", last_name="Vries", date_of_birth=BORN
    ).same_person == [vries]
    assert not find_duplicates(organisation, first_name="Jan", last_name="Vries")  # no date of birth: nothing
    assert not find_duplicates(
        OrganisationFactory(), first_name="Jan", last_name="de Vries", date_of_birth=BORN
    )


@pytest.mark.django_db
def test_search_name_is_kept_on_save_and_on_update(professional):
    client = services.client_register(
        actor=professional,
        data={"first_name": "Zoë", "infix": "van", "last_name": "Ærø", "date_of_birth": BORN},
    )
    assert Client.objects.get(pk=client.pk).search_name == "zoe van aero"
    from waardewerk.trajectories import services as dossier_services

    TrajectoryFactory(client=client, responsible=professional)
    dossier_services.client_update(
        actor=professional, client=client, data={"last_name": "Çelik", "infix": ""}, version=client.version
    )
    assert Client.objects.get(pk=client.pk).search_name == "zoe celik"


DATA = {"first_name": "Anna", "infix": "van", "last_name": "Dijk", "date_of_birth": BORN, "bsn": BSN}


@pytest.mark.django_db
def test_register_refuses_a_bsn_already_in_the_organisation(professional):
    known = ClientFactory(organisation=professional.organisation, bsn=BSN)
    with pytest.raises(services.DuplicateBSNError) as exc:
        services.client_register(actor=professional, data=DATA, accept_possible_duplicates=True)
    assert exc.value.client == known and "bsn" in exc.value.message_dict
    assert Client.objects.count() == 1


@pytest.mark.django_db
def test_register_warns_for_the_same_person_and_registers_after_confirmation(professional):
    ClientFactory(
        organisation=professional.organisation,
        first_name="anna",
        infix="van",
        last_name="DIJK",
        date_of_birth=BORN,
    )
    data = DATA | {"bsn": ""}
    with pytest.raises(services.PossibleDuplicatesError):
        services.client_register(actor=professional, data=data)
    assert Client.objects.count() == 1
    services.client_register(actor=professional, data=data, accept_possible_duplicates=True)
    assert Client.objects.count() == 2


def _post(login, user, **data):
    form = {
        "first_name": "Anna",
        "infix": "van",
        "last_name": "Dijk",
        "date_of_birth": "03-02-1980",
        "bsn": "",
        "city": "Utrecht",
    } | data
    return login(user).post(reverse("clients:register"), form)


@pytest.mark.django_db
def test_page_links_a_visible_client_with_the_same_bsn(login, professional):
    known = ClientFactory(
        organisation=professional.organisation, first_name="Karin", last_name="Bos", bsn=BSN
    )
    TrajectoryFactory(client=known, responsible=professional)
    response = _post(login, professional, bsn=BSN)
    assert response.status_code == 422
    page = response.content.decode()
    assert "already registered in your organisation" in page or "al ingeschreven" in page
    assert reverse("clients:dossier", kwargs={"client_id": known.uuid}) in page and "Karin" in page
    assert 'value="Utrecht"' in page  # nothing lost
    assert Client.objects.count() == 1
    assert AccessEvent.objects.filter(action="view", client_uuid=known.uuid).exists()


@pytest.mark.django_db
def test_page_names_no_client_the_user_may_not_see(login, professional, colleague):
    known = ClientFactory(
        organisation=professional.organisation, first_name="Karin", last_name="Bos", bsn=BSN
    )
    TrajectoryFactory(client=known, responsible=colleague)
    response = _post(login, professional, bsn=BSN)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Karin" not in page and str(known.uuid) not in page
    assert 'id="same-bsn"' in page
    assert Client.objects.count() == 1


@pytest.mark.django_db
def test_page_warns_for_the_same_person_and_continues_after_confirmation(login, professional, colleague):
    mine = ClientFactory(
        organisation=professional.organisation,
        first_name="Anna",
        infix="van",
        last_name="Dijk",
        date_of_birth=BORN,
    )
    TrajectoryFactory(client=mine, responsible=professional)
    theirs = ClientFactory(
        organisation=professional.organisation, first_name="ANNA", last_name="van Dijk", date_of_birth=BORN
    )
    TrajectoryFactory(client=theirs, responsible=colleague)
    response = _post(login, professional)
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("clients:dossier", kwargs={"client_id": mine.uuid}) in page
    assert str(theirs.uuid) not in page
    assert 'name="confirm_duplicate"' in page and 'value="Utrecht"' in page
    assert Client.objects.count() == 2
    response = _post(login, professional, confirm_duplicate="on")
    assert response.status_code == 302
    assert Client.objects.count() == 3
