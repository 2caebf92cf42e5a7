"""Matching pages: employers with their contact persons and jobs, value profiles, a client's fit list with
the decision per job, a job's fit list over the professional's caseload, and sharing with an employer
(docs/matching.md). Views parse input and call one service or selector; what the actor may see comes from
``policies``; every page that shows client data records the read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.audit.services import audit_read
from waardewerk.core.access import get_for_actor, require
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.forms import call_service, posted
from waardewerk.matching import functional, occupations, policies, selectors, services
from waardewerk.matching.actor import EmployerLinkActor
from waardewerk.matching.forms import (
    CandidateProfileForm,
    ContactForm,
    DecisionForm,
    EmployerAnswerForm,
    EmployerForm,
    EmployerNoteForm,
    EmployerProfileForm,
    FollowUpForm,
    JobForm,
    PlacementForm,
    ProfileForm,
    SearchForm,
    TrajectoryEmployerForm,
)
from waardewerk.matching.models import (
    LINK_DAYS,
    REASON_MAX,
    ClientResponse,
    ContactPerson,
    Decision,
    EmployerLink,
    FollowUp,
    LinkPurpose,
    Placement,
)
from waardewerk.trajectories.services import dossier_read_record


def _refusal(_trajectory=None) -> str:
    return _("Only who works on this open trajectory sees its fit with jobs and decides on them.")


def _employer(request, employer_id):
    return get_for_actor(policies.visible_employers(request.user), employer_id)


def _job(request, job_id):
    return get_for_actor(policies.visible_jobs(request.user).select_related("employer"), job_id)


def _trajectory(request, trajectory_id):
    return get_for_actor(
        policies.fit_trajectories(request.user).select_related(f"client__{selectors.CANDIDATE_PROFILE}"),
        trajectory_id,
        known=lambda: policies.known_fit_trajectories(request.user),
        refusal=_refusal,
    )


# Employers ------------------------------------------------------------------------------------------------


@require_GET
def employers(request):
    require(policies.may_use_matching(request.user))
    search = SearchForm(request.GET or None)
    text = search.cleaned_data["q"].strip() if search.is_bound and search.is_valid() else ""
    return render(
        request,
        "matching/employers.html",
        {"employers": list(selectors.employers(request.user, text)[:200]), "search": search, "text": text},
    )


def _employer_form(request, employer=None):
    initial = None
    if employer is not None:
        initial = {
            "base_version": employer.version,
            **{f: getattr(employer, f) for f in ("name", "kvk_number", "sector", "size", "city", "notes")},
        }
    form = EmployerForm(posted(request), initial=initial)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        base_version = data.pop("base_version")
        outcome = call_service(
            form,
            lambda: (
                services.employer_create(actor=request.user, **data)
                if employer is None
                else services.employer_update(
                    actor=request.user, employer=employer, base_version=base_version, **data
                )
            ),
        )
        if outcome.saved:
            messages.success(request, _("The employer is saved."))
            return redirect("matching:employer", employer_id=outcome.result.uuid)
        conflict = outcome.conflict
    return render(
        request,
        "matching/employer_form.html",
        {"form": form, "employer": employer, "conflict": conflict},
        status=422 if (form.errors or conflict) else 200,
    )


@require_http_methods(["GET", "POST"])
def employer_new(request):
    require(policies.may_use_matching(request.user))
    return _employer_form(request)


@require_http_methods(["GET", "POST"])
def employer_edit(request, employer_id):
    return _employer_form(request, _employer(request, employer_id))


def _employer_page(request, employer, contact_form=None, note_form=None, status=200):
    contacts, jobs = selectors.employer_page(request.user, employer)
    values = selectors.work_values()
    work = selectors.employer_work(request.user, employer)
    for client in {row.trajectory.client for row in work.trajectories} | {
        p.trajectory.client for p in work.placements
    }:
        audit_read(actor=request.user, client=client, obj=employer, detail={"page": "employer"})
    return render(
        request,
        "matching/employer.html",
        {
            "employer": employer,
            "contacts": contacts,
            "jobs": jobs,
            "work": work,
            "profile": _profile_rows(values, employer.profile),
            "contact_form": contact_form or ContactForm(),
            "note_form": note_form
            or EmployerNoteForm(initial={"on": timezone.localdate()}, contacts=contacts),
            "attribution": occupations.attribution(),
        },
        status=status,
    )


@require_POST
def note_new(request, employer_id):
    found = _employer(request, employer_id)
    contacts = list(found.contacts.all())
    form = EmployerNoteForm(posted(request), contacts=contacts)
    if form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("contact")
        contact = next((c for c in contacts if str(c.uuid) == chosen), None)
        outcome = call_service(
            form,
            lambda: services.employer_note_add(actor=request.user, employer=found, contact=contact, **data),
        )
        if outcome.saved:
            messages.success(request, _("The note is added."))
            return redirect("matching:employer", employer_id=found.uuid)
    return _employer_page(request, found, note_form=form, status=422)


@require_POST
def trajectory_employer(request, trajectory_id):
    """Set (or remove) the employer the trajectory works towards and its track; back to the fit list."""
    trajectory = _trajectory(request, trajectory_id)
    employers = list(policies.visible_employers(request.user).only("uuid", "name"))
    form = TrajectoryEmployerForm(posted(request), employers=employers)
    if not form.is_valid():
        messages.error(request, _("Choose an employer from the list."))
        return redirect("matching:fit", trajectory_id=trajectory.uuid)
    chosen = form.cleaned_data["employer"]
    employer = next((e for e in employers if str(e.uuid) == chosen), None)
    try:
        services.trajectory_employer_set(
            actor=request.user, trajectory=trajectory, employer=employer, track=form.cleaned_data["track"]
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The trajectory's employer is saved."))
    return redirect("matching:fit", trajectory_id=trajectory.uuid)


@require_GET
def employer(request, employer_id):
    return _employer_page(request, _employer(request, employer_id))


@require_POST
def contact_new(request, employer_id):
    found = _employer(request, employer_id)
    form = ContactForm(posted(request))
    if form.is_valid():
        outcome = call_service(
            form, lambda: services.contact_add(actor=request.user, employer=found, **form.cleaned_data)
        )
        if outcome.saved:
            messages.success(request, _("The contact person is added."))
            return redirect("matching:employer", employer_id=found.uuid)
    return _employer_page(request, found, contact_form=form, status=422)


@require_POST
def contact_remove(request, contact_id):
    contact = get_for_actor(
        ContactPerson.objects.filter(employer__in=policies.visible_employers(request.user)).select_related(
            "employer"
        ),
        contact_id,
    )
    services.contact_remove(actor=request.user, contact=contact)
    messages.success(request, _("The contact person is removed."))
    return redirect("matching:employer", employer_id=contact.employer.uuid)


# Value profiles -------------------------------------------------------------------------------------------


def _profile_rows(values, profile: dict, fallback: dict | None = None) -> list[dict]:
    if values is None:
        return []
    fallback = fallback or {}
    return [
        {"key": key, "title": title, "score": profile.get(key), "employer": fallback.get(key)}
        for key, title in values.titles().items()
    ]


def _profile_form(request, target, *, back_url, template_context):
    values = selectors.work_values()
    if values is None:
        return render(request, "matching/no_instrument.html", {"back_url": back_url})
    initial = {"base_version": target.version, **{k: str(v) for k, v in target.profile.items()}}
    form = ProfileForm(posted(request), initial=initial, titles=values.titles())
    conflict = ""
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.profile_save(
                actor=request.user,
                target=target,
                base_version=form.cleaned_data["base_version"],
                scores={k: v for k, v in form.scores().items() if v is not None},
            ),
        )
        if outcome.saved:
            messages.success(request, _("The value profile is saved."))
            return redirect(back_url)
        conflict = outcome.conflict
    return render(
        request,
        "matching/profile_form.html",
        {"form": form, "conflict": conflict, "back_url": back_url, **template_context},
        status=422 if (form.errors or conflict) else 200,
    )


@require_http_methods(["GET", "POST"])
def employer_profile(request, employer_id):
    found = _employer(request, employer_id)
    return _profile_form(
        request,
        found,
        back_url=_url("matching:employer", employer_id=found.uuid),
        template_context={"employer": found, "job": None},
    )


@require_http_methods(["GET", "POST"])
def job_profile(request, job_id):
    found = _job(request, job_id)
    return _profile_form(
        request,
        found,
        back_url=_url("matching:job", job_id=found.uuid),
        template_context={"employer": found.employer, "job": found},
    )


def _url(name, **kwargs):
    return reverse(name, kwargs=kwargs)


# Jobs -----------------------------------------------------------------------------------------------------


def _job_form(request, employer, job=None):
    initial = None
    if job is not None:
        initial = {
            "base_version": job.version,
            **{
                f: getattr(job, f)
                for f in ("title", "occupation", "hours", "contract", "city", "requirements")
            },
            "is_open": job.is_open,
            **{f"fd_{key}": text for key, text in (job.functional_demands or {}).items()},
        }
    form = JobForm(posted(request), initial=initial)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        data = form.job_data()
        base_version = data.pop("base_version")
        outcome = call_service(
            form,
            lambda: (
                services.job_create(actor=request.user, employer=employer, **data)
                if job is None
                else services.job_update(actor=request.user, job=job, base_version=base_version, **data)
            ),
        )
        if outcome.saved:
            messages.success(request, _("The job is saved."))
            return redirect("matching:job", job_id=outcome.result.uuid)
        conflict = outcome.conflict
    return render(
        request,
        "matching/job_form.html",
        {"form": form, "employer": employer, "job": job, "conflict": conflict},
        status=422 if (form.errors or conflict) else 200,
    )


@require_http_methods(["GET", "POST"])
def job_new(request, employer_id):
    return _job_form(request, _employer(request, employer_id))


@require_http_methods(["GET", "POST"])
def job_edit(request, job_id):
    found = _job(request, job_id)
    return _job_form(request, found.employer, found)


@require_GET
def job(request, job_id):
    """The job, its value profile, and the clients of the actor's caseload with their fit (each read of a
    client's fit is recorded)."""
    found = _job(request, job_id)
    result = selectors.job_fit(request.user, found)
    for row in result.rows:
        audit_read(actor=request.user, client=row.trajectory.client, obj=found, detail={"page": "job fit"})
    return render(
        request,
        "matching/job.html",
        {
            "job": found,
            "occupation": occupations.name(found.occupation),
            "attribution": occupations.attribution(),
            "demands": functional.rows(found.functional_demands),
            "demands_source": functional.source(),
            "profile": _profile_rows(result.values, found.profile, found.employer.profile),
            "result": result,
            "titles": result.values.titles() if result.values else {},
        },
    )


