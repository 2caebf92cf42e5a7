"""Reading the access log (functional administrators, and later the client's own view)."""

import datetime as dt

from django.apps import apps
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent, AuditCheckpoint
from waardewerk.audit.services import HASHED_FIELDS

EXPORT_FIELDS = ["id", *HASHED_FIELDS, "emergency_access", "prev_hash", "hash"]


def event_count(*, after_id: int = 0) -> int:
    events = AccessEvent.objects.all()
    return (events.filter(id__gt=after_id) if after_id else events).count()


def latest_checkpoint() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.order_by("-id").first()


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def search(
    events: QuerySet[AccessEvent],
    *,
    client_uuid=None,
    client_uuids=None,
    username: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    action: str = "",
    emergency_only: bool = False,
) -> QuerySet[AccessEvent]:
    """The events of ``events`` that match the filters, newest first. ``events`` is where the search
    starts: a functional administrator's organisation (``audit.policies.readable_events``) on a page, the
    whole log (``AccessEvent.objects.all()``) for the installation's command line."""
    if emergency_only:
        events = events.filter(emergency_access__isnull=False)
    if client_uuid:
        events = events.filter(client_uuid=client_uuid)
    if client_uuids is not None:  # e.g. the clients whose name matches, as a subquery
        events = events.filter(client_uuid__in=client_uuids)
    if username:
        events = events.filter(actor_username__iexact=username.strip())
    if since:
        events = events.filter(at__gte=_day_start(since))
    if until:
        events = events.filter(at__lt=_day_start(until + dt.timedelta(days=1)))
    if action:
        events = events.filter(action=action)
    return events.order_by("-id")


def export_rows(events: QuerySet[AccessEvent], *, since: dt.date, until: dt.date, **filters):
    events = search(events, since=since, until=until, **filters).order_by("id")
    for row in events.values(*EXPORT_FIELDS).iterator(chunk_size=2000):
        row["at"] = row["at"].astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        for key in ("client_uuid", "object_uuid", "emergency_access"):
            row[key] = str(row[key]) if row[key] else None
        yield row


def accesses_to_client(client_uuid) -> QuerySet[AccessEvent]:
    """Who accessed this client's file: one index range scan on (client_uuid, at)."""
    return AccessEvent.objects.filter(client_uuid=client_uuid).order_by("-at")


# The access log in words (the functional administrator's page): roles and what was accessed, instead of
# codes. A model's label gives its own name; the pages and lists that are not one model have a name here.
ROLE_WORDS = {**dict(Role.choices), "client": gettext_lazy("Client, in the portal")}
OBJECT_WORDS = {
    "caseload": gettext_lazy("Caseload"),
    "team_overview": gettext_lazy("Team overview"),
    "audit_log": gettext_lazy("Access log"),
    "client_search": gettext_lazy("Search for clients"),
    "workday.start_page": gettext_lazy("Start page (Vandaag)"),
    "agenda.trajectory_choice": gettext_lazy("Client choice of a new appointment"),
    "development.log": gettext_lazy("Development log"),
    "development.goal_sources": gettext_lazy("Sources of a learning goal"),
    "intervision.experiment_trajectories": gettext_lazy("Trajectories to try an experiment in"),
    "intervision.presentable_trajectories": gettext_lazy("Trajectories to present as a case"),
    "intervision.reviewable_trajectories": gettext_lazy("Trajectories to review"),
    "quality.team_report": gettext_lazy("Quarterly report of a team"),
}
PAGE_WORDS = {
    "staffing": gettext_lazy("Staffing"),
    "edit": gettext_lazy("Personal data"),
    "plan": gettext_lazy("Plan"),
    "effect": gettext_lazy("Effect view"),
    "evaluation": gettext_lazy("Evaluation"),
    "portal": gettext_lazy("Client portal"),
    "report": gettext_lazy("Report"),
    "emergency access": gettext_lazy("Emergency access"),
    "start": gettext_lazy("Start a trajectory"),
}


def object_words(object_type: str) -> str:
    if object_type in OBJECT_WORDS:
        return str(OBJECT_WORDS[object_type])
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return capfirst(str(model._meta.verbose_name))


def in_words(events) -> list:
    """The events of a page with ``role_words``, ``object_words`` and ``detail_words`` (the detail as
    "key: value" pairs, a page named in words)."""
    for event in events:
        event.role_words = str(ROLE_WORDS.get(event.actor_role, event.actor_role))
        event.object_words = object_words(event.object_type)
        detail = dict(event.detail or {})
        page = detail.get("page")
        if isinstance(page, str) and page:
            del detail["page"]
            event.object_words += f" · {PAGE_WORDS.get(page, page)}"
        event.detail_words = ", ".join(f"{key}: {value}" for key, value in detail.items())
    return events
