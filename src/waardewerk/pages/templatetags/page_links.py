"""``{% uuid_url 'name' obj.uuid %}``: ``{% url 'name' obj.uuid %}`` for a URL whose one argument is a UUID,
reversed once per process and URL name, then filled in (``core.links``).

The trajectory section links to about fifteen pages of its trajectory; each ``{% url %}`` reversed its URL
anew (about 100 function calls each). The output is the same, escaped as ``{% url %}`` escapes it, and
``… as name`` keeps the URL unescaped in the context as ``{% url %}`` does."""

from django import template
from django.urls import get_script_prefix, reverse

from waardewerk.core.links import PLACEHOLDER

register = template.Library()

_PATTERNS: dict[tuple[str, str], str] = {}


@register.simple_tag
def uuid_url(name: str, uuid) -> str:
    key = (get_script_prefix(), name)
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = _PATTERNS[key] = reverse(name, args=[PLACEHOLDER])
    return pattern.replace(PLACEHOLDER, str(uuid))
