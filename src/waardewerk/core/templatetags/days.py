"""The ``day`` filter: the ``date`` filter with the project's Dutch formats (``core.formats``).

``{{ value|day }}`` is the list format ("17 aug. 2026"), ``{{ value|day:"j F Y" }}`` any other format.
Loaded as a builtin (settings ``TEMPLATES``), so every template has it."""

from django import template

from waardewerk.core import formats

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def day(value, fmt=formats.LIST):
    if value in (None, ""):
        return ""
    try:
        return formats.day(value, fmt)
    except (AttributeError, TypeError, ValueError):
        return ""
