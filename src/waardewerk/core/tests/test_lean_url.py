"""``{% load lean_url %}`` gives what Django's ``{% url %}`` gives: without and with arguments, a variable
name, ``as``, escaped or not, first and second time (the URL kept after the first)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import resolve

from waardewerk.core.templatetags import lean_url

TEMPLATES = [
    "{% url 'portal:home' %}",
    "{% url 'portal:goals' %}|{% url 'set_language' %}|{% url 'home' %}",
    "{% url name %}",
    "{% url 'clients:dossier' uuid %}",
    "{% url 'portal:home' as u %}[{{ u }}]",
    "{% autoescape off %}{% url 'portal:my_data' %}{% endautoescape %}",
]


@pytest.mark.parametrize("source", TEMPLATES)
@pytest.mark.parametrize("path", [None, "/portal/", "/caseload/"])
def test_lean_url_as_url(source, path):
    values = {"name": "portal:consent", "uuid": "0b0e4b36-9a1e-4a5f-8f3e-3c1f8c1c2a10"}
    request = None
    if path:
        request = RequestFactory().get(path)
        request.resolver_match = resolve(path)
    for _ in range(2):
        context = Context(values)
        context.request = request
        written = Template("{% load lean_url %}" + source).render(context)
        plain = Context(values)
        plain.request = request
        assert written == Template(source).render(plain)


def test_a_changed_setting_forgets_the_urls():
    Template("{% load lean_url %}{% url 'portal:home' %}").render(Context())
    assert lean_url._URLS
    with override_settings(FORCE_SCRIPT_NAME="/ww/"):
        assert not lean_url._URLS