# A client's fit list --------------------------------------------------------------------------------------


FIT_PAGE_SIZE = 25


def _fit_page(request, trajectory, *, forms=None, status=200):
    result = selectors.client_fit(request.user, trajectory, request.GET.get("page"), FIT_PAGE_SIZE)
    dossier_read_record(actor=request.user, trajectory=trajectory, detail={"page": "fit"})
    forms = forms or {}
    page = result.page
    placements = selectors.trajectory_placements(trajectory)
    track = selectors.trajectory_employer(trajectory)
    availability = selectors.candidate_profile(trajectory.client)
    # Every decision taken for this client, whichever page of the ranking its job is on.
    decided = selectors.trajectory_proposals(trajectory)
    rows = []
    for row in result.rows:
        proposal = row.proposal
        initial = (
            {"base_version": proposal.version, "decision": proposal.decision, "reason": proposal.reason}
            if proposal
            else None
        )
        form = forms.get(row.job.pk) or DecisionForm(initial=initial, prefix=f"j{row.job.pk}")
        rows.append(
            {
                "row": row,
                "form": form,
                "may_share": bool(
                    proposal
                    and proposal.decision == "propose"
                    and proposal.response == ClientResponse.INTERESTED
                    and not proposal.shared_at
                    and row.job.employer.uuid in result.consented_parties
                ),
                "may_link": bool(
                    proposal
                    and proposal.shared_at
                    and not proposal.employer_responded_at
                    and proposal.response == ClientResponse.INTERESTED
                    and row.job.employer.uuid in result.consented_parties
                ),
            }
        )
    return render(
        request,
        "matching/fit.html",
        {
            "trajectory": trajectory,
            "client": trajectory.client,
            "result": result,
            "rows": rows,
            "page": page,
            "placements": placements,
            "decided": decided,
            "titles": result.values.titles() if result.values else {},
            "decisions": Decision.choices,
            "reason_max": REASON_MAX,
            "track": track,
            "availability": availability,
            "track_form": TrajectoryEmployerForm(
                initial={"employer": str(track.employer.uuid), "track": track.track} if track else None,
                employers=policies.visible_employers(request.user).values_list("uuid", "name"),
            ),
        },
        status=status,
    )


