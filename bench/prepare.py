"""Inside the app's own settings: pick what the benchmark requests, and log a professional in.

``python -m bench.prepare`` (run by ``bench.run`` with the same environment as the server) prints JSON:
the chosen professional, a session cookie for them with the second factor marked verified (production
requires two-step verification; see ``accounts/middleware.py``), a portal session for the client of the
measured trajectory, and the request of every page in ``bench.pages.PAGES`` (or why it is not available).
It also draws the measured trajectory's charts into the shared cache, as submitting its measurements in
the app would have done (the generator writes measurements without drawing).
"""

from __future__ import annotations

import json
import os
import secrets
import string
import sys
from importlib import import_module
from urllib.parse import quote


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waardewerk.conf.settings")
    import django

    django.setup()


CASELOAD_SIZE = 60  # the professional whose open caseload is nearest this
TYPICAL_CONVERSATIONS = 8  # the trajectory whose history is nearest this


def choose_professional():
    from django.db.models import Count

    from waardewerk.accounts.models import Role
    from waardewerk.trajectories.models import Trajectory

    largest = (
        Trajectory.objects.values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation")
        .first()
    )
    if largest is None:
        raise SystemExit("The database holds no trajectories: run `waardewerk generate` first.")
    caseloads = (
        Trajectory.objects.filter(
            organisation=largest["organisation"], end_date__isnull=True, responsible__role=Role.PROFESSIONAL
        )
        .values("responsible")
        .annotate(n=Count("id"))
        .order_by("responsible")
    )
    best = min(caseloads, key=lambda row: (abs(row["n"] - CASELOAD_SIZE), row["responsible"]))
    from waardewerk.accounts.models import User

    return User.objects.get(pk=best["responsible"]), best["n"]


def choose_trajectory(professional, exclude=()):
    """The professional's open trajectory in execution or monitoring whose history is nearest
    ``TYPICAL_CONVERSATIONS``; not one of a client of a trajectory in ``exclude`` (whose dossier shows all
    their trajectories)."""
    from django.db.models import Count

    from waardewerk.trajectories.models import Phase, Trajectory

    candidates = list(
        Trajectory.objects.filter(responsible=professional, end_date__isnull=True)
        .exclude(client_id__in=[t.client_id for t in exclude])
        .annotate(conversation_count=Count("conversations"))
        .select_related("client")
        .order_by("id")
    )
    preferred = [t for t in candidates if t.phase in (Phase.EXECUTION, Phase.MONITORING)] or candidates
    return min(preferred, key=lambda t: (abs(t.conversation_count - TYPICAL_CONVERSATIONS), t.id))


def search_term(client) -> str:
    word = max(client.last_name.split(), key=len)
    return word[:4].lower()


