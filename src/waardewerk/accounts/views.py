from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from waardewerk.accounts import policies, selectors, services, totp
from waardewerk.accounts.decorators import require_recent_authentication
from waardewerk.accounts.forms import (
    ConfirmIdentityForm,
    LoginForm,
    RecoveryCodeForm,
    TOTPCodeForm,
    TwoFactorResetForm,
)
from waardewerk.accounts.middleware import (
    LOGIN_AT,
    REAUTH_AT,
    TWO_FACTOR_VERIFIED_AT,
    now_seconds,
    two_factor_mark_verified,
    url_with_next,
)
from waardewerk.accounts.models import User
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.forms import call_service

ISSUER = "Waardewerk"
ENROLMENT = "2fa_enrolment"  # session key: the public id of the set-up link the user opened


@require_GET
def organisation(request):
    if not policies.can_view_organisation(request.user):
        raise PermissionDenied
    return render(request, "accounts/organisation.html", selectors.organisation_overview(actor=request.user))


@require_GET
def background_tasks(request):
    if not policies.can_view_background_tasks(request.user):
        raise PermissionDenied
    return render(request, "accounts/background_tasks.html", selectors.background_tasks())


def _next_url(request) -> str:
    """The page to go to afterwards: ``next`` when it is on this site, else the start page."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def _locked_out(request, exc: services.AccountLockedError):
    logout(request)
    messages.error(request, exc.message)
    return redirect("login")


class LoginView(auth_views.LoginView):
    """Password first; then, when two-step verification applies, the code (or setting up the app)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        auth_login(self.request, user)  # a new session key; middleware.session_start starts the clocks
        if selectors.two_factor_required(user=user):
            step = "accounts:two_factor_verify"
            if not selectors.has_confirmed_totp_device(user=user):
                step = "accounts:two_factor_setup"
            return redirect(url_with_next(step, self.get_redirect_url() or None))
        return HttpResponseRedirect(self.get_success_url())