@require_GET
def fit(request, trajectory_id):
    return _fit_page(request, _trajectory(request, trajectory_id))


@require_POST
def decide(request, trajectory_id, job_id):
    trajectory = _trajectory(request, trajectory_id)
    found = _job(request, job_id)
    form = DecisionForm(posted(request), prefix=f"j{found.pk}")
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.proposal_decide(
                actor=request.user,
                trajectory=trajectory,
                job=found,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                base_version=form.cleaned_data["base_version"],
            ),
            conflict_on_form=True,  # the fit list shows no current version beside the form
        )
        if outcome.saved:
            messages.success(request, _("Your decision on %(job)s is saved.") % {"job": found.title})
            return redirect("matching:fit", trajectory_id=trajectory.uuid)
    return _fit_page(request, trajectory, forms={found.pk: form}, status=422)


@require_POST
def share(request, proposal_id):
    proposal = get_for_actor(
        policies.decidable_proposals(request.user).select_related("trajectory__client", "job__employer"),
        proposal_id,
        known=lambda: policies.visible_proposals(request.user),
        refusal=_refusal,
    )
    try:
        services.proposal_share(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Recorded: the candidate profile went to %(employer)s.")
            % {"employer": proposal.job.employer.name},
        )
    return redirect("matching:fit", trajectory_id=proposal.trajectory.uuid)


