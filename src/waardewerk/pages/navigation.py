"""The main navigation, per role. Every page is reachable from here or from a page linked here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waardewerk.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def navigation_for(user, path: str) -> list[NavItem]:
    items = []
    if user.role in (Role.PROFESSIONAL, Role.TEAM_LEAD):
        items.append(
            (_("My caseload"), reverse("trajectories:caseload"), ("/caseload", "/clients", "/trajectories"))
        )
        items.append((_("Register client"), reverse("clients:register"), ("/clients/new",)))
    if user.role == Role.TEAM_LEAD:
        items.append((_("Team overview"), reverse("trajectories:team"), ("/team",)))
    if user.role == Role.FUNCTIONAL_ADMIN:
        items.append((_("Organisation"), reverse("accounts:organisation"), ("/admin-area/organisation",)))
        items.append((_("Access log"), reverse("audit:log"), ("/admin-area/audit",)))
        items.append(
            (_("Measurement schedules"), reverse("instruments:schedules"), ("/admin-area/instruments",))
        )
    items.append((_("Instruments"), reverse("instruments:catalogue"), ("/instruments",)))
    # The conversation guide: the functional administrator goes to the editor (it links to the reading view).
    if user.role == Role.FUNCTIONAL_ADMIN:
        items.append((_("Conversation guide"), reverse("knowledge:admin"), ("/admin-area/guide", "/guide")))
    else:
        items.append((_("Conversation guide"), reverse("knowledge:guide"), ("/guide",)))
    result = []
    register_url = reverse("clients:register")
    for label, url, prefixes in items:
        if url == register_url:
            current = path.startswith(register_url)
        else:
            current = any(path.startswith(p) for p in prefixes) and not path.startswith(register_url)
        result.append(NavItem(str(label), url, current))
    return result
