"""Filters for the timeline's templates (``pages/timeline.html``): an entry stores choice values and
dates as data; the template shows them in the reader's language."""

import datetime as dt

from django import template

from waardewerk.clients.models import ConsentKind
from waardewerk.core.content import localised as _localised
from waardewerk.core.formats import day as _day
from waardewerk.instruments.models import Respondent
from waardewerk.matching.models import ClientResponse, Contract, Decision
from waardewerk.trajectories.models import (
    ActionOwner,
    AgreementMethod,
    AssignmentKind,
    ConversationMode,
    EndReason,
    Phase,
    Prompt,
)

register = template.Library()

CHOICES = {
    "phase": Phase,
    "mode": ConversationMode,
    "owner": ActionOwner,
    "end_reason": EndReason,
    "prompt": Prompt,
    "method": AgreementMethod,
    "consent": ConsentKind,
    "respondent": Respondent,
    "assignment": AssignmentKind,
    "decision": Decision,
    "response": ClientResponse,
    "contract": Contract,
}

_LABELS = {name: dict(kind.choices) for name, kind in CHOICES.items()}


@register.filter
def label(value, choices: str) -> str:
    """The label of a stored choice value: ``{{ entry.data.to|label:"phase" }}``."""
    return _LABELS[choices].get(value, value)


@register.filter
def localised(texts) -> str:
    """A text stored per language (``{"nl": …, "en": …}``) in the active language."""
    return _localised(texts) if isinstance(texts, dict) else (texts or "")


@register.filter
def isodate(value):
    """A date stored as ``YYYY-MM-DD``, for the ``date`` filter."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def day(value, fmt: str = "j M Y") -> str:
    """As the ``date`` filter, with the strings remembered per language and format (``core.formats``): the
    timeline shows a few dates per entry."""
    return _day(value, fmt)