@require_GET
def candidate_profile(request, proposal_id):
    """What may go to the employer, without the client's name, contact details or anything about health:
    the work values the client finds important and how the job meets them. Only once the client answered
    "interested" and gave consent for this employer (or after it was shared)."""
    proposal = get_for_actor(
        policies.decidable_proposals(request.user).select_related(
            f"trajectory__client__{selectors.CANDIDATE_PROFILE}", "job__employer"
        ),
        proposal_id,
        known=lambda: policies.visible_proposals(request.user),
        refusal=_refusal,
    )
    if proposal.shared_at is None and not services.may_share(proposal):
        raise PermissionDeniedError(
            _(
                "Nothing goes to the employer before the client said they are interested and gave consent "
                "for sharing with this employer."
            )
        )
    dossier_read_record(actor=request.user, trajectory=proposal.trajectory, obj=proposal)
    values = selectors.work_values()
    titles = values.titles() if values else {}
    fit = proposal.fit or {}
    return render(
        request,
        "matching/candidate_profile.html",
        {
            "proposal": proposal,
            "job": proposal.job,
            "important": [titles.get(k, k) for k in fit.get("important", [])],
            "matched": [titles.get(k, k) for k in fit.get("matched", [])],
            "gaps": [titles.get(k, k) for k in fit.get("gaps", [])],
            "availability": selectors.candidate_profile(proposal.trajectory.client),
        },
    )


