"""Reads of the client portal, shaped for its pages (a fixed number of queries each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, DateTimeField, IntegerField, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from waardewerk.accounts.models import User
from waardewerk.audit.selectors import accesses_to_client
from waardewerk.core import formats, sql
from waardewerk.core.retention import days_for as retention_days
from waardewerk.instruments.definition import Definition
from waardewerk.portal.models import (
    ClientEvaluation,
    GoalProposal,
    PortalAccount,
    PortalInvitation,
    ProposalStatus,
    QuestionnaireRequest,
)
from waardewerk.trajectories.models import (
    Action,
    ActionOwner,
    ActionStatus,
    EmergencyAccess,
    Phase,
    PlanVersion,
    PreferenceCorrection,
    Trajectory,
)
from waardewerk.trajectories.plan import PlanContent
from waardewerk.trajectories.policies import client_trajectories, visible_trajectories

# The phases of the cycle as a client reads them (B1: short, no jargon; docs/portal.md).
PLAIN_PHASES = {
    Phase.INTAKE: (
        gettext_lazy("Getting to know each other"),
        gettext_lazy("We get to know you. What is important to you in work? What goes well? What is hard?"),
    ),
    Phase.PLAN: (
        gettext_lazy("Making a plan"),
        gettext_lazy("Together we make a plan, with your own goals. You say if you agree with it."),
    ),
    Phase.EXECUTION: (
        gettext_lazy("Getting to work"),
        gettext_lazy("You and your professional do what is in the plan."),
    ),
    Phase.MONITORING: (
        gettext_lazy("Seeing how it goes"),
        gettext_lazy("We look together: does the plan work? You sometimes fill in a questionnaire again."),
    ),
    Phase.ADJUSTING: (
        gettext_lazy("Changing the plan"),
        gettext_lazy("Something does not work as hoped. So we change the plan together."),
    ),
    Phase.EVALUATION: (
        gettext_lazy("Looking back"),
        gettext_lazy("We look back together. What went well? What did it bring you?"),
    ),
}


def current_trajectory(actor) -> Trajectory | None:
    """The client's open trajectory, or else the latest one (at most 2 queries)."""
    trajectories = client_trajectories(actor).select_related("responsible", "organisation")
    return (
        trajectories.filter(end_date__isnull=True).first()
        or trajectories.order_by("-start_date", "-id").first()
    )


@dataclass(frozen=True)
class Step:
    value: str
    label: str
    description: str
    state: str  # done, current, later


def plain_steps(trajectory: Trajectory) -> list[Step]:
    values = Phase.values
    current = values.index(trajectory.phase)
    steps = []
    for index, value in enumerate(values):
        label, description = PLAIN_PHASES[value]
        state = "current" if index == current else ("done" if index < current else "later")
        steps.append(Step(value, str(label), str(description), state))
    return steps


def latest_plan(trajectory):
    version = (
        PlanVersion.objects.filter(trajectory=trajectory)
        .prefetch_related("agreements")
        .order_by("-number")
        .first()
    )
    return version, (PlanContent.from_json(version.content) if version else None)


def agreed_choices(trajectory, content) -> list[dict]:
    """The choices of the agreed plan for the client: what was chosen, for which goal, the client's
    preference as recorded and the client's own corrections of it, oldest first (one query)."""
    corrections: dict[str, list] = {}
    for correction in PreferenceCorrection.objects.filter(trajectory=trajectory).order_by("created_at", "id"):
        corrections.setdefault(correction.choice_key, []).append(correction)
    return [
        {
            "choice": choice,
            "goal": content.goal(choice.goal),
            "corrections": corrections.get(choice.key, []),
        }
        for choice in content.choices
    ]


def proposals(trajectory) -> list[GoalProposal]:
    return list(
        GoalProposal.objects.filter(trajectory=trajectory)
        .select_related("decided_by")
        .order_by("-created_at", "-id")
    )


def client_actions(trajectory) -> dict:
    actions = list(Action.objects.filter(trajectory=trajectory).order_by("due_date", "id"))
    mine = [a for a in actions if a.owner == ActionOwner.CLIENT and a.status == ActionStatus.OPEN]
    others = [a for a in actions if a.owner != ActionOwner.CLIENT and a.status == ActionStatus.OPEN]
    done = sorted(
        (a for a in actions if a.status == ActionStatus.DONE),
        key=lambda a: (a.completed_on or a.due_date, a.pk),
        reverse=True,
    )
    return {"mine": mine, "others": others, "done": done}


