"""The API's part of the demo: the functional administrator's application pages are filled."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from waardewerk.accounts.models import Role, User
from waardewerk.api.models import Application, Delivery, DeliveryStatus, Event, Subscription
from waardewerk.matching.models import Placement
from waardewerk.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_application_with_subscriptions_and_deliveries(client):
    call_command("demo", stdout=StringIO())
    system = Application.objects.get(name="Zaaksysteem Lindendaal")
    assert system.is_active and "matching:read" in system.scopes
    assert Application.objects.filter(revoked_at__isnull=False).count() == 1
    assert set(system.subscriptions.values_list("event", flat=True)) == set(Event.values)
    statuses = set(Delivery.objects.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.DELIVERED, DeliveryStatus.PENDING, DeliveryStatus.FAILED}
    # The deliveries name the demo's own objects.
    placement = Delivery.objects.filter(event=Event.PLACEMENT_STARTED).first().payload["data"]["placement"]
    assert Placement.objects.filter(uuid=placement, trajectory__organisation=system.organisation).exists()
    phase = Delivery.objects.filter(event=Event.PHASE_CHANGED).first().payload["data"]["trajectory"]
    assert Trajectory.objects.filter(uuid=phase, organisation=system.organisation).exists()

    admin = User.objects.get(organisation=system.organisation, role=Role.FUNCTIONAL_ADMIN)
    client.force_login(admin)
    listing = client.get(reverse("api_admin:applications"))
    assert listing.status_code == 200 and "Zaaksysteem Lindendaal" in listing.content.decode()
    page = client.get(reverse("api_admin:application", args=[system.uuid]))
    assert page.status_code == 200
    assert len(page.context["deliveries"]) == Delivery.objects.count()

    # A reset removes and recreates it.
    call_command("demo", "--reset", stdout=StringIO())
    assert Application.objects.count() == 2 and Subscription.objects.count() == 3
