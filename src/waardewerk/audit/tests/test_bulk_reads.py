"""``audit_reads``: many reads of one page written at once, the same rows as ``audit_read`` per read."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from tests.factories import TrajectoryFactory
from waardewerk.audit import services
from waardewerk.audit.middleware import AuditMiddleware
from waardewerk.audit.models import AccessEvent

COMPARED = (
    "actor_id",
    "actor_username",
    "actor_role",
    "on_behalf_of",
    "client_uuid",
    "object_type",
    "object_uuid",
    "action",
    "reason",
    "detail",
    "ip",
    "emergency_access",
)


def _rows(since: int) -> list[tuple]:
    return list(AccessEvent.objects.filter(id__gt=since).order_by("id").values_list(*COMPARED))


def _served(reads) -> None:
    """``reads()`` in a request whose response shows a page (so its reads are written)."""

    def view(request):
        reads()
        return HttpResponse("page")

    AuditMiddleware(view)(RequestFactory().get("/x"))


@pytest.mark.django_db
def test_bulk_reads_write_the_same_rows_as_one_read_each(professional):
    trajectories = [
        TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
        for _ in range(3)
    ]
    reads = [(t.client, t) for t in trajectories] + [(trajectories[0].client.uuid, None), (None, None)]

    start = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _served(
        lambda: [
            services.audit_read(actor=professional, client=client, obj=obj, detail={"api": True})
            for client, obj in reads
        ]
    )
    one_each = _rows(start)
    middle = AccessEvent.objects.order_by("-id").values_list("id", flat=True).first()
    _served(lambda: services.audit_reads(actor=professional, reads=reads, detail={"api": True}))
    bulk = _rows(middle)

    assert len(one_each) == len(reads)
    assert bulk == one_each
    assert services.verify() == []


@pytest.mark.django_db
def test_bulk_reads_outside_a_request_are_written_at_once_and_chained(professional):
    clients = [
        TrajectoryFactory(responsible=professional, client__organisation=professional.organisation).client
        for _ in range(2)
    ]
    before = AccessEvent.objects.count()
    services.audit_reads(actor=professional, reads=((c, None) for c in clients), object_type="x.list")
    services.audit_reads(actor=professional, reads=[], object_type="x.list")  # nothing read: nothing written
    rows = list(AccessEvent.objects.order_by("-id").values_list("client_uuid", "object_type", "action")[:2])
    assert AccessEvent.objects.count() == before + 2
    assert sorted(rows) == sorted((c.uuid, "x.list", "view") for c in clients)
    assert services.verify() == []


@pytest.mark.django_db
def test_many_rows_go_in_several_batches_and_stay_one_chain(professional):
    client = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation
    ).client
    before = AccessEvent.objects.count()
    services.audit_reads(actor=professional, reads=[(client, None)] * 1200, object_type="x.list")
    assert AccessEvent.objects.count() == before + 1200
    assert services.verify() == []
