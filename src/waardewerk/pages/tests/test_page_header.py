"""``{% page_header %}`` gives what ``_page_header.html`` rendered as a template gives, byte for byte: for the
roles and states of the header, in Dutch and English, with values that need escaping, made once and then
reused with other values."""

import pytest
from django.template import Context
from django.test import RequestFactory, override_settings
from django.utils import translation
from django.utils.safestring import mark_safe

from waardewerk.accounts.models import Role, User
from waardewerk.pages.templatetags import page_header as tag


def _user(first="Marcel", last="Visser", username="mvisser", role=Role.PROFESSIONAL):
    return User(first_name=first, last_name=last, username=username, role=role)


class _Anonymous:
    is_authenticated = False


NAV = mark_safe(  # noqa: S308 - test markup
    '\n              <li class="utrecht-nav-list__item">'
    '<a class="utrecht-nav-list__link" href="/today/">Vandaag</a></li>\n            '
)

CASES = {
    "professional": dict(user=_user(), search_allowed=True, nav_items=[1], nav_links=NAV),
    "team lead": dict(user=_user("Ans", "de Boer", role=Role.TEAM_LEAD), search_allowed=True, nav_items=[1]),
    "administrator": dict(
        user=_user("Piet", "Jansen", role=Role.FUNCTIONAL_ADMIN), nav_items=[1], nav_links=NAV
    ),
    "escaping": dict(
        user=_user('<b>"Jan"</b>', "O'Brien & Zn", role=Role.KNOWLEDGE_EDITOR),
        search_allowed=True,
        nav_items=[1],
        nav_links=NAV,
        path='/caseload/?q=<script>&sort="name"',
    ),
    "no full name": dict(user=_user("", "", username="<beheer>"), search_allowed=False, nav_items=[]),
    "signed out": dict(user=_Anonymous(), nav_items=[], nav_links=""),
}


TOKEN = "abcDEF123"  # noqa: S105 - a test value


def _context(case: dict, token=TOKEN) -> Context:
    request = RequestFactory().get(case.get("path", "/principles/"))
    values = {k: v for k, v in case.items() if k != "path"}
    return Context({"request": request, "csrf_token": token, **values})


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_header_is_the_templates(language):
    tag._MADE.clear()
    with translation.override(language):
        for _round in range(2):  # made once, then filled in with each case's values
            for name, case in CASES.items():
                made = tag.page_header(_context(case))
                assert made == tag._rendered(_context(case)), name
                assert "\x00" not in made
    # one header made per kind (signed in, search box, navigation), not per user
    assert len(tag._MADE) == len(
        {
            (c["user"].is_authenticated, bool(c.get("search_allowed")), bool(c.get("nav_items")))
            for c in CASES.values()
        }
    )


@pytest.mark.parametrize("token", ["", None])
def test_without_a_csrf_token_the_template_renders_it(token):
    """No token (a page outside the CSRF middleware): as ``{% csrf_token %}``, no field."""
    case = CASES["professional"]
    made = tag.page_header(_context(case, token=token))
    assert made == tag._rendered(_context(case, token=token))
    assert "csrfmiddlewaretoken" not in made


def test_without_autoescaping_the_template_renders_it():
    case = CASES["escaping"]
    context, expected = _context(case), _context(case)
    context.autoescape = expected.autoescape = False
    assert tag.page_header(context) == tag._rendered(expected)


def test_the_header_made_again_when_settings_change():
    case = CASES["professional"]
    tag.page_header(_context(case))
    assert tag._MADE
    with override_settings(LANGUAGES=[("nl", "Nederlands"), ("en", "English")]):
        assert not tag._MADE
        assert tag.page_header(_context(case)) == tag._rendered(_context(case))


@pytest.mark.django_db
def test_a_page_shows_the_header_once(login, professional):
    response = login(professional).get("/principles/")
    html = response.content.decode()
    assert html.count('<header class="utrecht-page-header ww-header">') == 1
    assert html.count('name="csrfmiddlewaretoken"') >= 2
    assert "\x00" not in html
