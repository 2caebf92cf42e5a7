"""The current definitions are read once per process (``instruments.versions``), checked against each
version's checksum."""

import pytest

from waardewerk.instruments import selectors, versions
from waardewerk.instruments.models import Instrument

pytestmark = pytest.mark.django_db


def test_current_instruments_read_the_definitions_once_per_process(organisation, django_assert_num_queries):
    versions.clear()
    with django_assert_num_queries(2):  # the instruments with their schedules, then the definitions
        first = selectors.current_instruments(organisation.pk)
    with django_assert_num_queries(1):
        again = selectors.current_instruments(organisation.pk)
    assert [(i.key, d) for i, d in again] == [(i.key, d) for i, d in first]
    for instrument, definition in again:
        assert definition.data == Instrument.objects.get(pk=instrument.pk).current.definition
        assert instrument.current.definition is definition.data  # for the schedules, without a query


def test_a_version_held_under_another_checksum_is_read_again(organisation, django_assert_num_queries):
    selectors.current_instruments(organisation.pk)
    instrument = Instrument.objects.select_related("current").exclude(current=None).order_by("key").first()
    # As after a rollback in another process: this process holds other content under the version's id.
    versions.forget(instrument.current_id)
    versions._data[instrument.current_id] = {"stale": True}
    versions._checksums[instrument.current_id] = "0" * 64
    with django_assert_num_queries(2):
        pairs = dict((i.key, d) for i, d in selectors.current_instruments(organisation.pk))
    assert pairs[instrument.key].data == instrument.current.definition
