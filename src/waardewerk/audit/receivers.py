"""The access log records the accounts area's security events (``accounts.signals``)."""

from django.dispatch import receiver

from waardewerk.accounts.signals import security_event
from waardewerk.audit.services import audit_record


@receiver(security_event, dispatch_uid="waardewerk.audit.security_event")
def record_security_event(*, actor, action, user, event, reason, detail, **kwargs):
    audit_record(actor=actor, action=action, obj=user, reason=reason[:500], detail={"event": event, **detail})
