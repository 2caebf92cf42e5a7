"""The start page's signal rows, rendered in Python (``workday/today.html``).

A page can show a few hundred signals (``LIMIT`` per source). Rendered by the template, every row cost about
400 function calls (variable lookups, an ``if``, two translations and the CSRF tag); here the translated
words and the CSRF field are made once per list, and each row is one ``format_html`` (every value escaped),
with the same HTML as the template made."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
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


@register.simple_tag(takes_context=True)
def signal_rows(context, section, action: str) -> str:
    """The ``<li>`` of every open signal of ``section``, each with its link and its "mark as handled" form
    posting to ``action``."""
    csrf = csrf_field(context)
    badge = format_html(' <span class="ww-badge ww-badge--warning">{}</span>', gettext("late"))
    button = escape(gettext("Mark as handled"))
    label = escape(section.label)
    action = escape(action)
    rows = []
    for signal in section.items:
        rows.append(
            format_html(
                ROW,
                overdue=" ww-signal--overdue" if signal.overdue else "",
                title=escape(signal.title),
                badge=badge if signal.overdue else "",
                reason=signal.reason,
                url=signal.url,
                link_text=signal.link_text,
                action=action,
                csrf=csrf,
                kind=signal.kind,
                key=signal.key,
                button=button,
                label=label,
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every row is made by format_html
