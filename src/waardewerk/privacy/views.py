"""The privacy pages of the functional administrator (docs/privacy.md): the retention plan, legal holds,
data-subject requests and erasure. Every page that shows a client's data writes a read to the access log."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.audit.services import audit_read, audit_reads, audit_record
from waardewerk.core import crypto
from waardewerk.core.access import get_for_actor, require
from waardewerk.core.confirm import confirmation_page, confirmed
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.core.forms import call_service, posted, valid_filters
from waardewerk.core.pagination import page_with_total
from waardewerk.core.retention import BY_KEY, RULES
from waardewerk.portal import export
from waardewerk.privacy import policies, selectors, services, tasks
from waardewerk.privacy.forms import (
    FindClientForm,
    HandleForm,
    HoldForm,
    ItemFilterForm,
    LiftForm,
    RejectForm,
    RequestForm,
    TermForm,
)
from waardewerk.privacy.models import (
    DataSubjectRequest,
    DestructionStatus,
    ErasureRecord,
    LegalHold,
    RequestKind,
)


@require_http_methods(["GET", "POST"])
def overview(request):
    require(policies.can_manage_privacy(request.user))
    actor = request.user
    form = FindClientForm(posted(request))
    if request.method == "POST" and form.is_valid():
        clients = policies.privacy_clients(actor)
        if form.cleaned_data.get("public_id"):
            found = clients.filter(uuid=form.cleaned_data["public_id"]).first()
        else:
            found = clients.filter(bsn_index__in=crypto.blind_indexes(form.cleaned_data["bsn"])).first()
        audit_record(actor=actor, action="search", object_type="clients.client", detail={"page": "privacy"})
        if found is not None:
            return redirect("privacy:client", client_id=found.uuid)
        form.add_error(None, _("No client of your organisation has this BSN or number."))
    requests = list(
        policies.managed_requests(actor)
        .exclude(status__in=["granted", "partly", "refused"])
        .select_related("client")
        .order_by("deadline", "id")[:100]
    )
    holds = list(
        policies.managed_holds(actor).filter(lifted_at__isnull=True).select_related("client", "set_by")[:100]
    )
    erasures = list(ErasureRecord.objects.filter(organisation_id=actor.organisation_id)[:20])
    for shown in {r.client for r in requests if r.client} | {h.client for h in holds}:
        audit_read(actor=actor, client=shown, detail={"page": "privacy overview"})
    return render(
        request,
        "privacy/overview.html",
        {
            "form": form,
            "plan": services.plan(organisation_id=actor.organisation_id),
            "rules": RULES,
            "requests": requests,
            "holds": holds,
            "erasures": erasures,
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )


def _client(request, client_id):
    return get_for_actor(
        policies.privacy_clients(request.user),
        client_id,
        known=lambda: policies.known_privacy_clients(request.user),
        refusal=_("Only the functional administrator handles legal holds and requests about personal data."),
    )


def _client_page(request, client, *, hold_form=None, request_form=None, status=200):
    audit_read(actor=request.user, client=client, detail={"page": "privacy"})
    return render(
        request,
        "privacy/client.html",
        {
            "client": client,
            "holds": list(LegalHold.objects.filter(client=client).select_related("set_by", "lifted_by")),
            "requests": list(
                DataSubjectRequest.objects.filter(client=client).order_by("-received_on", "-id")
            ),
            "hold_form": hold_form or HoldForm(),
            "lift_form": LiftForm(),
            "request_form": request_form or RequestForm(initial={"received_on": timezone.localdate()}),
        },
        status=status,
    )


@require_GET
def client(request, client_id):
    return _client_page(request, _client(request, client_id))


@require_POST
def hold_set(request, client_id):
    found = _client(request, client_id)
    form = HoldForm(request.POST)
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.hold_set(actor=request.user, client=found, reason=form.cleaned_data["reason"]),
        )
        if outcome.saved:
            messages.success(request, _("The legal hold is set: the file will not be erased while it lasts."))
            return redirect("privacy:client", client_id=found.uuid)
    return _client_page(request, found, hold_form=form, status=422)


@require_POST
def hold_lift(request, hold_id):
    hold = get_for_actor(policies.managed_holds(request.user).select_related("client"), hold_id)
    form = LiftForm(request.POST)
    if form.is_valid():
        if not confirmed(request):
            return confirmation_page(
                request,
                title=_("Lift the legal hold?"),
                consequences=[
                    _(
                        "The file can then be erased when its retention term has passed, "
                        "by the next daily run."
                    )
                ],
                confirm_label=_("Yes, lift the legal hold"),
                cancel_url=reverse("privacy:client", args=[hold.client.uuid]),
            )
        try:
            services.hold_lift(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
        except (ValidationError, ConcurrentEditError) as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The legal hold is lifted."))
        return redirect("privacy:client", client_id=hold.client.uuid)
    return _client_page(request, hold.client, status=422)


@require_POST
def request_new(request, client_id):
    found = _client(request, client_id)
    form = RequestForm(request.POST)
    if form.is_valid():
        outcome = call_service(
            form, lambda: services.request_register(actor=request.user, client=found, **form.cleaned_data)
        )
        if outcome.saved:
            created = outcome.result
            messages.success(
                request,
                _("The request is registered. Answer it by %(date)s.")
                % {"date": created.deadline.strftime("%d-%m-%Y")},
            )
            return redirect("privacy:request", request_id=created.uuid)
    return _client_page(request, found, request_form=form, status=422)


def _request(request, request_id):
    return get_for_actor(policies.managed_requests(request.user).select_related("client"), request_id)


@require_http_methods(["GET", "POST"])
def request_detail(request, request_id):
    found = _request(request, request_id)
    initial = {
        "version": found.version,
        "status": found.status,
        "handling": found.handling,
        "answer": found.answer,
    }
    form = HandleForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.request_update(actor=request.user, found=found, **form.cleaned_data),
            conflict_on_form=True,
        )
        if outcome.saved:
            messages.success(request, _("The request is saved."))
            return redirect("privacy:request", request_id=found.uuid)
    if found.client is not None:
        audit_read(actor=request.user, client=found.client, obj=found, detail={"page": "privacy request"})
    return render(
        request,
        "privacy/request.html",
        {
            "found": found,
            "form": form,
            "is_access": found.kind == RequestKind.ACCESS,
            "is_erasure": found.kind == RequestKind.ERASURE,
            "refusal": services.erasure_refusal(found.client) if found.client else "",
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )


@require_GET
def request_export(request, request_id):
    """The client's data for a request for access: the same collection as "Mijn gegevens" in the portal."""
    found = _request(request, request_id)
    if found.client is None:
        return redirect("privacy:request", request_id=found.uuid)
    data = export.collect(found.client)
    audit_record(
        actor=request.user,
        action="export",
        client=found.client,
        obj=found,
        detail={"format": "json", "page": "privacy request"},
    )
    response = HttpResponse(export.to_json(data), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="gegevens-{found.client.uuid}.json"'
    return response


@require_POST
def request_erase(request, request_id):
    found = _request(request, request_id)
    if not confirmed(request):
        return confirmation_page(
            request,
            title=_("Erase the client's whole file?"),
            consequences=[
                _("Every trajectory with all its notes, measurements, plans and agreements is destroyed."),
                _("The portal account and the consents are destroyed."),
                _("This cannot be undone. The access log keeps that it happened, not what the file held."),
            ],
            confirm_label=_("Yes, erase the file"),
            cancel_url=reverse("privacy:request", args=[found.uuid]),
        )
    services.request_erase(actor=request.user, found=found)
    messages.success(request, _("The file is erased and the request is answered."))
    return redirect("privacy:request", request_id=found.uuid)


# The organisation's retention terms -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def retention(request):
    """The retention rules as they apply to the organisation: the installation's default and its source, the
    bounds and theirs, the organisation's own term and action, and every change with who, when and why."""
    require(policies.can_manage_privacy(request.user))
    actor = request.user
    terms = services.terms_for(actor.organisation_id)
    posted_form = None
    status = 200
    if request.method == "POST":
        term = terms.get(request.POST.get("rule", ""))
        if term is None or not term.rule.editable:
            messages.error(request, _("Choose a rule whose term the organisation sets."))
            status = 422
        else:
            posted_form = TermForm(request.POST, rule=term.rule)
            if posted_form.is_valid():
                outcome = call_service(
                    posted_form,
                    lambda: services.term_set(actor=actor, rule_key=term.key, **posted_form.cleaned_data),
                )
                if outcome.saved:
                    messages.success(request, _("The term is saved. The next daily run uses it."))
                    return redirect("privacy:retention")
            status = 422
    history = list(services.term_history(actor.organisation_id)[:100])
    for change in history:
        change.rule_kind = BY_KEY[change.rule].kind if change.rule in BY_KEY else change.rule
    rows = []
    for term in terms.values():
        if not term.rule.editable:
            form = None
        elif posted_form is not None and posted_form.rule.key == term.key:
            form = posted_form
        else:
            form = TermForm(initial={"days": term.days, "action": term.action}, rule=term.rule)
        rows.append({"term": term, "form": form})
    return render(
        request,
        "privacy/retention.html",
        {"rows": rows, "history": history},
        status=status,
    )


# Destruction lists ----------------------------------------------------------------------------------------


@require_GET
def destruction_lists(request):
    require(policies.can_approve_destruction(request.user))
    lists = list(
        policies.destruction_lists(request.user).select_related(
            "admin_approved_by", "second_approved_by", "rejected_by"
        )[:50]
    )
    return render(request, "privacy/destruction_lists.html", {"lists": lists})


def _list(request, list_id):
    return get_for_actor(
        policies.destruction_lists(request.user).select_related(
            "admin_approved_by", "second_approved_by", "rejected_by"
        ),
        list_id,
    )


def _list_page(request, found, *, reject_form=None, status=200):
    """The list page: the files counted per action and per result on top (one query), then one page of the
    files, narrowed by the filters. Only the files shown are read (and logged); an approval is of the whole
    list, whatever page was shown."""
    form = ItemFilterForm(request.GET or None)
    filters = valid_filters(form)
    items = selectors.destruction_items(
        found, action=filters.get("action", ""), result=filters.get("result", "")
    ).select_related("erasure")
    page = page_with_total(items, settings.WAARDEWERK_PAGE_SIZE, request.GET.get("page"))
    # The list names clients by public id: a read of client data, for the files on this page.
    audit_reads(
        actor=request.user,
        reads=[(item.client_uuid, None) for item in page.object_list],
        object_type="privacy.destructionlist",
        detail={"page": "destruction list", "list": str(found.uuid), "list_page": page.number},
    )
    is_admin = policies.can_manage_privacy(request.user)
    waiting = found.status == DestructionStatus.PROPOSED
    mine = (found.admin_approved_by_id if is_admin else found.second_approved_by_id) is not None
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "privacy/destruction_list.html",
        {
            "found": found,
            "summary": selectors.destruction_summary(found),
            "form": form,
            "page": page,
            "items": page.object_list,
            "filtered": any(filters.values()),
            "query_string": query_string.urlencode(),
            "may_approve": waiting and not mine,
            "may_reject": waiting,
            "reject_form": reject_form or RejectForm(),
        },
        status=status,
    )


