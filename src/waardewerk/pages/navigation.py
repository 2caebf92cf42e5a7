"""The main navigation. Every page is reachable from here or from a page linked here.

Each entry is shown when the policy of its page says the user may open it: the navigation never looks at a
role itself (docs/authorization.md), so a new role or a changed rule changes the menu with the page. These
policies decide on the user's kind alone (``accounts.policies.actor_kind``: signed in, active, of an
organisation, the role), so the navigation asks them once per kind and process and keeps which entries they
allowed (``pages/tests/test_navigation.py`` checks that they read nothing else of the user).
"""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waardewerk.accounts.policies import actor_kind, can_view_organisation
from waardewerk.agenda.policies import may_use_agenda
from waardewerk.audit.policies import may_see_audit_entry
from waardewerk.clients.policies import can_register_client
from waardewerk.development import policies as development_policies
from waardewerk.insights.policies import can_export_research, can_read_evidence
from waardewerk.instruments.policies import can_manage_instruments, can_view_catalogue
from waardewerk.intervision import policies as intervision_policies
from waardewerk.knowledge.policies import (
    can_edit_guide,
    can_manage_knowledge_base,
    can_read_guide,
    can_read_knowledge_base,
    can_read_principles,
)
from waardewerk.matching import policies as matching_policies
from waardewerk.privacy import policies as privacy_policies
from waardewerk.quality import policies as quality_policies
from waardewerk.trajectories.policies import may_have_caseload, may_see_team_overview
from waardewerk.transfer.policies import may_transfer
from waardewerk.workday.policies import may_use_start_page


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool
    count: int | None = None  # the open signals of the start page, as counted at its last view


# The entries in their order: (who may open it, label, URL name, path prefixes that make it current). "Who"
# is the page's policy, asked once per kind of user (``_allowed``); the rest is the same for everyone.
ENTRIES = (
    (may_use_start_page, _("Today"), "workday:today", ("/today",)),
    (may_use_agenda, _("Agenda"), "agenda:day", ("/agenda",)),
    (
        may_have_caseload,
        _("My caseload"),
        "trajectories:caseload",
        ("/caseload", "/clients", "/trajectories"),
    ),
    (can_register_client, _("Register client"), "clients:register", ("/clients/new",)),
    (may_see_team_overview, _("Team overview"), "trajectories:team", ("/team",)),
    (can_view_organisation, _("Organisation"), "accounts:organisation", ("/admin-area/organisation",)),
    (may_see_audit_entry, _("Access log"), "audit:log", ("/admin-area/audit",)),
    (may_transfer, _("Import and export"), "transfer:index", ("/admin-area/transfer",)),
    (
        can_manage_instruments,
        _("Measurement schedules"),
        "instruments:schedules",
        ("/admin-area/instruments",),
    ),
    (can_view_catalogue, _("Instruments"), "instruments:catalogue", ("/instruments",)),
    # Who edits the conversation guide goes to the editor (it links to the reading view).
    (can_edit_guide, _("Conversation guide"), "knowledge:admin", ("/admin-area/guide", "/guide")),
    (
        lambda user: can_read_guide(user) and not can_edit_guide(user),
        _("Conversation guide"),
        "knowledge:guide",
        ("/guide",),
    ),
    # The knowledge editor goes to their own page (proposals, import, export); it links to the list.
    (can_manage_knowledge_base, _("Knowledge base"), "knowledge:editor", ("/knowledge-base",)),
    (
        lambda user: can_read_knowledge_base(user) and not can_manage_knowledge_base(user),
        _("Knowledge base"),
        "knowledge:entries",
        ("/knowledge-base",),
    ),
    (can_read_principles, _("Guiding principles"), "knowledge:principles", ("/principles",)),
    (intervision_policies.may_use_intervision, _("Intervision"), "intervision:groups", ("/intervision",)),
    # The content editor keeps the organisation's intervision methods and review checkpoints.
    (
        lambda user: (
            intervision_policies.can_edit_content(user) and not intervision_policies.may_use_intervision(user)
        ),
        _("Intervision methods"),
        "intervision:methods",
        ("/intervision/methods", "/intervision/checkpoints"),
    ),
    (
        matching_policies.may_use_matching,
        _("Employers and jobs"),
        "matching:employers",
        ("/employers", "/jobs"),
    ),
    (development_policies.may_use_development, _("My development"), "development:log", ("/development",)),
    (can_read_evidence, _("What worked here"), "insights:overview", ("/evidence",)),
    (quality_policies.can_see_team_quality, _("Team quality"), "quality:team", ("/quality/team",)),
    (quality_policies.can_see_own_quality, _("My quality figures"), "quality:mine", ("/quality/mine",)),
    (
        can_export_research,
        _("Research export"),
        "insights:research_export",
        ("/admin-area/research-export",),
    ),
    # The second approver of a destruction list (the administrator reaches it from the privacy page).
    (
        lambda user: (
            privacy_policies.can_approve_destruction(user) and not privacy_policies.can_manage_privacy(user)
        ),
        _("Destruction lists"),
        "privacy:destruction_lists",
        ("/privacy/destruction",),
    ),
)


