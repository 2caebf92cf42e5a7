"""The start page sends each role to its own first screen; the main navigation shows what the role may use."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("professional", "workday:today"),
        ("team_lead", "workday:today"),
        ("functional_admin", "accounts:organisation"),
    ],
)
def test_home_redirects_each_role_to_its_start(request, login, role, target):
    response = login(request.getfixturevalue(role)).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse(target)


def _nav_links(response):
    return [(item.label, item.url, item.current) for item in response.context["nav_items"]]


def test_navigation_per_role(login, professional, team_lead, functional_admin):
    professional_nav = _nav_links(login(professional).get(reverse("trajectories:caseload")))
    urls = [url for _, url, _ in professional_nav]
    assert reverse("trajectories:caseload") in urls and reverse("clients:register") in urls
    assert reverse("trajectories:team") not in urls and reverse("audit:log") not in urls
    assert [url for _, url, current in professional_nav if current] == [reverse("trajectories:caseload")]

    team_urls = [url for _, url, _ in _nav_links(login(team_lead).get(reverse("trajectories:team")))]
    assert reverse("trajectories:team") in team_urls
    # The team lead is the second approver of destruction lists; a professional is not.
    assert reverse("privacy:destruction_lists") in team_urls
    assert reverse("privacy:destruction_lists") not in urls

    admin_nav = _nav_links(login(functional_admin).get(reverse("accounts:organisation")))
    admin_urls = [url for _, url, _ in admin_nav]
    assert reverse("audit:log") in admin_urls and reverse("trajectories:caseload") not in admin_urls
    assert [url for _, url, current in admin_nav if current] == [reverse("accounts:organisation")]


def test_register_page_marks_only_register_as_current(login, professional):
    nav = _nav_links(login(professional).get(reverse("clients:register")))
    assert [url for _, url, current in nav if current] == [reverse("clients:register")]


def test_anonymous_pages_have_no_navigation(client):
    response = client.get(reverse("login"))
    assert response.context["nav_items"] == []


def test_the_navigation_shows_its_items(login, professional):
    """``base.html`` shows the items as ``nav_links`` makes them: each a link, the current one marked."""
    response = login(professional).get(reverse("trajectories:caseload"))
    html = response.content.decode()
    for label, url, current in _nav_links(response):
        mark = ' aria-current="page"' if current else ""
        assert f'<a class="utrecht-nav-list__link" href="{url}"{mark}>{label}</a>' in html
    assert html.count('class="utrecht-nav-list__item"') == len(response.context["nav_items"])
