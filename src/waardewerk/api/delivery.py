"""Sending one notification, with retries and back-off (docs/api.md, "Notifications").

The body is the delivery's payload as JSON; ``Waardewerk-Signature: t=<unix time>,v1=<HMAC-SHA256 of
"<t>.<body>" with the subscription's secret>`` lets the receiver check who sent it and when (a receiver
refuses an old timestamp against replay). A 2xx answer delivers it; anything else (another status, a
time-out, a refused connection) is tried again after 1, 5, 30 minutes, 2 and 12 hours; after the sixth
attempt the delivery has failed, which the administrator sees in the delivery log.
"""

import datetime as dt
import json

import requests
from django.utils import timezone

from waardewerk.api import tokens
from waardewerk.api.models import Delivery, DeliveryStatus

BACKOFF = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "Waardewerk-Signature"


def body_of(delivery: Delivery) -> bytes:
    payload = dict(delivery.payload, id=str(delivery.uuid))
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def attempt(delivery: Delivery, *, session=None) -> Delivery:
    """One attempt: send, record the answer, and plan the next attempt or give up."""
    if delivery.status != DeliveryStatus.PENDING:
        return delivery
    subscription = delivery.subscription
    body = body_of(delivery)
    now = timezone.now()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Waardewerk-Notifications/1",
        SIGNATURE_HEADER: tokens.signature_header(subscription.secret, int(now.timestamp()), body),
        "Waardewerk-Event": delivery.event,
        "Waardewerk-Delivery": str(delivery.uuid),
    }
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        response = (session or requests).post(
            subscription.url, data=body, headers=headers, timeout=TIMEOUT_SECONDS, allow_redirects=False
        )
    except requests.RequestException as exc:
        delivery.last_status_code = None
        delivery.last_error = type(exc).__name__[:300]
        ok = False
    else:
        delivery.last_status_code = response.status_code
        delivery.last_error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        ok = 200 <= response.status_code < 300
    if ok:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS or not subscription.active:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    delivery.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "last_status_code",
            "last_error",
            "status",
            "next_attempt_at",
        ]
    )
    return delivery


def due(now=None):
    """Pending deliveries whose next attempt has come (the sweep of ``waardewerk notifications send``)."""
    now = now or timezone.now()
    return Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).select_related(
        "subscription"
    )
