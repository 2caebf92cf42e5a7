"""The functional administrator's pages for the organisation's users and teams (docs/authorization.md,
"Objects"), and the page where a user sets their password with the link the administrator sent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from waardewerk.accounts import policies, services
from waardewerk.accounts.forms import SetPasswordForm, TeamForm, UserForm
from waardewerk.accounts.models import User
from waardewerk.core.forms import call_service, posted


def _require(request):
    if not policies.can_manage_users(request.user):
        raise PermissionDenied


def _user(request, user_id) -> User:
    _require(request)
    return get_object_or_404(policies.manageable_users(request.user).prefetch_related("teams"), uuid=user_id)


def _teams(request):
    return policies.manageable_teams(request.user).order_by("name")


@require_http_methods(["GET", "POST"])
def user_new(request):
    _require(request)
    form = UserForm(posted(request), teams=_teams(request))
    if request.method == "POST" and form.is_valid():
        outcome = call_service(form, lambda: services.user_create(actor=request.user, data=form.cleaned_data))
        if outcome.saved:
            user = outcome.result
            messages.success(
                request,
                _("%(name)s is added. Send a link to set a password when the e-mail address is right.")
                % {"name": user},
            )
            return redirect("accounts:user", user_id=user.uuid)
    return render(request, "accounts/user_form.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def user_edit(request, user_id):
    target = _user(request, user_id)
    initial = {
        "first_name": target.first_name,
        "last_name": target.last_name,
        "email": target.email,
        "role": target.role,
        "profession": target.profession,
        "teams": [t.uuid for t in target.teams.all()],
        "seen": services._seen(target),
    }
    form = UserForm(posted(request), initial=initial, teams=_teams(request), editing=target)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        outcome = call_service(
            form,
            lambda: services.user_update(
                actor=request.user, user=target, data=data, seen=data.pop("seen", "")
            ),
            conflict_on_form=True,
        )
        if outcome.saved:
            messages.success(request, _("The changes are saved."))
            return redirect("accounts:user", user_id=target.uuid)
    context = {
        "form": form,
        "target": target,
        "can_deactivate": policies.can_deactivate_user(request.user, target),
    }
    return render(request, "accounts/user_form.html", context, status=422 if form.errors else 200)


@require_POST
def user_active(request, user_id):
    target = _user(request, user_id)
    active = request.POST.get("active") == "yes"
    services.user_set_active(actor=request.user, user=target, active=active)
    if active:
        messages.success(request, _("%(name)s can log in again.") % {"name": target})
    else:
        messages.success(request, _("%(name)s can no longer log in. Their history stays.") % {"name": target})
    return redirect("accounts:user", user_id=target.uuid)


@require_POST
def password_link(request, user_id):
    target = _user(request, user_id)
    try:
        services.password_link_send(
            actor=request.user,
            user=target,
            link_for=lambda user, token: request.build_absolute_uri(
                reverse("accounts:password_set", args=[user.uuid, token])
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The link to set a password is sent to %(email)s.") % {"email": target.email}
        )
    return redirect("accounts:user", user_id=target.uuid)


@require_http_methods(["GET", "POST"])
def team_new(request):
    return _team_form(request, None)


@require_http_methods(["GET", "POST"])
def team_edit(request, team_id):
    _require(request)
    team = get_object_or_404(policies.manageable_teams(request.user), uuid=team_id)
    return _team_form(request, team)


def _team_form(request, team):
    _require(request)
    initial = {"name": team.name, "kind": team.kind} if team else {}
    form = TeamForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form, lambda: services.team_save(actor=request.user, team=team, **form.cleaned_data)
        )
        if outcome.saved:
            messages.success(request, _("The team is saved."))
            return redirect("accounts:organisation")
    return render(
        request, "accounts/team_form.html", {"form": form, "team": team}, status=422 if form.errors else 200
    )


@login_not_required
@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def password_set(request, user_id, token):
    """Set a password with the link from the administrator: the same 404 for an unknown user and a link
    that no longer works, so the page tells nothing about who has an account."""
    user = User.objects.filter(uuid=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise Http404
    form = SetPasswordForm(user, posted(request))
    if request.method == "POST" and form.is_valid():
        outcome = call_service(
            form,
            lambda: services.password_set(
                user=user, token=token, password=form.cleaned_data["new_password1"]
            ),
        )
        if outcome.saved:
            messages.success(
                request, _("Your password is set. Log in with your user name and the new password.")
            )
            return redirect("login")
    return render(
        request,
        "accounts/password_set.html",
        {"form": form, "target": user},
        status=422 if form.errors else 200,
    )