def appointments(trajectory, today: dt.date | None = None) -> dict:
    """What is coming: open actions with their due dates, overdue ones apart. The planned appointments
    come from the agenda (``agenda.selectors.coming_for_client``)."""
    today = today or timezone.localdate()
    open_actions = list(
        Action.objects.filter(trajectory=trajectory, status=ActionStatus.OPEN).order_by("due_date", "id")
    )
    return {
        "late": [a for a in open_actions if a.due_date < today],
        "coming": [a for a in open_actions if a.due_date >= today],
        "today": today,
    }


def _titled(requests) -> list:
    out = list(requests)
    for request in out:
        request.title = Definition(request.instrument.current.definition).client_title
    return out


def open_requests(trajectory):
    return _titled(
        QuestionnaireRequest.objects.filter(
            trajectory=trajectory, completed_at__isnull=True, cancelled_at__isnull=True
        )
        .select_related("instrument__current", "measurement", "requested_by")
        .order_by("created_at", "id")
    )


def finished_requests(trajectory, limit: int = 10):
    return _titled(
        QuestionnaireRequest.objects.filter(trajectory=trajectory, completed_at__isnull=False)
        .select_related("instrument__current")
        .order_by("-completed_at", "-id")[:limit]
    )


# Who looked at my file -------------------------------------------------------------------------------------

OBJECT_WORDS = {
    "clients.client": gettext_lazy("your personal data and file"),
    "trajectories.trajectory": gettext_lazy("your trajectory"),
    "trajectories.conversation": gettext_lazy("a conversation"),
    "trajectories.action": gettext_lazy("an action"),
    "trajectories.planversion": gettext_lazy("your plan"),
    "trajectories.planagreement": gettext_lazy("your agreement with the plan"),
    "trajectories.progressnote": gettext_lazy("a note about how it goes"),
    "trajectories.adjustment": gettext_lazy("a change of the plan"),
    "trajectories.evaluation": gettext_lazy("the look back at your trajectory"),
    "trajectories.trajectoryassignment": gettext_lazy("who works on your trajectory"),
    "instruments.measurement": gettext_lazy("a questionnaire"),
    "clients.consent": gettext_lazy("your consent"),
    "workday.start_page": gettext_lazy(
        "your name with what needs attention, on the professional's start page"
    ),
    "client_search": gettext_lazy("your name in the results of a search by a professional"),
    "workday.handledsignal": gettext_lazy("a reminder about your trajectory, marked as done"),
    "portal.portalinvitation": gettext_lazy("your invitation for this portal"),
    "portal.questionnairerequest": gettext_lazy("a request to fill in a questionnaire"),
    "portal.goalproposal": gettext_lazy("your proposal for a goal"),
    "trajectories.emergencyaccess": gettext_lazy("emergency access to your file"),
    "intervision.casepresentation": gettext_lazy("your case, without your name, for intervision"),
    "intervision.casereview": gettext_lazy("a review of your case against the method, without your name"),
    "insights.researchexport": gettext_lazy("your data without your name, for research you agreed to"),
    "matching.proposal": gettext_lazy("a job for you, or your profile for it without your name"),
    "agenda.appointment": gettext_lazy("an appointment with you"),
    "caseload": gettext_lazy("your name in a professional's list of clients"),
    "team_overview": gettext_lazy("your name in the overview of a team"),
    "instruments.instrumentschedule": gettext_lazy("when you fill in questionnaires"),
    "core.preparedfile": gettext_lazy("a report about you, made to download"),
    "privacy.destructionlist": gettext_lazy("your file on a list of files to delete"),
    "privacy.destructionitem": gettext_lazy("your file on a list of files to delete"),
    "privacy.legalhold": gettext_lazy("a reason to keep your file longer"),
    "privacy.datasubjectrequest": gettext_lazy("your request about your data"),
    "privacy.erasurerecord": gettext_lazy("the record that your data was deleted"),
    "privacy.anonymisedfile": gettext_lazy("your file without your name"),
    "trajectories.phasechange": gettext_lazy("the step your trajectory is in"),
    "trajectories.handover": gettext_lazy("the handover of your trajectory to another professional"),
    "trajectories.preferencecorrection": gettext_lazy("your correction of what you want in the plan"),
    "timeline.timelineentry": gettext_lazy("a line in the history of your trajectory"),
    "knowledge.planchoiceentry": gettext_lazy("an approach chosen in your plan"),
    "matching.candidateprofile": gettext_lazy("when you can work and what you are good at"),
    "matching.trajectoryemployer": gettext_lazy("the employer your trajectory works towards"),
    "matching.placement": gettext_lazy("your new job"),
    "matching.followup": gettext_lazy("a check on how your new job goes"),
    "matching.employerlink": gettext_lazy("a link for an employer about a job for you"),
    "intervision.experiment": gettext_lazy("a new approach your professional tries in your trajectory"),
    "portal.portalaccount": gettext_lazy("your account for this portal"),
    "portal.clientevaluation": gettext_lazy("your own look back at your trajectory"),
}
# Reads by the members of an intervision group are shown as the group, not as named persons
# (docs/intervision.md): the event says so in its detail (``as_group`` and the group's name).
GROUP_READS = {"intervision.casepresentation", "intervision.casereview"}
ACTION_WORDS = {
    "view": gettext_lazy("Looked at:"),
    "search": gettext_lazy("Searched a list with:"),
    "create": gettext_lazy("Added:"),
    "change": gettext_lazy("Changed:"),
    "export": gettext_lazy("Downloaded:"),
    "print": gettext_lazy("Made a report (PDF) of:"),
    "delete": gettext_lazy("Removed:"),
}
# The client's words for a staff role, by the role's key (never its label, which is written for staff and
# may change). A role without words here (one added later, or gone since the access) is "staff member".
# A professional reads a client's file because they work (or worked) on the client's trajectory or registered
# the client: to the client, "your professional", in the words the portal uses everywhere.
ROLE_WORDS = {
    "professional": gettext_lazy("your professional"),
    "team_lead": gettext_lazy("team lead"),
    "functional_admin": gettext_lazy("administrator of the system"),
    "knowledge_editor": gettext_lazy("editor of the knowledge base"),
    "employer_link": gettext_lazy("employer, through a one-time link"),
}
ROLE_WORDS_OTHER = gettext_lazy("staff member")


