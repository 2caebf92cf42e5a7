"""The API's part of the demo (``waardewerk demo``): a connected case-management system of the demo
organisation with its notification subscriptions and a few deliveries (delivered, one waiting for its
retry, one given up), so the functional administrator's application pages show what they are for.

The sample data sits below the API in the layers, so it sends ``demo_created`` / ``demo_deleting``
(``sampledata/demo_signals.py``) and this module answers. The deliveries name real objects of the demo
(a phase change, a submitted measurement, a placement) by their public ids, as real notifications do. The
applications' tokens are made and thrown away: a token is only ever shown when it is registered.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.dispatch import receiver
from django.utils import timezone

from waardewerk.accounts.models import Role, User
from waardewerk.api import tokens
from waardewerk.api.delivery import BACKOFF, MAX_ATTEMPTS
from waardewerk.api.models import Application, Delivery, DeliveryStatus, Event, Subscription
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.matching.models import Placement
from waardewerk.sampledata.demo_signals import demo_created, demo_deleting
from waardewerk.trajectories.models import Trajectory

SEED = 20261203
RECEIVER = "https://zaaksysteem.lindendaal.example/waardewerk/meldingen"
SCOPES = ["clients:read", "matching:read", "measurements:read", "trajectories:read"]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@receiver(demo_created, dispatch_uid="api_demo_created")
def create_api_demo(sender, organisation, today: dt.date, **kwargs) -> dict:
    rng = random.Random(SEED)
    admin = User.objects.filter(organisation=organisation, role=Role.FUNCTIONAL_ADMIN).order_by("id").first()
    if admin is None:
        return {}
    now = timezone.now()

    def application(name, scopes, expires_on, revoked=False):
        _token, prefix, digest = tokens.new_token()
        return Application.objects.create(
            uuid=_uuid(rng),
            organisation=organisation,
            name=name,
            scopes=scopes,
            expires_on=expires_on,
            token_prefix=prefix,
            token_digest=digest,
            created_by=admin,
            revoked_at=now - dt.timedelta(days=20) if revoked else None,
            revoked_by=admin if revoked else None,
            last_used_at=now - dt.timedelta(hours=2),
        )

    system = application("Zaaksysteem Lindendaal", SCOPES, today + dt.timedelta(days=365))
    application(
        "Oude rapportagekoppeling", ["trajectories:read"], today + dt.timedelta(days=30), revoked=True
    )
    subscriptions = {
        event: Subscription.objects.create(
            uuid=_uuid(rng), application=system, event=event, url=RECEIVER, secret=tokens.new_secret()
        )
        for event in (Event.PHASE_CHANGED, Event.MEASUREMENT_SUBMITTED, Event.PLACEMENT_STARTED)
    }
    trajectories = list(
        Trajectory.objects.filter(organisation=organisation).order_by("-id").values("uuid", "phase")[:3]
    )
    measurement = (
        Measurement.objects.filter(trajectory__organisation=organisation, status=MeasurementStatus.SUBMITTED)
        .order_by("-id")
        .values("uuid", "trajectory__uuid")
        .first()
    )
    placement = (
        Placement.objects.filter(trajectory__organisation=organisation)
        .order_by("-start_date", "-id")
        .values("uuid", "trajectory__uuid")
        .first()
    )
    # (event, data, hours ago, outcome): delivered at once, a receiver that answered 503 twice and is tried
    # again later, one that kept answering 500 and was given up.
    plan = [
        (Event.PHASE_CHANGED, {"trajectory": str(t["uuid"]), "phase": t["phase"]}, 30 - 6 * i, "delivered")
        for i, t in enumerate(trajectories)
    ]
    if measurement:
        data = {"trajectory": str(measurement["trajectory__uuid"]), "measurement": str(measurement["uuid"])}
        plan.append((Event.MEASUREMENT_SUBMITTED, data, 5, "delivered"))
    if placement:
        data = {"trajectory": str(placement["trajectory__uuid"]), "placement": str(placement["uuid"])}
        plan.append((Event.PLACEMENT_STARTED, data, 72, "failed"))
        plan.append((Event.PLACEMENT_STARTED, data, 1, "pending"))
    deliveries = []
    for event, data, hours, outcome in plan:
        at = now - dt.timedelta(hours=hours)
        row = Delivery(
            uuid=_uuid(rng),
            subscription=subscriptions[event],
            event=event,
            payload={"event": event, "occurredAt": at.isoformat(), "data": data},
            status=DeliveryStatus(outcome),
            attempts=1,
            last_attempt_at=at,
            last_status_code=204,
        )
        if outcome == "pending":
            row.attempts, row.last_status_code = 2, 503
            row.next_attempt_at = now + BACKOFF[2]
        elif outcome == "failed":
            row.attempts, row.last_status_code = MAX_ATTEMPTS, 500
            row.last_attempt_at = at + sum(BACKOFF, dt.timedelta())
        deliveries.append(row)
    Delivery.objects.bulk_create(deliveries)
    return {"applications": 2, "subscriptions": len(subscriptions), "deliveries": len(deliveries)}


@receiver(demo_deleting, dispatch_uid="api_demo_deleting")
def delete_api_demo(sender, organisation, **kwargs) -> None:
    # Subscriptions and deliveries cascade; the applications protect the organisation and its users.
    Application.objects.filter(organisation=organisation).delete()