@require_GET
def destruction_list(request, list_id):
    return _list_page(request, _list(request, list_id))


@require_POST
def destruction_approve(request, list_id):
    found = _list(request, list_id)
    try:
        found = services.approve(actor=request.user, destruction_list=found)
    except (PermissionDeniedError, ConcurrentEditError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("privacy:destruction_lists")
    if found.status == DestructionStatus.APPROVED:
        tasks.carry_out_list.enqueue(str(found.uuid))
        messages.success(request, _("The list is approved by two people and is carried out now."))
    else:
        messages.success(request, _("Your approval is saved. The list waits for the second approval."))
    return redirect("privacy:destruction_list", list_id=found.uuid)


@require_POST
def destruction_reject(request, list_id):
    found = _list(request, list_id)
    form = RejectForm(request.POST)
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.reject(
                actor=request.user, destruction_list=found, reason=form.cleaned_data["reason"]
            ),
        )
        if outcome.conflict:
            messages.error(request, outcome.conflict)
            return redirect("privacy:destruction_list", list_id=found.uuid)
        if outcome.saved:
            messages.success(request, _("The list is rejected. Nothing on it is destroyed."))
            return redirect("privacy:destruction_list", list_id=found.uuid)
    return _list_page(request, found, reject_form=form, status=422)
