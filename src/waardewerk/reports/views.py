"""The report pages: a page that explains the three versions, and the PDF itself."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from waardewerk.audit.services import audit_read, audit_record
from waardewerk.clients.models import ConsentKind
from waardewerk.clients.selectors import has_consent
from waardewerk.core import prepared as prepared_files
from waardewerk.core.access import get_for_actor
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.models import PreparedFile, PreparedStatus
from waardewerk.instruments.selectors import definitions_by_key
from waardewerk.reports import background, policies, rules, selectors, services
from waardewerk.reports.rules import Audience
from waardewerk.trajectories.policies import known_trajectories, visible_trajectories
from waardewerk.trajectories.selectors import readable_trajectory
from waardewerk.trajectories.services import dossier_read_record


def _choose_page(request, trajectory, *, error: str = "", status: int = 200):
    dossier_read_record(actor=request.user, trajectory=trajectory, detail={"page": "report"})
    definitions = definitions_by_key()
    return render(
        request,
        "reports/choose.html",
        {
            "trajectory": trajectory,
            "versions": [
                rules.described(audience, definitions) | {"filename": services.filename(trajectory, audience)}
                for audience in Audience.values
            ],
            "error": error,
            "employer_consent": has_consent(trajectory.client, ConsentKind.EMPLOYER),
        },
        status=status,
    )


@require_GET
def choose(request, trajectory_id):
    trajectory = readable_trajectory(
        request.user, trajectory_id, visible_trajectories(request.user).select_related("client")
    )
    if not policies.can_make_report(request.user, trajectory):
        raise PermissionDeniedError(policies.refusal_to_report(request.user, trajectory))
    return _choose_page(request, trajectory)


@require_GET
def trajectory_report(request, trajectory_id):
    trajectory = get_for_actor(
        selectors.report_queryset(request.user),
        trajectory_id,
        known=lambda: known_trajectories(request.user),
        refusal=lambda known: policies.refusal_to_report(request.user, known),
    )
    audience = request.GET.get("audience", "")
    language = request.GET.get("lang") or "nl"
    if audience not in Audience.values or language not in services.LANGUAGES:
        return _choose_page(
            request,
            trajectory,
            error=_(
                "Choose one of the three versions below: for the client's file, the commissioning party "
                "or the employer."
            )
            if audience not in Audience.values
            else _("The report can be made in Dutch or in English."),
            status=400,
        )
    try:
        pdf = services.report_print(
            actor=request.user, trajectory=trajectory, audience=audience, language=language
        )
    except services.ConsentMissing:
        return _choose_page(
            request,
            trajectory,
            error=_(
                "The employer version cannot be made: the client has not given consent to share "
                "information with the employer, or has withdrawn it. The client gives consent in the "
                "portal, or you record consent the client gave you on the trajectory's portal page."
            ),
            status=403,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=services.filename(trajectory, audience)
    )
    response["Cache-Control"] = "no-store"
    return response


# The report prepared in the background (core.prepared) ----------------------------------------------------


@require_POST
def prepare(request, trajectory_id):
    """Queue the report for the worker (or find the same request's job) and go to its status page."""
    trajectory = get_for_actor(
        selectors.report_queryset(request.user),
        trajectory_id,
        known=lambda: known_trajectories(request.user),
        refusal=lambda known: policies.refusal_to_report(request.user, known),
    )
    audience = request.POST.get("audience", "")
    language = request.POST.get("lang") or "nl"
    if audience not in Audience.values or language not in services.LANGUAGES:
        return _choose_page(
            request,
            trajectory,
            error=_("Choose one of the three versions below, in Dutch or in English."),
            status=422,
        )
    try:
        services.check_consent(trajectory, audience)
    except services.ConsentMissing:
        return _choose_page(
            request,
            trajectory,
            error=_(
                "The employer version cannot be made: the client has not given consent (or withdrew it)."
            ),
            status=403,
        )
    job, _created = prepared_files.request_file(
        actor=request.user,
        kind=background.KIND,
        params={"trajectory": str(trajectory.uuid), "audience": audience, "language": language},
        client_uuid=trajectory.client.uuid,
    )
    return redirect("reports:prepared", job_id=job.uuid)


def _job(request, job_id):
    return get_for_actor(PreparedFile.objects.filter(requested_by=request.user), job_id)


@require_GET
def prepared(request, job_id):
    """The status of a prepared file: refreshes itself (an HTML meta refresh, no script) until it is ready."""
    job = _job(request, job_id)
    expired = job.expires_at <= timezone.now()
    waiting = job.status in (PreparedStatus.WAITING, PreparedStatus.RUNNING) and not expired
    if job.client_uuid:
        audit_read(actor=request.user, client=job.client_uuid, detail={"page": "prepared file"})
    return render(
        request,
        "reports/prepared.html",
        {"job": job, "waiting": waiting, "expired": expired, "refresh_seconds": 3},
    )


@require_GET
def prepared_download(request, job_id):
    job = _job(request, job_id)
    if job.status != PreparedStatus.READY or job.expires_at <= timezone.now():
        return redirect("reports:prepared", job_id=job.uuid)
    audit_record(
        actor=request.user,
        action="export",
        client=job.client_uuid,
        object_type="core.preparedfile",
        detail={"kind": job.kind},
    )
    response = HttpResponse(prepared_files.content(job), content_type=job.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=job.filename)
    response["Cache-Control"] = "no-store"
    return response