# The entries' URLs (no arguments) per script prefix, reversed once per process; their labels per language,
# translated once per process.
_URLS: dict[tuple[str, str], str] = {}
_LABELS: dict[str | None, tuple[str, ...]] = {}
# The entries the policies allow, by kind of user (``actor_kind``): a handful of kinds per process.
_ALLOWED: dict[tuple, tuple[int, ...]] = {}


def _url(name: str) -> str:
    key = (get_script_prefix(), name)
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(name)
    return url


def _labels() -> tuple[str, ...]:
    language = get_language()
    labels = _LABELS.get(language)
    if labels is None:
        labels = _LABELS[language] = tuple(str(label) for _allowed, label, _name, _prefixes in ENTRIES)
    return labels


def _allowed(user) -> tuple[int, ...]:
    """The indexes of the entries the user may open: the policies' answers, asked once per kind of user."""
    kind = actor_kind(user)
    allowed = _ALLOWED.get(kind)
    if allowed is None:
        allowed = _ALLOWED[kind] = tuple(index for index, entry in enumerate(ENTRIES) if entry[0](user))
    return allowed


def navigation_for(user, path: str, counts: dict | None = None) -> list[NavItem]:
    """``counts``: a number per URL name to show beside the entry (the start page's open signals)."""
    counts = counts or {}
    result = []
    allowed = _allowed(user)
    if not allowed:
        return result
    register_url = _url("clients:register")
    on_register = path.startswith(register_url)
    labels = _labels()
    for index in allowed:
        _allowed_by, _label, name, prefixes = ENTRIES[index]
        url = _url(name)
        current = on_register if url == register_url else (not on_register and path.startswith(prefixes))
        result.append(NavItem(labels[index], url, current, counts.get(name)))
    return result


NAV_LINK = (
    '\n              <li class="utrecht-nav-list__item">'
    '<a class="utrecht-nav-list__link" href="{}"{}>{}{}</a></li>\n            '
)
COUNT = ' <span class="ww-nav-count">{}<span class="ww-visually-hidden"> {}</span></span>'
CURRENT = ' aria-current="page"'


@lru_cache(maxsize=512)
def _escaped(text: str) -> str:
    """A URL or label of the navigation, escaped (the same few texts on every page)."""
    return escape(text)


def nav_links(items: list[NavItem]) -> SafeString:
    """The navigation's list items for ``base.html``, made here in one go (every page shows them)."""
    links = []
    for item in items:
        count = COUNT.format(item.count, escape(_("open signals"))) if item.count else ""
        links.append(
            NAV_LINK.format(_escaped(item.url), CURRENT if item.current else "", _escaped(item.label), count)
        )
    return mark_safe("".join(links))  # noqa: S308 - the URLs and labels escaped


def start_page(user) -> str:
    """The URL name of the user's first screen: the start page with their signals ("Vandaag"), the
    organisation for who manages it, the knowledge base for its editor."""
    if may_use_start_page(user):
        return "workday:today"
    if may_have_caseload(user):
        return "trajectories:caseload"
    if can_view_organisation(user):
        return "accounts:organisation"
    if can_manage_knowledge_base(user):
        return "knowledge:editor"
    return "instruments:catalogue"
