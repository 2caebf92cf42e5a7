"""The start page's signal rows, rendered in Python (``workday/today.html``).

A page can show a few hundred signals (``LIMIT`` per source). Rendered by the template, every row cost about
400 function calls (variable lookups, an ``if``, two translations and the CSRF tag); here the translated
words and the CSRF field are made once per list, and each row fills a pattern with its values escaped, with
the same HTML as the template made."""

import html

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

register = template.Library()
NOT_PROVIDED = "NOTPROVIDED"  # what the CSRF context processor gives without a request (as the tag checks)

ROW = (
    '<li class="ww-signal{overdue}">'
    '<div class="ww-signal__text"><strong>{title}</strong>{badge}<br><span>{reason}</span></div>'
    '<div class="ww-signal__actions">'
    '<a class="utrecht-link utrecht-link--html-a" href="{url}">{link_text}'
    '<span class="ww-visually-hidden">: {title}</span></a>'
    '<form method="post" action="{action}">{csrf}'
    '<input type="hidden" name="kind" value="{kind}"><input type="hidden" name="key" value="{key}">'
    '<button class="utrecht-button utrecht-button--subtle" type="submit">{button}'
    '<span class="ww-visually-hidden">: {title}, {label}</span></button>'
    "</form></div></li>"
)


def csrf_field(context) -> str:
    """The form's CSRF field, as ``{% csrf_token %}`` renders it (the page's one token)."""
    token = context.get("csrf_token")
    if not token or str(token) == NOT_PROVIDED:
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _text(value) -> str:
    """``value`` escaped for HTML, as ``conditional_escape`` does (safe strings as they are)."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


@register.simple_tag(takes_context=True)
def signal_rows(context, section, action: str) -> str:
    """The ``<li>`` of every open signal of ``section``, each with its link and its "mark as handled" form
    posting to ``action``. What is the same on every row (the form's address, the CSRF field, the words
    of the button and the badge) is escaped and put into the row's pattern once per list; per row only the
    signal's own values are escaped (``_text``), the same escaping ``format_html`` gives them."""
    badge = format_html(' <span class="ww-badge ww-badge--warning">{}</span>', gettext("late"))
    constants = {
        "action": _text(action),
        "csrf": csrf_field(context),
        "button": _text(gettext("Mark as handled")),
        "label": _text(section.label),
    }
    # The constants in place ({{ and }} keep their braces for the row's own fields).
    pattern = ROW.format(
        **{name: value.replace("{", "{{").replace("}", "}}") for name, value in constants.items()},
        overdue="{overdue}",
        title="{title}",
        badge="{badge}",
        reason="{reason}",
        url="{url}",
        link_text="{link_text}",
        kind="{kind}",
        key="{key}",
    ).format
    rows = [
        pattern(
            overdue=" ww-signal--overdue" if signal.overdue else "",
            title=_text(signal.title),
            badge=badge if signal.overdue else "",
            reason=_text(signal.reason),
            url=_text(signal.url),
            link_text=_text(signal.link_text),
            kind=_text(signal.kind),
            key=_text(signal.key),
        )
        for signal in section.items
    ]
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped (_text), the pattern is ours