def role_words(key: str) -> str:
    """The client's words for the role ``key`` of whoever looked; empty when there was no role (the
    system)."""
    if not key:
        return ""
    return str(ROLE_WORDS.get(key, ROLE_WORDS_OTHER))


@dataclass(frozen=True)
class AccessRow:
    at: dt.datetime
    who: str
    role: str
    what: str
    emergency: bool = False  # under emergency access (docs/authorization.md)
    reason: str = ""  # why, for the opening of an emergency access


# The fields of an access-log event that ``access_rows`` reads (one query for a page of events).
ACCESS_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "actor_role",
    "on_behalf_of",
    "action",
    "object_type",
    "object_uuid",
    "emergency_access",
    "detail",
)


def emergency_reasons(events) -> dict:
    """The reasons of the emergency accesses that these events opened, by public id: they are encrypted
    with the emergency access and never copied into the access log. A query only when there is one."""

    opened = {e.object_uuid for e in events if e.object_type == "trajectories.emergencyaccess"}
    return (
        dict(EmergencyAccess.objects.filter(uuid__in=opened).values_list("uuid", "reason")) if opened else {}
    )


def access_rows(events, users: dict, reasons: dict | None = None) -> list[AccessRow]:
    """``reasons``: from ``emergency_reasons`` (the opening of an emergency access shows why)."""
    reasons = reasons or {}
    rows = []
    for event in events:
        user = users.get(event.actor_id)
        if user is not None:
            who = user.get_full_name() or user.get_username()
        elif event.actor_username:
            who = event.actor_username
        elif event.actor_role == "employer_link" and event.on_behalf_of:
            # An employer through its one-time link: its name as the access log holds it.
            who = event.on_behalf_of.split(" (link ")[0]
        elif event.on_behalf_of == "command line":
            who = _("The system (an administrator)")
        else:
            who = _("The system")
        role = role_words(event.actor_role)
        detail = event.detail or {}
        if event.object_type in GROUP_READS and detail.get("as_group"):
            who = _("Intervision group %(name)s") % {"name": detail.get("group", "")}
            role = _("colleagues of your professional")
        verb = ACTION_WORDS.get(event.action, event.action)
        thing = OBJECT_WORDS.get(event.object_type) or _("your file")
        what = f"{verb} {thing}"
        emergency = event.emergency_access is not None
        reason = reasons.get(event.object_uuid, "") if emergency else ""
        rows.append(AccessRow(event.at, who, role, what, emergency, reason))
    return rows


