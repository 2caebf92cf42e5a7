"""Django's ``url`` tag, a URL without arguments reversed once per process.

``{% load lean_url %}`` replaces the ``url`` tag in that template (a later ``load`` wins) with a node that
gives the same output: ``{% url 'portal:home' %}`` (a constant name, no arguments, no ``as``) is reversed
once per script prefix, URL configuration, current application and name, then reused; everything else goes
Django's way. The portal's menu names eleven pages and its header three more; each ``reverse`` cost about 80
function calls (docs/performance.md). A changed setting (tests) forgets the URLs.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaulttags
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_URLS: dict[tuple, str] = {}


@receiver(setting_changed, dispatch_uid="waardewerk.core.lean_url")
def _forget(**kwargs):
    _URLS.clear()


class URLNode(defaulttags.URLNode):
    def __init__(self, view_name, args, kwargs, asvar):
        super().__init__(view_name, args, kwargs, asvar)
        # A quoted name is a plain string in the filter expression, a variable a ``Variable``.
        self.constant = (
            not args
            and not kwargs
            and asvar is None
            and isinstance(view_name.var, str)
            and not view_name.filters
        )

    def render(self, context):
        if not self.constant:
            return super().render(context)
        request = getattr(context, "request", None)
        # The current application as Django's node works it out.
        current_app = getattr(request, "current_app", None)
        if current_app is None and not hasattr(request, "current_app"):
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        key = (get_script_prefix(), get_urlconf(), current_app, self.view_name.var)
        url = _URLS.get(key)
        if url is None:
            url = _URLS[key] = reverse(self.view_name.var, current_app=current_app)
        return conditional_escape(url) if context.autoescape else url


@register.tag("url")
def url(parser, token):
    """As ``{% url %}`` (``django.template.defaulttags.url``), with the node above."""
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
