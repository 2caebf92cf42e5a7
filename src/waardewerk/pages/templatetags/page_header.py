"""``{% page_header %}``: the page header of ``base.html`` (``_page_header.html``), with what is the same on
every page made once per process.

Every page shows the header: the logo, the language switch, the search box, the user with the links to
two-step verification and logging out, and the navigation. Rendered as a template it cost about a fifth of
a small page's function calls (five ``{% url %}``, nine ``{% translate %}``, two ``{% csrf_token %}``, the
tags and conditions around them; docs/performance.md). Most of it depends only on the language, the script
prefix and three conditions (signed in, the search box allowed, a navigation): the template is rendered
once per such combination with markers in place of the values of the request (the CSRF token, the path for
the language switch, the user's name and role, the navigation's links), and each page fills the request's
values into that, escaped as the template escapes them. The output is the template's, byte for byte
(``pages/tests/test_page_header.py``). When the CSRF token is missing (a page outside the CSRF
middleware's reach), without autoescaping, or in ``DEBUG`` (a changed template shows at once), the template
is rendered as usual.
"""

from __future__ import annotations

import re

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

TEMPLATE = "_page_header.html"
# A value of the request, as it stands in the header made once: text no template or value produces.
_MARK = "\x00ww-header:{}\x00"
_SPLIT = re.compile("\x00ww-header:([a-z_]+)\x00")

# (language, script prefix, signed in, search box, navigation) -> the header's parts: literal text at even
# positions, the names of the request's values at odd ones.
_MADE: dict[tuple, list[str]] = {}


@receiver(setting_changed, dispatch_uid="waardewerk.pages.page_header")
def _forget(**kwargs):
    _MADE.clear()


class _Marked:
    """A stand-in for the request or the user when the header is made once: its values are markers."""

    def __init__(self, **values):
        self.__dict__.update(values)


def _make(signed_in: bool, search_allowed: bool, navigation: bool) -> list[str]:
    user = _Marked(
        is_authenticated=signed_in,
        get_full_name=_MARK.format("name"),
        username="",
        get_role_display=_MARK.format("role"),
    )
    context = {
        "csrf_token": _MARK.format("csrf_token"),
        "request": _Marked(get_full_path=_MARK.format("path")),
        "user": user,
        "search_allowed": search_allowed,
        "nav_items": navigation,
        "nav_links": mark_safe(_MARK.format("nav_links")),  # noqa: S308 - a marker, replaced by escaped HTML
    }
    return _SPLIT.split(_without_ending(get_template(TEMPLATE).render(context)))


@register.simple_tag(takes_context=True)
def page_header(context) -> SafeString:
    csrf_token = context.get("csrf_token")
    if settings.DEBUG or not context.autoescape or not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105 - as {% csrf_token %}
        return _rendered(context)
    user = context.get("user")
    signed_in = bool(getattr(user, "is_authenticated", False))
    search_allowed = bool(context.get("search_allowed"))
    navigation = bool(context.get("nav_items"))
    key = (get_language(), get_script_prefix(), signed_in, search_allowed, navigation)
    parts = _MADE.get(key)
    if parts is None:
        parts = _MADE[key] = _make(signed_in, search_allowed, navigation)
    request = context.get("request")
    values = {
        # As ``{% csrf_token %}`` writes it (the value escaped); its markup is in the made header.
        "csrf_token": conditional_escape(csrf_token),
        "path": conditional_escape(request.get_full_path()) if request is not None else "",
        "nav_links": conditional_escape(context.get("nav_links", "")),
    }
    if signed_in:
        values["name"] = conditional_escape(user.get_full_name() or user.username)
        values["role"] = conditional_escape(user.get_role_display())
    return mark_safe(  # noqa: S308 - the made header's text is the template's output, every value escaped
        "".join(part if index % 2 == 0 else values[part] for index, part in enumerate(parts))
    )


def _rendered(context) -> SafeString:
    """The header rendered as a template, with the page's context."""
    return mark_safe(_without_ending(get_template(TEMPLATE).template.render(context)))  # noqa: S308 - rendered


def _without_ending(text: str) -> str:
    """The template's text without the file's last line ending (``base.html`` has its own)."""
    return text.removesuffix("\n")