def access_log_page(client, page_number, per_page: int = 25):
    """Accesses to the client's file by others (staff, the system), newest first: one page of events and
    the names of the staff in them (3 queries: count, page, users; one more for the reasons of emergency
    accesses on the page, if any)."""

    events = accesses_to_client(client.uuid).exclude(actor_role="client").only(*ACCESS_FIELDS)
    page = Paginator(events, per_page).get_page(page_number)
    ids = {e.actor_id for e in page.object_list if e.actor_id}
    users = {u.pk: u for u in User.objects.filter(pk__in=ids)} if ids else {}
    return page, access_rows(page.object_list, users, emergency_reasons(page.object_list))


# Staff: the portal card and page ---------------------------------------------------------------------------


def _state(account, invited: bool) -> str:
    """none, invited, active, ended."""
    if account is not None and account.revoked_at:
        return "ended"
    if account is not None and account.activated_at:
        return "active"
    return "invited" if invited else "none"


@dataclass
class PortalStatus:
    account: PortalAccount | None
    invitations: list[PortalInvitation]
    requests: list
    proposals: list[GoalProposal]

    @property
    def state(self) -> str:
        """none, invited, active, ended."""
        return _state(self.account, self.open_invitation is not None)

    @property
    def open_invitation(self) -> PortalInvitation | None:
        return next((i for i in self.invitations if i.status in ("open", "code")), None)

    @property
    def open_proposals(self) -> list[GoalProposal]:
        return [p for p in self.proposals if p.status == ProposalStatus.OPEN]

    @property
    def open_requests(self) -> list:
        return [r for r in self.requests if r.is_open]


def card_annotations() -> dict:
    """Annotations for a trajectory queryset with what the portal card on the trajectory section shows
    (read by ``portal_card``): correlated subqueries in SQL (``core.sql.RowSQL``; the trajectory section is
    opened often, and as querysets they cost more to build than to run), so the card costs no query of its
    own. The invitation is the newest one still usable: its link unused and unexpired, or its link used
    and its code sent and unexpired (``PortalInvitation``)."""
    now = timezone.now()
    return {
        "portal_invitation_expires_at": sql.RowSQL(
            "SELECT expires_at FROM portal_portalinvitation WHERE client_id = {outer}.client_id"
            " AND completed_at IS NULL AND revoked_at IS NULL"
            " AND ((used_at IS NULL AND expires_at > %s)"
            " OR (used_at IS NOT NULL AND code_expires_at > %s AND code_digest <> ''))"
            " ORDER BY created_at DESC, id DESC LIMIT 1",
            (now, now),
            output_field=DateTimeField(),
        ),
        "portal_open_proposals": sql.RowSQL(
            "SELECT COUNT(*) FROM portal_goalproposal WHERE trajectory_id = {outer}.id AND status = %s",
            (ProposalStatus.OPEN.value,),
            output_field=IntegerField(),
        ),
        "portal_open_requests": sql.RowSQL(
            "SELECT COUNT(*) FROM portal_questionnairerequest WHERE trajectory_id = {outer}.id"
            " AND completed_at IS NULL AND cancelled_at IS NULL",
            output_field=IntegerField(),
        ),
    }


@dataclass(frozen=True)
class PortalCard:
    """The portal card of the trajectory section, from ``card_annotations`` (and the client's portal account,
    joined by the caller)."""

    account: PortalAccount | None
    invitation_expires_at: dt.datetime | None
    open_proposals: int
    open_requests: int

    @property
    def state(self) -> str:
        return _state(self.account, self.invitation_expires_at is not None)

    @property
    def open_invitation(self) -> dict | None:
        return {"expires_at": self.invitation_expires_at} if self.invitation_expires_at else None


def portal_card(trajectory) -> PortalCard:
    account = getattr(trajectory.client, "portal_account", None)
    return PortalCard(
        account,
        trajectory.portal_invitation_expires_at,
        trajectory.portal_open_proposals,
        trajectory.portal_open_requests,
    )