def common_name(organisation) -> str:
    """The first four letters of the organisation's most common last name, folded as the search box folds
    what is typed: many clients match, across caseloads."""
    from django.db.models import Count

    from waardewerk.clients.models import Client
    from waardewerk.core.text import fold

    row = (
        Client.objects.filter(organisation=organisation)
        .values("last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "last_name")
        .first()
    )
    word = max(fold(row["last_name"]).split(), key=len) if row else "jans"
    return word[:4]


def measurement_form(trajectory) -> dict | None:
    """A complete measurement by the client for ``POST .../measurements/new/<key>/`` (issue 4), with the
    loaded instrument the client answers that has the most items (the heaviest form): the header fields,
    one answer per item and ``action=submit``. ``None`` when the instruments app is not installed or no
    such instrument is loaded (the page is then "not available")."""
    from django.apps import apps

    if not apps.is_installed("waardewerk.instruments"):
        return None
    from django.utils import timezone

    from waardewerk.instruments.forms import ITEM_PREFIX
    from waardewerk.instruments.selectors import catalogue

    answered = [(i, d) for i, d in catalogue() if "client" in d.data["respondents"]]
    if not answered:
        return None
    instrument, definition = max(answered, key=lambda pair: (len(pair[1].items), pair[0].key))
    fields = {
        "respondent": "client",
        "framing": definition.default_framing("client", trajectory.context),
        "taken_on": timezone.localdate().isoformat(),
        "action": "submit",
    }
    for position, item_id in enumerate(definition.items):
        scale = definition.scale(item_id)
        values = [entry["value"] for entry in scale.get("values", [])] or list(
            range(scale["min"], scale["max"] + 1)
        )
        fields[ITEM_PREFIX + item_id] = str(values[position % len(values)])
    path = f"/trajectories/{trajectory.uuid}/measurements/new/{instrument.key}/"
    return {"path": path, "fields": fields}


def login_session(user) -> str:
    """A server-side session for ``user``, logged in with the second factor verified; returns its key."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from waardewerk.accounts import middleware

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = middleware.now_seconds()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[middleware.LOGIN_AT] = now
    store[middleware.LAST_ACTIVITY] = now
    store[middleware.TWO_FACTOR_VERIFIED_AT] = now
    store[middleware.TWO_FACTOR_REQUIRED] = True
    store[middleware.TWO_FACTOR_CHECKED_AT] = now
    store.create()
    return store.session_key


def portal_session(client) -> str | None:
    """A portal session for ``client`` (an activated portal account, as after the link-and-code log-in);
    returns its key, or None when the portal app is not installed."""
    from django.apps import apps

    if not apps.is_installed("waardewerk.portal"):
        return None
    from django.conf import settings
    from django.utils import timezone

    from waardewerk.accounts import middleware
    from waardewerk.portal import session as portal
    from waardewerk.portal.models import PortalAccount

    account, _created = PortalAccount.objects.get_or_create(client=client)
    if account.revoked_at is not None or account.activated_at is None:
        account.revoked_at = None
        account.activated_at = account.last_login_at = timezone.now()
        account.save()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = middleware.now_seconds()
    store[portal.CLIENT] = str(client.uuid)
    store[portal.EPOCH] = account.session_epoch
    store[portal.LOGIN_AT] = now
    store[portal.LAST_ACTIVITY] = now
    store.create()
    return store.session_key


def draw_charts(trajectory) -> int:
    """Draw the trajectory's effect charts into the shared cache as a measurement submit does."""
    from django.apps import apps

    if not apps.is_installed("waardewerk.instruments"):
        return 0
    from waardewerk.instruments.tasks import draw_effect_charts

    return draw_effect_charts.call(trajectory.pk)


def evidence_entry(professional) -> tuple[str | None, float | None]:
    """The knowledge-base entry chosen most often in the professional's organisation, with its figures
    computed as ``waardewerk insights compute`` (a nightly job) leaves them: (key, seconds it took)."""
    from django.apps import apps

    if not apps.is_installed("waardewerk.insights"):
        return None, None
    from django.db.models import Count

    from waardewerk.insights import figures
    from waardewerk.knowledge.models import PlanChoiceEntry

    top = (
        PlanChoiceEntry.objects.filter(trajectory__organisation_id=professional.organisation_id)
        .values("entry__key")
        .annotate(n=Count("trajectory_id", distinct=True))
        .order_by("-n", "entry__key")
        .first()
    )
    if top is None:
        return None, None
    snapshot = figures.refresh(professional.organisation_id)
    return top["entry__key"], snapshot.seconds


def functional_admin(professional):
    """An active functional administrator of the professional's organisation (the import and export page is
    measured with their session), or None."""
    from waardewerk.accounts.models import Role, User

    return (
        User.objects.filter(
            organisation_id=professional.organisation_id, role=Role.FUNCTIONAL_ADMIN, is_active=True
        )
        .order_by("pk")
        .first()
    )


def destruction_list(organisation) -> str | None:
    """The organisation's newest destruction list waiting for approval (its page is measured with the
    functional administrator's session). When none waits, one is proposed as the daily retention run
    proposes it (``privacy.services.propose``: every file past the organisation's term, not held, without an
    open trajectory); the generated data has files that ended years ago. None when no file is past its term
    or the privacy app is not installed."""
    from django.apps import apps

    if not apps.is_installed("waardewerk.privacy"):
        return None
    from waardewerk.privacy import services
    from waardewerk.privacy.models import DestructionList, DestructionStatus

    found = (
        DestructionList.objects.filter(organisation=organisation, status=DestructionStatus.PROPOSED)
        .order_by("-created_at", "-id")
        .first()
    )
    if found is None:
        found = services.propose(organisation.pk)
    return str(found.uuid) if found is not None else None


def quality_figures(professional):
    """The team quality figures computed as ``waardewerk quality compute`` (a nightly job) leaves them, and a
    team lead of one of the professional's teams (whose session the team quality page is measured with):
    (the team lead or None, seconds the computation took or None)."""
    from django.apps import apps

    if not apps.is_installed("waardewerk.quality"):
        return None, None
    from waardewerk.accounts.policies import led_teams
    from waardewerk.quality import figures

    snapshot = figures.refresh(professional.organisation_id)
    lead = next(
        (
            member
            for team in professional.teams.all()
            for member in team.members.all()
            if led_teams(member).filter(pk=team.pk).exists()
        ),
        None,
    )
    return lead, snapshot.seconds


BENCH_GROUP = "OT-groep (benchmark)"


def intervision_targets(professional) -> dict:
    """The professional's intervision group with the most sessions, and its latest session up to today (the
    group page, the session record). When they have none (the generated data may hold none for them), a
    group of them and three colleagues with three sessions is made once, with attendance and experiments,
    as a facilitator would record them. Their development log is brought up to date beforehand (the first
    view of the log adds the sessions attended), so the measured requests do not include that write."""
    import datetime as dt

    from django.apps import apps
    from django.db.models import Count
    from django.utils import timezone

    if not apps.is_installed("waardewerk.intervision"):
        return {}
    from waardewerk.accounts.models import Role, User
    from waardewerk.intervision import services
    from waardewerk.intervision.models import IntervisionGroup, IntervisionSession

    today = timezone.localdate()
    group = (
        IntervisionGroup.objects.filter(members=professional)
        .annotate(n=Count("sessions"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    if group is None:
        colleagues = list(
            User.objects.filter(
                organisation_id=professional.organisation_id,
                is_active=True,
                role__in=(Role.PROFESSIONAL, Role.TEAM_LEAD),
            )
            .exclude(pk=professional.pk)
            .order_by("pk")[:3]
        )
        group, _created = IntervisionGroup.objects.get_or_create(
            organisation_id=professional.organisation_id, name=BENCH_GROUP
        )
        group.members.add(professional, *colleagues)
        members = [professional, *colleagues]
        for weeks, method in ((18, "incident"), (12, "learning-cycle"), (6, "incident-short")):
            facilitator = members[weeks // 6 % len(members)]
            session = services.session_create(
                actor=professional,
                group=group,
                date=today - dt.timedelta(weeks=weeks),
                method_key=method,
                facilitator=facilitator,
                case_owner=professional,
            )
            services.attendance_record(
                actor=facilitator,
                session=session,
                statuses={m.pk: ("apologies" if i == 3 else "present") for i, m in enumerate(members)},
            )
            for member in members[:3]:
                services.experiment_add(
                    actor=member,
                    session=session,
                    description="Eerst doorvragen voordat ik een advies geef.",
                    until=session.date + dt.timedelta(days=30),
                )
    session = (
        IntervisionSession.objects.filter(group=group, date__lte=today)
        .order_by("-date", "-created_at")
        .first()
    )
    if apps.is_installed("waardewerk.development"):
        from waardewerk.development.services import intervision_sync

        intervision_sync(actor=professional, today=today)
    return {
        "intervision_group": str(group.uuid),
        "intervision_session": str(session.uuid) if session else None,
    }


BENCH_JOBS = 10_000  # open jobs for the value-fit page (issue 16: a client's fit list over 10,000 jobs)
JOBS_PER_EMPLOYER = 50


def ensure_jobs(organisation, count: int = BENCH_JOBS) -> int:
    """Give the organisation ``count`` open jobs with value profiles (employers of 50 jobs each) when it has
    fewer, so the fit list is measured over a realistic number of jobs; the data generator makes none.
    Deterministic; returns the number of jobs made."""
    import random

    from waardewerk.matching import fit as fit_rule
    from waardewerk.matching import occupations
    from waardewerk.matching.models import Employer, Job
    from waardewerk.matching.selectors import work_values

    have = Job.objects.filter(employer__organisation=organisation, is_open=True).count()
    if have >= count:
        return 0
    values = work_values()
    keys = values.keys if values else []
    codes = sorted(occupations.classification()["groups"])
    rng = random.Random(16)
    missing = count - have
    start = Employer.objects.filter(organisation=organisation).count()
    employers = Employer.objects.bulk_create(
        Employer(
            organisation=organisation,
            name=f"Werkgever {start + n + 1}",
            kvk_number=f"{90000000 + start + n:08d}",
            profile={key: rng.randint(1, 5) for key in keys},
        )
        for n in range((missing + JOBS_PER_EMPLOYER - 1) // JOBS_PER_EMPLOYER)
    )
    Job.objects.bulk_create(
        Job(
            employer=employers[n // JOBS_PER_EMPLOYER],
            title=f"Functie {have + n + 1}",
            occupation=rng.choice(codes),
            hours=rng.choice([16, 24, 32, 36]),
            profile=(profile := {key: rng.randint(1, 5) for key in keys if rng.random() < 0.7}),
            fit_profile=fit_rule.merged_profile(profile, employers[n // JOBS_PER_EMPLOYER].profile),
        )
        for n in range(missing)
    )
    # As autovacuum would after such a load (the bench's server may run without it): the planner has to know
    # the jobs are there, or it plans the fit list's ranking for an empty table.
    from django.db import connection

    with connection.cursor() as cursor:
        for model in (Employer, Job):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    return missing


def employer_targets(organisation, professional) -> dict:
    """The employer with the most open jobs (its page lists them) and a one-time link of one of its jobs for
    the employer's page behind the link (a value-profile link: looking does not use it up; each run makes a
    new one, which revokes the previous run's open link for that job)."""
    from django.db.models import Count, Q

    from waardewerk.core.exceptions import PermissionDeniedError
    from waardewerk.matching import services
    from waardewerk.matching.models import Employer

    employer = (
        Employer.objects.filter(organisation=organisation)
        .annotate(open_jobs=Count("jobs", filter=Q(jobs__is_open=True)))
        .order_by("-open_jobs", "id")
        .first()
    )
    if employer is None:
        return {}
    job = employer.jobs.filter(is_open=True).order_by("id").first()
    token = None
    if job is not None:
        try:
            _link, token = services.employer_link_create(actor=professional, job=job)
        except PermissionDeniedError:
            token = None
    return {"employer": str(employer.uuid), "employer_link": token}


BENCH_APPLICATION = "Benchmark"


def api_token(organisation, professional) -> str:
    """A token of an application of the organisation with every read scope (the API's list endpoints). The
    token is shown once, so each run registers a new application and revokes the previous runs' ones."""
    import datetime as dt

    from django.utils import timezone

    from waardewerk.accounts.actor import SCOPES
    from waardewerk.api import tokens
    from waardewerk.api.models import Application

    now = timezone.now()
    Application.objects.filter(
        organisation=organisation, name=BENCH_APPLICATION, revoked_at__isnull=True
    ).update(revoked_at=now)
    token, prefix, digest = tokens.new_token()
    Application.objects.create(
        organisation=organisation,
        name=BENCH_APPLICATION,
        scopes=sorted(SCOPES),
        expires_on=timezone.localdate() + dt.timedelta(days=30),
        token_prefix=prefix,
        token_digest=digest,
        created_by=professional,
        last_used_at=now,
    )
    return token


def fit_trajectory(professional, fallback) -> str:
    """A trajectory of the professional whose client's latest work-value measurement names at least three
    important values, so the fit list ranks on them (a client with none gives the jobs in id order)."""
    from waardewerk.instruments import selectors as instrument_selectors
    from waardewerk.matching import fit as fit_rule
    from waardewerk.matching import selectors as matching_selectors
    from waardewerk.trajectories.models import Trajectory

    values = matching_selectors.work_values()
    if values is None:
        return str(fallback.uuid)
    candidates = list(
        Trajectory.objects.filter(responsible=professional, end_date__isnull=True)
        .order_by("pk")
        .values_list("pk", "uuid")[:300]
    )
    scores = instrument_selectors.latest_scores(values.instrument_id, [pk for pk, _uuid in candidates])
    for pk, uuid in candidates:
        client_values = (scores.get(pk, (None, {}))[1] or {}).get("values") or {}
        if len(fit_rule.important_values(values.keys, client_values, values.threshold)) >= 3:
            return str(uuid)
    return str(fallback.uuid)


def ensure_candidate_profile(client, professional) -> bool:
    """Give the measured client their availability and strengths when they have none, so the pages that
    show them are measured with data (the data generator makes none). Returns whether one was made."""
    from django.utils import timezone

    from waardewerk.matching.models import CandidateProfile, Writer

    _profile, made = CandidateProfile.objects.get_or_create(
        client=client,
        defaults={
            "hours_per_week": 24,
            "days": ["mon", "tue", "thu"],
            "day_parts": ["morning", "afternoon"],
            "available_from": timezone.localdate(),
            "travel_km": 15,
            "travel_means": ["bicycle", "public_transport"],
            "availability_note": "Liever niet in de schoolvakanties.",
            "strengths": "Ik werk netjes en precies. Collega's zeggen dat ik rust breng.",
            "written_by": Writer.PROFESSIONAL,
            "written_by_user": professional,
            "written_at": timezone.now(),
        },
    )
    return made


def prepare() -> dict:
    from django.conf import settings
    from django.urls import Resolver404, resolve

    from bench.pages import PAGES
    from waardewerk.clients.models import Client

    professional, caseload = choose_professional()
    trajectory = choose_trajectory(professional)
    # Submitted measurements go to another client's trajectory, so that repeated runs on a kept database do
    # not make the measured dossier, trajectory page and effect view heavier (the dossier shows every
    # trajectory of its client).
    submit_to = choose_trajectory(professional, exclude=[trajectory])
    csrf_token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
    targets = {
        "client": str(trajectory.client.uuid),
        "trajectory": str(trajectory.uuid),
        "search": quote(search_term(trajectory.client)),
        "common_name": quote(common_name(professional.organisation)),
        "measurement_form": measurement_form(submit_to),
    }
    drawn = draw_charts(trajectory)
    targets["evidence_entry"], evidence_seconds = evidence_entry(professional)
    targets |= intervision_targets(professional)
    lead, quality_seconds = quality_figures(professional)
    targets["quality_lead"] = lead is not None
    portal_key = portal_session(trajectory.client)
    targets["portal"] = portal_key is not None
    jobs_made = ensure_jobs(professional.organisation)
    availability_made = ensure_candidate_profile(trajectory.client, professional)
    targets["fit_trajectory"] = fit_trajectory(professional, trajectory)
    targets |= employer_targets(professional.organisation, professional)
    admin = functional_admin(professional)
    targets["admin"] = admin is not None
    targets["destruction_list"] = destruction_list(professional.organisation) if admin is not None else None
    targets["api_token"] = api_token(professional.organisation, professional)
    session_key = login_session(professional)
    cookies = {
        "staff": f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf_token}",
        "portal": f"{settings.SESSION_COOKIE_NAME}={portal_key}; {settings.CSRF_COOKIE_NAME}={csrf_token}",
    }
    if admin is not None:
        cookies["admin"] = (
            f"{settings.SESSION_COOKIE_NAME}={login_session(admin)}; {settings.CSRF_COOKIE_NAME}={csrf_token}"
        )
    if lead is not None:
        cookies["lead"] = (
            f"{settings.SESSION_COOKIE_NAME}={login_session(lead)}; {settings.CSRF_COOKIE_NAME}={csrf_token}"
        )
    requests = {}
    for page in PAGES:
        request = page.build(targets)
        if request is None:
            requests[page.key] = {"available": False, "reason": "the app has no such page yet"}
            continue
        try:
            resolve(request.path.split("?")[0])
        except Resolver404:
            requests[page.key] = {"available": False, "reason": "the app has no such URL yet"}
            continue
        headers = dict(request.headers)
        body = dict(request.body) if request.body is not None else None
        if request.session is not None:
            headers["Cookie"] = cookies[request.session]
        if body is not None:
            body["csrfmiddlewaretoken"] = csrf_token
        requests[page.key] = {
            "available": True,
            "method": request.method,
            "path": request.path,
            "headers": headers,
            "body": body,
            "expect": request.expect,
            "fresh": page.fresh,
        }
    return {
        "clients": Client.objects.count(),
        "professional": {"username": professional.username, "open_caseload": caseload},
        "trajectory_conversations": trajectory.conversation_count,
        "charts_drawn": drawn,
        "evidence_seconds": evidence_seconds,
        "quality_seconds": quality_seconds,
        "jobs_made": jobs_made,
        "availability_made": availability_made,
        "targets": {
            k: v
            for k, v in targets.items()
            if k not in ("measurement_form", "portal", "quality_lead", "admin", "api_token", "employer_link")
        }
        | {"submit_trajectory": str(submit_to.uuid)},
        "requests": requests,
    }


def main() -> None:
    _setup()
    json.dump(prepare(), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
