import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from waardewerk.accounts import policies, selectors, services, totp
from waardewerk.accounts.forms import ConfirmIdentityForm, LoginForm, TOTPCodeForm
from waardewerk.accounts.middleware import (
    REAUTH_AT,
    TWO_FACTOR_VERIFIED_AT,
    now_seconds,
    two_factor_mark_verified,
    url_with_next,
)

ISSUER = "Waardewerk"


@require_GET
def organisation(request):
    if not policies.can_view_organisation(request.user):
        raise PermissionDenied
    return render(request, "accounts/organisation.html", selectors.organisation_overview(actor=request.user))


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
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device if device and device.is_confirmed else None,
            "required": settings.WAARDEWERK_REQUIRE_2FA,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if selectors.has_confirmed_totp_device(user=request.user):
        messages.info(request, _("Two-step verification is already on."))
        return redirect("accounts:two_factor")
    device = services.totp_device_start(user=request.user)
    form = TOTPCodeForm(request.POST or None)
    if form.is_valid():
        try:
            services.totp_device_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            two_factor_mark_verified(request)
            messages.success(request, _("Two-step verification is on. From now on you log in with a code."))
            return redirect(_next_url(request))
    uri = totp.provisioning_uri(device.secret, account=request.user.get_username(), issuer=ISSUER)
    context = {
        "form": form,
        "secret": totp.grouped(device.secret),
        "qr_svg": _qr_svg(uri),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=422 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if not selectors.has_confirmed_totp_device(user=request.user):
        return redirect(url_with_next("accounts:two_factor_setup", request.GET.get("next")))
    if request.session.get(TWO_FACTOR_VERIFIED_AT):
        return redirect(_next_url(request))
    form = TOTPCodeForm(request.POST or None)
    if form.is_valid():
        try:
            services.two_factor_verify(
                user=request.user, code=form.cleaned_data["code"], ip=services.client_ip(request)
            )
        except services.AccountLockedError as exc:
            return _locked_out(request, exc)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
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
        try:
            services.reauthentication_confirm(
                request=request,
                password=form.cleaned_data["password"],
                code=form.cleaned_data.get("code", ""),
            )
        except services.AccountLockedError as exc:
            return _locked_out(request, exc)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            request.session[REAUTH_AT] = now_seconds()
            return redirect(_next_url(request))
    context = {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")}
    return render(request, "accounts/confirm.html", context, status=422 if form.errors else 200)