# The client's availability and strengths ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def availability(request, trajectory_id):
    """The client's availability and strengths in their own words, recorded by the professional with the
    client (the client writes the same in the portal). Who works on the open trajectory."""
    trajectory = _trajectory(request, trajectory_id)
    profile = selectors.candidate_profile(trajectory.client)
    dossier_read_record(actor=request.user, trajectory=trajectory, detail={"page": "availability"})
    form = CandidateProfileForm(posted(request), initial=CandidateProfileForm.initial_from(profile))
    conflict = ""
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.candidate_profile_save(
                actor=request.user,
                trajectory=trajectory,
                base_version=form.cleaned_data["base_version"],
                **form.values(),
            ),
        )
        if outcome.saved:
            messages.success(request, _("The availability and strengths are saved."))
            return redirect("matching:fit", trajectory_id=trajectory.uuid)
        conflict = outcome.conflict
    return render(
        request,
        "matching/availability.html",
        {
            "trajectory": trajectory,
            "client": trajectory.client,
            "profile": profile,
            "form": form,
            "conflict": conflict,
        },
        status=422 if (form.errors or conflict) else 200,
    )


# Placements and follow-ups --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def placement_new(request, trajectory_id):
    trajectory = _trajectory(request, trajectory_id)
    jobs = list(selectors.jobs(request.user, open_only=False).order_by("-is_open", "title", "id")[:500])
    form = PlacementForm(posted(request), jobs=jobs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        job = _job(request, data.pop("job"))
        outcome = call_service(
            form,
            lambda: services.placement_create(actor=request.user, trajectory=trajectory, job=job, **data),
        )
        if outcome.saved:
            messages.success(request, _("The placement is saved, with follow-ups at 1, 3, 6 and 12 months."))
            return redirect("matching:placement", placement_id=outcome.result.uuid)
    dossier_read_record(actor=request.user, trajectory=trajectory, detail={"page": "new placement"})
    return render(
        request,
        "matching/placement_form.html",
        {"form": form, "trajectory": trajectory, "client": trajectory.client},
        status=422 if form.errors else 200,
    )


def _placement(request, placement_id):
    return get_for_actor(
        Placement.objects.filter(trajectory__in=policies.placement_trajectories(request.user)).select_related(
            "trajectory__client", "job__employer", "created_by"
        ),
        placement_id,
    )


def _placement_page(request, placement, forms=None, status=200):
    dossier_read_record(actor=request.user, trajectory=placement.trajectory, obj=placement)
    may_record = policies.can_follow_up(request.user, placement.trajectory)
    forms = forms or {}
    follow_ups = []
    for follow_up in placement.follow_ups.select_related("recorded_by"):
        initial = {"done_on": follow_up.done_on or timezone.localdate()}
        if follow_up.done_on:
            initial |= {
                "still_working": "yes" if follow_up.still_working else "no",
                "hours": follow_up.hours,
                "client_satisfaction": follow_up.client_satisfaction or "",
                "employer_satisfaction": follow_up.employer_satisfaction or "",
                "note": follow_up.note,
            }
        form = forms.get(follow_up.pk) or FollowUpForm(initial=initial, prefix=f"f{follow_up.month}")
        follow_ups.append({"follow_up": follow_up, "form": form if may_record else None})
    return render(
        request,
        "matching/placement.html",
        {"placement": placement, "follow_ups": follow_ups, "client": placement.trajectory.client},
        status=status,
    )


@require_GET
def placement(request, placement_id):
    return _placement_page(request, _placement(request, placement_id))


@require_POST
def follow_up(request, follow_up_id):
    found = get_for_actor(
        FollowUp.objects.filter(
            placement__trajectory__in=policies.follow_up_trajectories(request.user)
        ).select_related("placement__trajectory__client", "placement__job__employer"),
        follow_up_id,
        known=lambda: FollowUp.objects.filter(
            placement__trajectory__in=policies.placement_trajectories(request.user)
        ),
        refusal=_("Only who works on this trajectory records its follow-ups."),
    )
    form = FollowUpForm(posted(request), prefix=f"f{found.month}")
    if form.is_valid():
        outcome = call_service(
            form, lambda: services.follow_up_record(actor=request.user, follow_up=found, **form.values())
        )
        if outcome.saved:
            messages.success(request, _("The follow-up is saved."))
            return redirect("matching:placement", placement_id=found.placement.uuid)
    placement = _placement(request, found.placement.uuid)
    return _placement_page(request, placement, forms={found.pk: form}, status=422)


# The employer's one-time link -------------------------------------------------------------------------------


def _link_made(request, link: EmployerLink, token: str):
    """The link, shown once: only its digest is stored. The professional sends it or shows it."""
    url = request.build_absolute_uri(reverse("matching:employer_link", args=[token]))
    response = render(
        request,
        "matching/link_made.html",
        {"link": link, "url": url, "job": link.job, "days": LINK_DAYS},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def job_link_new(request, job_id):
    """A one-time link for the employer to fill in this job's value profile."""
    found = _job(request, job_id)
    link, token = services.employer_link_create(actor=request.user, job=found)
    return _link_made(request, link, token)


@require_POST
def proposal_link_new(request, proposal_id):
    """A one-time link for the employer to see the candidate profile shared with it and answer."""
    proposal = get_for_actor(
        policies.decidable_proposals(request.user).select_related("trajectory__client", "job__employer"),
        proposal_id,
        known=lambda: policies.visible_proposals(request.user),
        refusal=_refusal,
    )
    try:
        link, token = services.employer_link_create(actor=request.user, job=proposal.job, proposal=proposal)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("matching:fit", trajectory_id=proposal.trajectory.uuid)
    return _link_made(request, link, token)


def _gone(request, reason: str, status: int):
    return render(request, "matching/link_gone.html", {"reason": reason}, status=status)


def _candidate_context(proposal) -> dict:
    values = selectors.work_values()
    titles = values.titles() if values else {}
    fit = proposal.fit or {}
    return {
        "important": [titles.get(k, k) for k in fit.get("important", [])],
        "matched": [titles.get(k, k) for k in fit.get("matched", [])],
        "gaps": [titles.get(k, k) for k in fit.get("gaps", [])],
        "availability": selectors.candidate_profile(proposal.trajectory.client),
    }


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def employer_link(request, token):
    """The employer's page behind its one-time link, without an account (B1, phone size): the job's value
    profile to fill in, or the candidate profile shared with it and its answer. Every view is in the access
    log with the link as the actor; the answer uses the link up."""
    try:
        link = services.employer_link_find(token)
    except EmployerLink.DoesNotExist:
        return _gone(request, "unknown", 404)
    except services.LinkGone as gone:
        return _gone(request, gone.reason, 410)
    actor = EmployerLinkActor(link)
    job = link.job
    if link.purpose == LinkPurpose.PROFILE:
        values = selectors.work_values()
        if values is None:
            return _gone(request, "unknown", 404)
        form = EmployerProfileForm(posted(request), titles=values.titles())
        audit_read(actor=actor, obj=job, detail={"page": "employer link"})
        if request.method == "POST" and form.is_valid():
            try:
                outcome = call_service(
                    form,
                    lambda: services.employer_link_profile(
                        link=link, scores=form.scores(), name=form.cleaned_data["name"]
                    ),
                )
            except services.LinkGone as gone:
                return _gone(request, gone.reason, 410)
            if outcome.saved:
                return render(request, "matching/link_done.html", {"job": job, "purpose": link.purpose})
        return render(
            request,
            "matching/link_profile.html",
            {"form": form, "job": job, "link": link},
            status=422 if form.errors else 200,
        )
    proposal = link.proposal
    form = EmployerAnswerForm(posted(request))
    audit_read(
        actor=actor,
        client=proposal.trajectory.client,
        obj=proposal,
        detail={"page": "employer link"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome = call_service(
                form, lambda: services.employer_link_answer(link=link, **form.cleaned_data)
            )
        except services.LinkGone as gone:
            return _gone(request, gone.reason, 410)
        if outcome.saved:
            return render(request, "matching/link_done.html", {"job": job, "purpose": link.purpose})
    return render(
        request,
        "matching/link_candidate.html",
        {"form": form, "job": job, "link": link, "proposal": proposal, **_candidate_context(proposal)},
        status=422 if form.errors else 200,
    )
