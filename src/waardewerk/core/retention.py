"""The retention rules: per kind of data what starts the term, the term, the action and its source
(docs/privacy.md, "Retention"). The terms are settings, so an organisation's records manager can set them
to its own selection list without a release. They live in ``core`` (they name no model, only settings) so
that the privacy app, which applies them, and the portal, which tells the client what is kept and until
when (``portal.selectors.kept_about``), read the same rules.

The sources below are what the defaults assume; they have NOT been checked against the current texts by a
lawyer or records manager of the organisation, and must be before production use:

- the client file: the Autoriteit Persoonsgegevens' guidance on re-integration files as reported (keep no
  longer than needed, commonly two years after the trajectory ends); for a municipality the
  Participatiewet file falls under the Archiefwet 1995 and the Selectielijst gemeenten en intergemeentelijke
  organen (VNG), whose category for re-integration may give a longer term: set it here when it does;
- the access log: NEN 7513 asks for at least five years; it is append-only here, so its clean-up is a
  maintenance step (docs/operations.md), listed but not done by the run;
- log-in attempts and spent portal invitations: needed only for the lockout and for questions about a
  recent log-in: 30 days (data minimisation, GDPR art. 5(1)(c) and (e));
- measurement drafts never submitted: 90 days after their last change.

An organisation sets its own term and action per rule (``privacy.models.RetentionTerm``), within the
bounds below (``min_days``/``max_days``, ``actions``); ``bounds_source`` says where a bound comes from. The
installation's setting is the default when an organisation set nothing.

Those own terms are rows of the privacy app, which sits above the portal in the layers; the portal still
tells the client the terms of the client's organisation. So this module names the question
(``days_for(organisation_id)``) and the privacy app registers the answer in ``PrivacyConfig.ready``
(``register_organisation_terms``), as ``trajectories/instrument_roles.py`` does for the instruments:
imports flow one way and no import hides inside a function. Without the privacy app every organisation has
the installation's terms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


class Action:
    DESTROY = "destroy"
    ANONYMISE = "anonymise"
    NONE = "none"


@dataclass(frozen=True)
class Rule:
    key: str
    kind: str
    starts: str
    setting: str
    default_days: int
    action: str
    source: str
    automatic: bool = True
    # What an organisation may set (privacy.services.term_set): the term's bounds, their source, and the
    # actions it may choose from. ``editable`` False: the organisation cannot set it (no term of its own).
    min_days: int = 1
    max_days: int = 20 * 365
    bounds_source: str = ""
    actions: tuple = ()
    editable: bool = True

    @property
    def allowed_actions(self) -> tuple:
        return self.actions or (self.action,)

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting, self.default_days)) if self.setting else self.default_days


RULES = [
    Rule(
        key="client_file",
        kind=_("Client file: personal data and every trajectory with its contents"),
        starts=_("the end date of the client's last trajectory (no open trajectory, no active legal hold)"),
        setting="WAARDEWERK_RETENTION_CLIENT_FILE_DAYS",
        default_days=2 * 365,
        action=Action.ANONYMISE,
        source=_(
            "AP guidance on re-integration files as reported (two years after the end); Archiefwet 1995 and "
            "the VNG selection list where they apply (assumed, not verified)"
        ),
        min_days=365,
        max_days=20 * 365,
        bounds_source=_(
            "no legal minimum known; at least one year so that an objection or appeal term (Awb) and the "
            "evaluation are over; at most twenty years (the longest term of the VNG selection list assumed)"
        ),
        actions=(Action.ANONYMISE, Action.DESTROY),
    ),
    Rule(
        key="login_attempts",
        kind=_("Log-in attempts"),
        starts=_("the attempt"),
        setting="WAARDEWERK_RETENTION_LOGIN_ATTEMPT_DAYS",
        default_days=30,
        action=Action.DESTROY,
        source=_("data minimisation (GDPR art. 5(1)(e)); needed only for the lockout"),
        editable=False,  # they belong to no organisation: the installation's setting
    ),
    Rule(
        key="portal_invitations",
        kind=_("Spent or expired portal invitations"),
        starts=_("the use or expiry of the link"),
        setting="WAARDEWERK_RETENTION_INVITATION_DAYS",
        default_days=30,
        action=Action.DESTROY,
        source=_("data minimisation (GDPR art. 5(1)(e))"),
        min_days=1,
        max_days=365,
        bounds_source=_("at most a year: a spent link serves no purpose"),
    ),
    Rule(
        key="measurement_drafts",
        kind=_("Measurement drafts never submitted"),
        starts=_("the draft's last change"),
        setting="WAARDEWERK_RETENTION_DRAFT_DAYS",
        default_days=90,
        action=Action.DESTROY,
        source=_("data minimisation (GDPR art. 5(1)(e))"),
        min_days=7,
        max_days=365,
        bounds_source=_("at least a week so that a client can finish; at most a year"),
    ),
    Rule(
        key="prepared_files",
        kind=_("Reports and exports prepared in the background"),
        starts=_("the file was requested or made"),
        setting="",  # each file has its own expiry (WAARDEWERK_PREPARED_FILE_HOURS, default 24)
        default_days=1,
        action=Action.DESTROY,
        source=_("a copy for one download; the source stays in the file"),
        editable=False,
    ),
    Rule(
        key="access_log",
        kind=_("Access log"),
        starts=_("the event"),
        setting="WAARDEWERK_RETENTION_ACCESS_LOG_DAYS",
        default_days=5 * 365,
        action=Action.NONE,
        source=_("NEN 7513 (at least five years); removed only by a database maintenance step"),
        automatic=False,
        min_days=5 * 365,
        max_days=20 * 365,
        bounds_source=_("NEN 7513: at least five years"),
    ),
]

BY_KEY = {rule.key: rule for rule in RULES}


# An organisation's own terms (docs/architecture.md, "Import rules"): the privacy app registers a function
# that gives the days of every rule the organisation set itself, by rule key, in one query.
_organisation_terms: Callable[[int], Mapping[str, int]] | None = None


def register_organisation_terms(source: Callable[[int], Mapping[str, int]]) -> None:
    """Called once by the privacy app: ``source(organisation_id)`` gives the organisation's own term in days
    per rule key, for the rules it set (``privacy.services.own_days``)."""
    global _organisation_terms
    _organisation_terms = source


def days_for(organisation_id) -> dict[str, int]:
    """Every rule's term in days for ``organisation_id``: its own term where it set one (an editable rule),
    otherwise the installation's setting. One query when the privacy app answers, none otherwise."""
    own = _organisation_terms(organisation_id) if _organisation_terms is not None and organisation_id else {}
    return {rule.key: (own.get(rule.key, rule.days) if rule.editable else rule.days) for rule in RULES}
