"""Filters for the timeline's templates (``pages/timeline.html``): an entry stores choice values and
dates as data; the template shows them in the reader's language."""

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from waardewerk.agenda.models import AppointmentKind, Channel
from waardewerk.clients.models import ConsentKind
from waardewerk.core.content import localised as _localised
from waardewerk.core.formats import day as _day
from waardewerk.instruments.models import Respondent
from waardewerk.portal.models import Satisfaction
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
    "satisfaction": Satisfaction,
    "appointment": AppointmentKind,
    "channel": Channel,
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


@register.simple_tag
def timeline_filter(url: str, kinds, current: str) -> str:
    """The filter's links after "Everything", one per kind: to the kind on this page, or by htmx from the
    trajectory page's ``url`` (nine links on every trajectory section, made here in one go). With htmx the
    kind is kept in this page's address too (``hx-push-url``), so a reload or a shared link shows it."""
    link = (
        '<li><a class="utrecht-link utrecht-link--html-a" href="?kind={0}#timeline" hx-get="{1}?kind={0}"'
        ' hx-push-url="?kind={0}#timeline" hx-target="#timeline" hx-swap="outerHTML"{2}>{3}</a></li>'
    )
    current_mark = mark_safe(' aria-current="true"')  # noqa: S308 - a literal
    return mark_safe(  # noqa: S308 - each link made by format_html
        "".join(
            format_html(link, key, url, current_mark if key == current else "", label) for key, label in kinds
        )
    )


ITEM = (
    '\n    <li class="ww-timeline__item ww-timeline__item--{}">\n'
    '      <time class="ww-timeline__date" datetime="{}">{}</time>\n'
    '      <div class="ww-timeline__body">{}</div>\n    </li>\n    '
)


@register.simple_tag(takes_context=True)
def timeline_items(context, entries) -> str:
    """The timeline's list items: per entry its date and the part of ``pages/timeline.html`` for its event,
    rendered with ``entry`` in the context. The same as a ``for`` loop with an ``include`` per entry, without
    the template engine's work per entry around the part (a trajectory page shows tens of entries); the
    texts stay in the template."""
    parts = context.render_context.dicts[0].setdefault("timeline_parts", {})
    engine = context.template.engine
    items = []
    for entry in entries:
        part = parts.get(entry.event)
        if part is None:
            part = parts[entry.event] = engine.get_template(f"pages/timeline.html#{entry.event}")
        with context.push(entry=entry):
            body = part.render(context)
        items.append(format_html(ITEM, entry.style, entry.day.isoformat(), _day(entry.day, "j M Y"), body))
    return mark_safe("".join(items))  # noqa: S308 - each item made by format_html


@register.filter
def isomoment(value):
    """A moment stored as ISO 8601 with its offset, for the ``date`` and ``time`` filters."""
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