def _qr_svg(uri: str) -> str:
    """The provisioning URI as an inline QR code: one SVG path with presentation attributes and no style
    attribute or element, so the strict Content-Security-Policy allows it."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (generated path data only)


@never_cache
@require_GET
def two_factor(request):
    device = selectors.totp_device_for(user=request.user)
    confirmed = device if device and device.is_confirmed else None
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": confirmed,
            "required": settings.WAARDEWERK_REQUIRE_2FA,
            "codes_left": selectors.recovery_codes_left(user=request.user) if confirmed else 0,
        },
    )


def _enrolment_gate(request):
    """When two-step verification is required, the first set-up needs the set-up link an administrator
    made for this user (opened in this session) and a password typed within the last minutes. Returns
    (enrolment, None) when allowed, or (None, response)."""
    if not settings.WAARDEWERK_REQUIRE_2FA:
        return None, None
    enrolment = services.enrolment_open_for(user=request.user, enrolment_uuid=request.session.get(ENROLMENT))
    if enrolment is None:
        return None, render(request, "accounts/two_factor_link_needed.html", status=403)
    login_at = request.session.get(LOGIN_AT) or 0
    if now_seconds() - login_at > settings.WAARDEWERK_2FA_ENROLMENT_MINUTES * 60:
        # Re-authentication: log in again; the link stays opened in the new session.
        logout(request)
        request.session[ENROLMENT] = str(enrolment.uuid)
        messages.info(request, _("Log in again to set up two-step verification."))
        return None, redirect(url_with_next("login", reverse("accounts:two_factor_setup")))
    return enrolment, None


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if selectors.has_confirmed_totp_device(user=request.user):
        messages.info(request, _("Two-step verification is already on."))
        return redirect("accounts:two_factor")
    enrolment, refused = _enrolment_gate(request)
    if refused is not None:
        return refused
    device = services.totp_device_start(user=request.user)
    form = TOTPCodeForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.totp_device_confirm(
                user=request.user, code=form.cleaned_data["code"], enrolment=enrolment
            ),
        )
        if outcome.saved:
            request.session.pop(ENROLMENT, None)
            two_factor_mark_verified(request)
            messages.success(request, _("Two-step verification is on. From now on you log in with a code."))
            codes = services.recovery_codes_generate(user=request.user)
            return _show_recovery_codes(request, codes, next_url=_next_url(request))
    uri = totp.provisioning_uri(device.secret, account=request.user.get_username(), issuer=ISSUER)
    context = {"form": form, "secret": totp.grouped(device.secret), "qr_svg": _qr_svg(uri), "next": next_url}
    return render(request, "accounts/two_factor_setup.html", context, status=422 if form.errors else 200)


@login_not_required
@never_cache
@require_GET
def two_factor_enrol(request, token):
    """The set-up link from the administrator: remember it in the session and go on to the set-up (after
    logging in). Opening it uses nothing up; the set-up does."""
    enrolment = services.enrolment_find(token)
    user = request.user
    if enrolment is None or (user.is_authenticated and enrolment.user_id != user.pk):
        return render(request, "accounts/two_factor_link_gone.html", status=404)
    request.session[ENROLMENT] = str(enrolment.uuid)
    setup = reverse("accounts:two_factor_setup")
    return redirect(setup if user.is_authenticated else url_with_next("login", setup))


def _show_recovery_codes(request, codes, *, next_url):
    return render(request, "accounts/recovery_codes_new.html", {"codes": codes, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if not selectors.has_confirmed_totp_device(user=request.user):
        return redirect(url_with_next("accounts:two_factor_setup", request.GET.get("next")))
    if request.session.get(TWO_FACTOR_VERIFIED_AT):
        return redirect(_next_url(request))
    form = TOTPCodeForm(request.POST or None)
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.two_factor_verify(
                user=request.user, code=form.cleaned_data["code"], ip=services.client_ip(request)
            ),
        )
        if isinstance(outcome.error, services.AccountLockedError):
            return _locked_out(request, outcome.error)
        if outcome.saved:
            two_factor_mark_verified(request)
            return redirect(_next_url(request))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/two_factor_verify.html", context, status=422 if form.errors else 200)


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def confirm(request):
    with_code = selectors.two_factor_required(user=request.user)
    form = ConfirmIdentityForm(request.POST or None, with_code=with_code)
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.reauthentication_confirm(
                request=request,
                password=form.cleaned_data["password"],
                code=form.cleaned_data.get("code", ""),
            ),
        )
        if isinstance(outcome.error, services.AccountLockedError):
            return _locked_out(request, outcome.error)
        if outcome.saved:
            request.session[REAUTH_AT] = now_seconds()
            return redirect(_next_url(request))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/confirm.html", context, status=422 if form.errors else 200)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_recovery(request):
    """The second login step with a recovery code, for a user without their phone."""
    if not selectors.has_confirmed_totp_device(user=request.user):
        return redirect(url_with_next("accounts:two_factor_verify", request.GET.get("next")))
    if request.session.get(TWO_FACTOR_VERIFIED_AT):
        return redirect(_next_url(request))
    form = RecoveryCodeForm(request.POST or None)
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.two_factor_recover(
                user=request.user, code=form.cleaned_data["code"], ip=services.client_ip(request)
            ),
        )
        if isinstance(outcome.error, services.AccountLockedError):
            return _locked_out(request, outcome.error)
        if outcome.saved:
            left = outcome.result
            two_factor_mark_verified(request)
            messages.warning(
                request,
                _(
                    "You logged in with a recovery code. You have %(left)d left. Lost your phone? Ask your "
                    "functional administrator to reset two-step verification."
                )
                % {"left": left},
            )
            return redirect(_next_url(request))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/two_factor_recovery.html", context, status=422 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@require_recent_authentication
def recovery_codes(request):
    """New recovery codes (the earlier ones stop working), after typing the password again."""
    if not selectors.has_confirmed_totp_device(user=request.user):
        return redirect("accounts:two_factor")
    if request.method == "POST":
        codes = services.recovery_codes_generate(user=request.user)
        return _show_recovery_codes(request, codes, next_url=reverse("accounts:two_factor"))
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes_left": selectors.recovery_codes_left(user=request.user)},
    )


def _admin_user(request, user_id):
    """The user whose second factor the administrator manages: 403 for anyone else, 404 outside the
    administrator's organisation; the administrator's own session must have passed the second factor."""
    if not policies.can_view_organisation(request.user):
        raise PermissionDenied
    target = get_object_or_404(User, uuid=user_id, organisation=request.user.organisation_id)
    if not policies.can_reset_two_factor(request.user, target):
        raise PermissionDenied
    return target


@never_cache
@require_http_methods(["GET", "POST"])
def user_two_factor(request, user_id):
    """Check the administrator first (role, organisation, second factor), then ask for the password."""
    target = _admin_user(request, user_id)
    if not request.session.get(TWO_FACTOR_VERIFIED_AT):
        return redirect(f"{reverse('accounts:two_factor')}?next={quote(request.get_full_path())}")
    return _user_two_factor(request, target)


@require_recent_authentication
def _user_two_factor(request, target):
    form = TwoFactorResetForm(request.POST or None)
    context = {
        "target": target,
        "form": form,
        "device": selectors.totp_device_for(user=target),
        "codes_left": selectors.recovery_codes_left(user=target),
    }
    if form.is_valid():
        try:
            outcome = call_service(
                form,
                lambda: services.two_factor_reset(
                    actor=request.user, user=target, reason=form.cleaned_data["reason"]
                ),
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        if outcome.saved:
            enrolment, token = outcome.result
            link = request.build_absolute_uri(reverse("accounts:two_factor_enrol", args=[token]))
            context |= {"link": link, "enrolment": enrolment}
            return render(request, "accounts/user_two_factor_link.html", context)
    return render(request, "accounts/user_two_factor.html", context, status=422 if form.errors else 200)