def portal_status(trajectory, *, invitations: int = 5) -> PortalStatus:
    """The client's portal account, latest invitations, this trajectory's questionnaire requests and goal
    proposals (4 queries; proposals come from the prefetch when the trajectory page made one)."""
    client = trajectory.client
    if "portal_account" in client._state.fields_cache:  # select_related by the trajectory page
        account = client._state.fields_cache["portal_account"]
    else:
        account = PortalAccount.objects.filter(client_id=trajectory.client_id).first()
    recent = list(
        PortalInvitation.objects.filter(client_id=trajectory.client_id)
        .select_related("created_by")
        .order_by("-created_at", "-id")[:invitations]
    )
    requests = _titled(
        QuestionnaireRequest.objects.filter(trajectory=trajectory)
        .select_related("instrument__current", "measurement", "requested_by")
        .order_by("-created_at", "-id")[:20]
    )
    cached = getattr(trajectory, "_prefetched_objects_cache", {}).get("goal_proposals")
    found = list(cached) if cached is not None else proposals(trajectory)
    return PortalStatus(account, recent, requests, sorted(found, key=lambda p: p.created_at, reverse=True))


def staff_portal_queryset(actor):
    return (
        visible_trajectories(actor)
        .select_related("client", "responsible")
        .prefetch_related(
            Prefetch(
                "goal_proposals", queryset=GoalProposal.objects.select_related("decided_by", "plan_version")
            )
        )
    )


def client_evaluation(trajectory) -> ClientEvaluation | None:
    """The client's own evaluation of a trajectory the caller may read (one query)."""
    return ClientEvaluation.objects.filter(trajectory=trajectory).first()


# What is kept about the client and until when ("Mijn gegevens", docs/privacy.md "What the client sees"): the
# retention rules of ``core.retention`` in the client's words. The rules' own texts are for the records
# manager; these say the same at B1 level.


@dataclass(frozen=True)
class KeptRow:
    what: str
    why: str
    how_long: str
    until: str


def _term(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def kept_about(client) -> list[KeptRow]:
    """One row per kind of data kept about the client: what, why, how long and until when, with the terms
    of the client's organisation (its own where it set them, ``core.retention.days_for``). Two queries."""
    days = retention_days(client.organisation_id)
    facts = Trajectory.objects.filter(client=client).aggregate(
        last_end=Max("end_date"), running=Count("pk", filter=Q(end_date__isnull=True)), total=Count("pk")
    )
    file_days = days["client_file"]
    if facts["running"]:
        until = _("Your trajectory is still running. The term starts when it ends.")
    else:
        start = facts["last_end"] if facts["total"] else timezone.localtime(client.created_at).date()
        until = _("Until about %(date)s.") % {
            "date": formats.day(start + dt.timedelta(days=file_days), formats.TEXT)
        }
    log_days = days["access_log"]
    return [
        KeptRow(
            what=_(
                "Your file: your personal details, your trajectory, the talks, your plan, the questionnaires "
                "and the notes."
            ),
            why=_(
                "We need it to help you. After your trajectory, you or we may still need it, for example if "
                "you have a question or do not agree with a decision."
            ),
            how_long=_(
                "%(term)s after your last trajectory ends. Then we delete your file. We only keep "
                "numbers without your name, for statistics."
            )
            % {"term": _term(file_days)},
            until=until,
        ),
        KeptRow(
            what=_("Who looked at your file, and when."),
            why=_(
                "So that you and we can check that only the right people look at your file. The rules for "
                "care and help ask for this."
            ),
            how_long=_("%(term)s after each time someone looked.") % {"term": _term(log_days)},
            until=_("Each line %(term)s after that day.") % {"term": _term(log_days)},
        ),
        KeptRow(
            what=_("Your attempts to log in to this website, and the log-in links we sent you."),
            why=_("To protect your account against others."),
            how_long=_("%(term)s.")
            % {"term": _term(max(days["login_attempts"], days["portal_invitations"]))},
            until=_("Then we delete them."),
        ),
        KeptRow(
            what=_("Questionnaires that were started but never sent."),
            why=_("So that you can finish them later."),
            how_long=_("%(term)s after the last change.") % {"term": _term(days["measurement_drafts"])},
            until=_("Then we delete them."),
        ),
    ]
