"""Django's ``static`` tag, its URL worked out once per process and file.

``{% load static lean_static %}`` replaces the ``static`` tag of ``static`` in that template (a later ``load``
wins) with a node that gives the same output: for a constant path (``{% static 'waardewerk/app.css' %}``)
the URL the storage gives is kept per path, as the manifest storage keeps its manifest for the life of the
process; a path from a variable goes Django's way. Every page's head names six files; each ``static``
asked the storage again (about 100 function calls; docs/performance.md). A changed setting (tests) forgets
the URLs.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags import static

register = template.Library()

_URLS: dict[str, str] = {}


@receiver(setting_changed, dispatch_uid="waardewerk.core.lean_static")
def _forget(**kwargs):
    _URLS.clear()


class StaticNode(static.StaticNode):
    def __init__(self, varname=None, path=None):
        super().__init__(varname, path)
        # A quoted path is a plain string in the filter expression, a variable a ``Variable``.
        self.constant = isinstance(path.var, str) and not path.filters

    def url(self, context):
        if not self.constant:
            return super().url(context)
        path = self.path.var
        url = _URLS.get(path)
        if url is None:
            url = _URLS[path] = super().url(context)
        return url


@register.tag("static")
def do_static(parser, token):
    """As ``{% static %}`` (``django.templatetags.static.do_static``), with the node above."""
    return StaticNode.handle_token(parser, token)
