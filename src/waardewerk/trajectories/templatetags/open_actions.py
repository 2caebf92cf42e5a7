"""``{% open_action_items open_actions can_change %}``: the list items of the trajectory section's open
actions (``trajectories/_trajectory.html``), each with its "done" and "cancel" form for who may change the
trajectory.

Written out here rather than in the template's loop (about 150 function calls an action: lookups, the
``display`` and ``day`` filters, four ``translate`` tags and the CSRF tag): the words and the CSRF field are
made once per list, every value is escaped as the template escaped it, and the words are placed as
``translate`` places them (not escaped), with the same HTML."""

import html

from django import template
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

from waardewerk.core.formats import day
from waardewerk.core.templatetags.lean_i18n import display

register = template.Library()

ITEM = (
    '\n    <li class="ww-actions__item">'
    "\n      <span><strong>{description}</strong>"
    ' <span class="ww-muted">– {owner}, {due} {due_date}</span></span>'
    "\n      {form}"
    "\n    </li>\n    "
).format
FORM = (
    '\n      <form method="post" action="{url}" class="ww-inline-form">'
    "\n        {csrf}"
    '\n        <button class="utrecht-button utrecht-button--secondary-action" type="submit" name="status"'
    ' value="done">{done}<span class="ww-visually-hidden">: {description}</span></button>'
    '\n        <button class="utrecht-button utrecht-button--subtle" type="submit" name="status"'
    ' value="cancelled">{cancel}<span class="ww-visually-hidden">: {description}</span></button>'
    "\n      </form>\n      "
).format
NOT_PROVIDED = "NOTPROVIDED"  # what the CSRF context processor gives without a request (as the tag checks)


def _text(value) -> str:
    """``value`` escaped for HTML, as the template's ``{{ value }}`` escapes it."""
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _csrf_field(context) -> str:
    """As ``{% csrf_token %}`` renders it."""
    token = context.get("csrf_token")
    if not token or token == NOT_PROVIDED:
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{_text(token)}">'


@register.simple_tag(takes_context=True)
def open_action_items(context, actions, can_change) -> str:
    due = gettext("due")
    if can_change:
        csrf, done, cancel = _csrf_field(context), gettext("Done"), gettext("Cancel action")
    items = []
    for action in actions:
        description = _text(action.description)
        form = (
            FORM(url=_text(action.status_url), csrf=csrf, done=done, cancel=cancel, description=description)
            if can_change
            else ""
        )
        items.append(
            ITEM(
                description=description,
                owner=_text(display(action, "owner")),
                due=due,
                due_date=_text(day(action.due_date, "j M Y")),
                form=form,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every value escaped
