"""Registering and revoking applications, subscriptions, and the notifications (docs/api.md)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.accounts.actor import SCOPES
from waardewerk.api import policies, tasks, tokens
from waardewerk.api.models import EVENT_SCOPES, Application, Delivery, DeliveryStatus, Event, Subscription
from waardewerk.audit.services import audit_record
from waardewerk.core.exceptions import PermissionDeniedError

MAX_VALIDITY_DAYS = 2 * 366


def application_register(
    *, actor, name: str, scopes: list[str], expires_on: dt.date
) -> tuple[Application, str]:
    """A new application of the actor's organisation, and its token (shown once, never stored)."""
    if not policies.can_manage_applications(actor):
        raise PermissionDeniedError
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the application a name.")
    unknown = sorted(set(scopes or []) - set(SCOPES))
    if unknown:
        errors["scopes"] = _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}
    elif not scopes:
        errors["scopes"] = _("Choose at least one scope.")
    today = timezone.localdate()
    if expires_on is None or expires_on <= today:
        errors["expires_on"] = _("Give a date after today.")
    elif expires_on > today + dt.timedelta(days=MAX_VALIDITY_DAYS):
        errors["expires_on"] = _("An application is registered for at most two years.")
    if errors:
        raise ValidationError(errors)
    token, prefix, digest = tokens.new_token()
    with transaction.atomic():
        application = Application.objects.create(
            organisation_id=actor.organisation_id,
            name=name,
            scopes=sorted(set(scopes)),
            expires_on=expires_on,
            token_prefix=prefix,
            token_digest=digest,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="create",
            obj=application,
            detail={"scopes": application.scopes, "expires_on": expires_on.isoformat(), "prefix": prefix},
        )
    return application, token


def application_revoke(*, actor, application: Application) -> Application:
    if not policies.manageable_applications(actor).filter(pk=application.pk).exists():
        raise PermissionDeniedError
    if application.revoked_at is None:
        application.revoked_at = timezone.now()
        application.revoked_by = actor
        application.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action="change", obj=application, detail={"revoked": True})
    return application


def subscription_add(*, actor, application: Application, event: str, url: str) -> tuple[Subscription, str]:
    """A subscription and its signing secret (shown once on the page; kept encrypted to sign)."""
    if not policies.manageable_applications(actor).filter(pk=application.pk).exists():
        raise PermissionDeniedError
    errors = {}
    if event not in Event.values:
        errors["event"] = _("Choose one of the events.")
    elif EVENT_SCOPES[event] not in (application.scopes or []):
        errors["event"] = _(
            "This application cannot read what this event names: give it the scope %(scope)s first."
        ) % {"scope": EVENT_SCOPES[event]}
    if not (url or "").startswith(("https://", "http://")):
        errors["url"] = _("Give the address (https://...) the notifications are sent to.")
    if errors:
        raise ValidationError(errors)
    secret = tokens.new_secret()
    subscription = Subscription.objects.create(application=application, event=event, url=url, secret=secret)
    audit_record(actor=actor, action="create", obj=subscription, detail={"event": event, "url": url})
    return subscription, secret


def subscription_remove(*, actor, subscription: Subscription) -> None:
    if not policies.manageable_subscriptions(actor).filter(pk=subscription.pk).exists():
        raise PermissionDeniedError
    subscription.active = False
    subscription.save(update_fields=["active"])
    audit_record(actor=actor, action="change", obj=subscription, detail={"active": False})


# Notifications --------------------------------------------------------------------------------------------


def notify(*, event: str, organisation_id: int, data: dict) -> list[Delivery]:
    """A delivery for every active subscription to ``event`` of the organisation's active applications,
    sent by the background worker once the transaction that caused it is committed."""
    subscriptions = Subscription.objects.filter(
        event=event,
        active=True,
        application__organisation_id=organisation_id,
        application__revoked_at__isnull=True,
        application__expires_on__gte=timezone.localdate(),
    ).only("pk")
    now = timezone.now()
    deliveries = [
        Delivery(
            subscription=subscription,
            event=event,
            payload={"event": event, "occurredAt": now.isoformat(), "data": data},
            status=DeliveryStatus.PENDING,
            next_attempt_at=now,
        )
        for subscription in subscriptions
    ]
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: [tasks.deliver.enqueue(pk) for pk in ids])
    return deliveries
