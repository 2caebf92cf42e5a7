"""Marking a signal of the start page as handled, and undoing it (docs/workday.md)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.workday import policies, selectors
from waardewerk.workday.models import HandledSignal


def _refuse_unless_allowed(actor) -> None:
    if not policies.can_handle_signal(actor):
        raise PermissionDeniedError(_("Only professionals and team leads have signals to handle."))


def signal_handle(*, actor, kind: str, key: str, today=None) -> HandledSignal:
    """Mark one of the actor's current signals as handled. A signal that is not (or no longer) one of the
    actor's is refused with a message."""
    _refuse_unless_allowed(actor)
    today = today or timezone.localdate()
    signal = selectors.open_signal(actor, kind, key, today)
    if signal is None:
        raise ValidationError(_("This signal is no longer on your start page."))
    with transaction.atomic():
        mark, _created = HandledSignal.objects.get_or_create(user=actor, kind=kind, key=key)
        audit_record(
            actor=actor,
            action="change",
            client=signal.client,
            object_type="workday.handledsignal",
            detail={"kind": kind, "handled": True},
        )
    return mark


def signal_reopen(*, actor, kind: str, key: str) -> None:
    """Undo a mark: the signal shows among the open ones again (while it still applies)."""
    _refuse_unless_allowed(actor)
    with transaction.atomic():
        deleted, _rows = HandledSignal.objects.filter(user=actor, kind=kind, key=key).delete()
        if not deleted:
            raise ValidationError(_("This signal is not marked as handled."))
        audit_record(
            actor=actor,
            action="change",
            object_type="workday.handledsignal",
            detail={"kind": kind, "handled": False},
        )
