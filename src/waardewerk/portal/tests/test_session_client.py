"""The portal session's client, read by a query compiled once (``portal.middleware.portal_client``): the
same client, portal account and organisation as the ORM's ``select_related`` gives, in one query, with the
relations set; nothing for an ended account or an unknown id; a text that is no id goes the ORM's way."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from waardewerk.portal.middleware import _portal_client_by_orm, portal_client
from waardewerk.portal.models import PortalAccount

pytestmark = pytest.mark.django_db


def _values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def _same(found, expected):
    assert type(found) is type(expected)
    assert _values(found) == _values(expected)
    assert found._state.db == expected._state.db and found._state.adding == expected._state.adding


def test_the_client_as_the_orm_reads_it(trajectory):
    client = trajectory.client
    PortalAccount.objects.create(client=client, activated_at=timezone.now(), session_epoch=3)
    expected = _portal_client_by_orm(str(client.uuid))
    with CaptureQueriesContext(connection) as queries:
        found = portal_client(str(client.uuid))
        _same(found, expected)
        _same(found.portal_account, expected.portal_account)
        _same(found.organisation, expected.organisation)
        assert found.portal_account.client is found
        assert found.bsn == client.bsn
    assert len(queries) == 1
    # Again (the compiled form), and for another client of the same organisation.
    assert _values(portal_client(str(client.uuid))) == _values(expected)


def test_nothing_for_an_ended_account_or_an_unknown_id(trajectory):
    client = trajectory.client
    # Without a portal account the ORM's query finds the client (an outer join), without the account.
    found, expected = portal_client(str(client.uuid)), _portal_client_by_orm(str(client.uuid))
    _same(found, expected)
    with pytest.raises(PortalAccount.DoesNotExist):
        found.portal_account  # noqa: B018
    PortalAccount.objects.create(client=client, revoked_at=timezone.now())
    assert portal_client(str(client.uuid)) is None
    assert portal_client(str(uuid.uuid4())) is None


def test_a_text_that_is_no_id_goes_the_orms_way(trajectory):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _portal_client_by_orm("not an id")
    with pytest.raises(ValidationError):
        portal_client("not an id")
