"""Security events of the accounts area for the access log.

The access log (``audit``) sits above ``accounts`` in the layers (its policies and views use accounts), so
accounts cannot call ``audit_record`` itself. Its services send ``security_event`` instead, in the place
where another app's service would call ``audit_record``; the audit app receives it and writes the event
(``audit.receivers``). Arguments: ``actor`` (a user, or None for the server's operator), ``action`` (an
``AuditAction`` value), ``user`` (the account concerned), ``event`` (what happened, in ``detail.event``),
``reason`` and ``detail``.
"""

from django.dispatch import Signal

security_event = Signal()


def security_event_send(*, actor, action: str, user, event: str, reason: str = "", detail=None) -> None:
    security_event.send(
        sender=type(user),
        actor=actor,
        action=action,
        user=user,
        event=event,
        reason=reason,
        detail=detail or {},
    )
