"""The functional administrator's pages for applications (docs/api.md): register one (its token shown
once), revoke it, its subscriptions and the delivery log."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.api import policies, services
from waardewerk.api.forms import ApplicationForm, SubscriptionForm
from waardewerk.core.access import require
from waardewerk.core.forms import call_service, posted


@require_GET
def applications(request):
    require(policies.can_manage_applications(request.user))
    rows = policies.manageable_applications(request.user).order_by("-revoked_at", "name")
    return render(request, "api/applications.html", {"applications": rows})


@never_cache
@require_http_methods(["GET", "POST"])
def application_new(request):
    require(policies.can_manage_applications(request.user))
    form = ApplicationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form, lambda: services.application_register(actor=request.user, **form.cleaned_data)
        )
        if outcome.saved:
            application, token = outcome.result
            # The token is shown on this answer only: it is not stored, and a reload asks again.
            return render(request, "api/application_token.html", {"application": application, "token": token})
    return render(request, "api/application_form.html", {"form": form}, status=422 if form.errors else 200)


def _application(request, application_id):
    require(policies.can_manage_applications(request.user))
    return get_object_or_404(policies.manageable_applications(request.user), uuid=application_id)


@never_cache
@require_http_methods(["GET", "POST"])
def application(request, application_id):
    found = _application(request, application_id)
    form = SubscriptionForm(posted(request))
    secret = None
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.subscription_add(actor=request.user, application=found, **form.cleaned_data),
        )
        if outcome.saved:
            _subscription, secret = outcome.result
            form = SubscriptionForm()
    subscriptions = found.subscriptions.order_by("event", "id")
    deliveries = (
        policies.visible_deliveries(request.user)
        .filter(subscription__application=found)
        .select_related("subscription")[:50]
    )
    context = {
        "application": found,
        "form": form,
        "secret": secret,
        "subscriptions": subscriptions,
        "deliveries": deliveries,
    }
    return render(request, "api/application.html", context, status=422 if form.errors else 200)


@require_POST
def application_revoke(request, application_id):
    found = _application(request, application_id)
    services.application_revoke(actor=request.user, application=found)
    messages.success(request, _("The application's token no longer works."))
    return redirect("api_admin:application", application_id=found.uuid)


@require_POST
def subscription_remove(request, subscription_id):
    require(policies.can_manage_applications(request.user))
    found = get_object_or_404(policies.manageable_subscriptions(request.user), uuid=subscription_id)
    services.subscription_remove(actor=request.user, subscription=found)
    messages.success(request, _("No more notifications are sent to this address."))
    return redirect("api_admin:application", application_id=found.application.uuid)
