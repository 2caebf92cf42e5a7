"""``{% load static lean_static %}`` gives what Django's ``{% static %}`` gives: constant and variable paths,
with ``as``, escaped or not, first and second time (the URL kept after the first)."""

import pytest
from django.template import Context, Template
from django.test import override_settings

from waardewerk.core.templatetags import lean_static

TEMPLATES = [
    "{% static 'waardewerk/app.css' %}",
    "{% static 'waardewerk/a b&c.css' %}",
    "{% static path %}",
    "{% static 'waardewerk/theme.css' as url %}[{{ url }}]",
    "{% autoescape off %}{% static 'waardewerk/a b&c.css' %}{% endautoescape %}",
]


@pytest.mark.parametrize("source", TEMPLATES)
def test_lean_static_as_static(source):
    context = {"path": "vendor/utrecht/index.css"}
    expected = Template("{% load static %}" + source).render(Context(context))
    for _ in range(2):
        assert Template("{% load static lean_static %}" + source).render(Context(context)) == expected


def test_a_changed_setting_forgets_the_urls():
    Template("{% load static lean_static %}{% static 'waardewerk/app.css' %}").render(Context())
    assert lean_static._URLS
    with override_settings(STATIC_URL="/elsewhere/"):
        assert not lean_static._URLS
        rendered = Template("{% load static lean_static %}{% static 'waardewerk/app.css' %}").render(
            Context()
        )
        assert rendered == Template("{% load static %}{% static 'waardewerk/app.css' %}").render(Context())
