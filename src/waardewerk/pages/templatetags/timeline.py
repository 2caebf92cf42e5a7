"""Filters for the timeline's templates (``pages/timeline.html``): an entry stores choice values and
dates as data; the template shows them in the reader's language."""

import datetime as dt
import html

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from waardewerk.agenda.models import AppointmentKind, Channel
from waardewerk.clients.models import ConsentKind
from waardewerk.core.content import localised as _localised
from waardewerk.core.formats import day as _day
from waardewerk.instruments.models import Respondent
from waardewerk.matching.models import ClientResponse, Contract, Decision
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
    "decision": Decision,
    "response": ClientResponse,
    "contract": Contract,
}

# The labels per language, as plain strings: made on first use in a process, for every choice at once. (The
# choices' labels are lazy translations: every use of one translated it again, a few per entry.)
_LABELS: dict[str, dict[str, dict[str, str]]] = {}


def _labels(language: str) -> dict[str, dict[str, str]]:
    labels = _LABELS.get(language)
    if labels is None:
        labels = _LABELS[language] = {
            name: {value: str(text) for value, text in kind.choices} for name, kind in CHOICES.items()
        }
    return labels


@register.filter
def label(value, choices: str) -> str:
    """The label of a stored choice value in the active language: ``{{ entry.data.to|label:"phase" }}``."""
    return _labels(get_language())[choices].get(value, value)


@register.filter
def by(entry) -> str:
    """Who made the entry, after its title line: the client (in the portal) or the colleague, or nothing (an
    entry made for rows from before the timeline). One filter instead of a template part on every entry."""
    if entry.by_client:
        if entry.event == "measurement":
            who = gettext("by the client")
        else:
            who = gettext("the client, in the portal")
    elif entry.actor_id:
        who = str(entry.actor)
    else:
        return ""
    return SafeString(f' <span class="ww-muted">– {html.escape(who)}</span>')  # as ``escape``, once per entry


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


FILTER_LINK = (
    '<li><a class="utrecht-link utrecht-link--html-a" href="?kind={0}#timeline" hx-get="{1}?kind={0}"'
    ' hx-push-url="?kind={0}#timeline" hx-target="#timeline" hx-swap="outerHTML"{2}>{3}</a></li>'
)


@register.simple_tag
def timeline_filter(url: str, kinds, current: str) -> str:
    """The filter's links after "Everything", one per kind: to the kind on this page, or by htmx from the
    trajectory page's ``url`` (nine links on every trajectory section, made here in one go). With htmx the
    kind is kept in this page's address too (``hx-push-url``), so a reload or a shared link shows it."""
    url = escape(url)
    return mark_safe(  # noqa: S308 - the kinds are letters, the URL and the labels escaped
        "".join(
            FILTER_LINK.format(key, url, ' aria-current="true"' if key == current else "", escape(label))
            for key, label in kinds
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
    zone = timezone.get_current_timezone()
    dates = {}  # per day (``entry.day``, computed here once): its ISO form and as shown, escaped
    items = []
    with context.push() as scope:
        for entry in entries:
            part = parts.get(entry.event)
            if part is None:
                part = parts[entry.event] = engine.get_template(f"pages/timeline.html#{entry.event}")
            scope["entry"] = entry
            # The part's nodes, without the state a template keeps per render (``render_context``) and in
            # one scope for all entries: the parts use no tag that keeps a state or sets a variable
            # (``cycle``, ``ifchanged``, ``include``, ``… as name``; a test checks).
            body = part.nodelist.render(context)
            day = entry.occurred_at.astimezone(zone).date()
            date = dates.get(day)
            if date is None:
                date = dates[day] = (day.isoformat(), escape(_day(day, "j M Y")))
            # The style is a kind or an event (letters and underscores), the date's ISO form digits and
            # dashes, the body rendered by the template (escaped there).
            items.append(ITEM.format(entry.style, *date, body))
    return mark_safe("".join(items))  # noqa: S308 - see above


@register.filter
def isomoment(value):
    """A moment stored as ISO 8601 with its offset, for the ``date`` and ``time`` filters."""
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
