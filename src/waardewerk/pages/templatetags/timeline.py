"""The timeline's tags: ``{% timeline_items %}`` (its entries, each with the part for its event from
``pages.timeline_entries``) and ``{% timeline_filter %}`` (the links to show one kind). The filters show an
entry's stored choice values and dates in the reader's language (``pages.timeline_entries`` has them as
functions)."""

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from waardewerk.core.formats import day as _day
from waardewerk.pages import timeline_entries
from waardewerk.pages.timeline_entries import PARTS, translations

register = template.Library()


@register.filter
def label(value, choices: str) -> str:
    """The label of a stored choice value in the active language: ``{{ entry.data.to|label:"phase" }}``."""
    return timeline_entries.label(value, choices)


@register.filter
def by(entry) -> str:
    """Who made the entry, after its title line: the client (in the portal) or the colleague, or nothing."""
    return timeline_entries.by(entry)


@register.filter
def localised(texts) -> str:
    """A text stored per language (``{"nl": …, "en": …}``) in the active language."""
    return timeline_entries.localised(texts)


@register.filter
def isodate(value):
    """A date stored as ``YYYY-MM-DD``, for the ``date`` filter."""
    return timeline_entries.isodate(value)


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


@register.simple_tag
def timeline_items(entries) -> str:
    """The timeline's list items: per entry its date and the part for its event (``pages.timeline_entries``),
    the words translated once per process and language, per entry its values escaped."""
    _ = translations()
    zone = timezone.get_current_timezone()
    dates = {}  # per day (``entry.day``, computed here once): its ISO form and as shown, escaped
    items = []
    for entry in entries:
        day = entry.occurred_at.astimezone(zone).date()
        date = dates.get(day)
        if date is None:
            date = dates[day] = (day.isoformat(), escape(_day(day, "j M Y")))
        # The style is a kind or an event (letters and underscores), the date's ISO form digits and dashes,
        # the body written by the event's part (its values escaped there).
        items.append(ITEM.format(entry.style, *date, PARTS[entry.event](entry, _)))
    return mark_safe("".join(items))  # noqa: S308 - see above


@register.filter
def isomoment(value):
    """A moment stored as ISO 8601 with its offset, for the ``date`` and ``time`` filters."""
    return timeline_entries.isomoment(value)
