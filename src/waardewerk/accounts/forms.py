from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from waardewerk.accounts import services
from waardewerk.accounts.models import OrganisationKind, Profession, Role
from waardewerk.core.forms import UtrechtFormMixin


class LoginForm(UtrechtFormMixin, AuthenticationForm):
    """Password login with the lockout (``services.login_authenticate``): the same neutral message for an
    unknown user name as for a wrong password, and a locked user name is refused even with the right one."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = services.login_authenticate(
                request=self.request, username=username, password=password
            )
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


def _code_field():
    return forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The 6 digits your authenticator app shows now."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}),
    )


def _clean_code(value: str) -> str:
    code = "".join(value.split())
    if len(code) != 6 or not code.isdigit():
        raise ValidationError(_("Type the 6 digits of the code."), code="format")
    return code


class TOTPCodeForm(UtrechtFormMixin, forms.Form):
    code = _code_field()

    def clean_code(self):
        return _clean_code(self.cleaned_data["code"])


class ConfirmIdentityForm(UtrechtFormMixin, forms.Form):
    """Password again, and a code when two-step verification is on (``with_code``)."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _code_field()

    def __init__(self, *args, with_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]

    def clean_code(self):
        return _clean_code(self.cleaned_data["code"])


class RecoveryCodeForm(UtrechtFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        max_length=30,
        help_text=_("One of the codes you saved when you set up two-step verification, e.g. 7K3M-Q9XA-2PRD."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = services.normalise_recovery_code(self.cleaned_data["code"])
        if len(code) != services.RECOVERY_CODE_LENGTH:
            raise ValidationError(_("A recovery code has 12 letters and digits."), code="format")
        return code


class TwoFactorResetForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For the access log, e.g. “new phone” or “lost phone, reported by telephone”."),
    )


class TeamsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class UserForm(UtrechtFormMixin, forms.Form):
    """A user of the organisation, made or changed by the functional administrator. ``seen`` is the moment
    the user was last saved when the form was opened: a change in between is refused, not overwritten."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and . @ + - _ only. It cannot be changed later."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Needed to send a link for setting a password."),
    )
    role = forms.ChoiceField(label=_("Role"))
    profession = forms.ChoiceField(label=_("Profession"), required=False)
    teams = TeamsField(label=_("Teams"), queryset=None, required=False, to_field_name="uuid")
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, teams, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
        self.fields["profession"].choices = [("", "–"), *Profession.choices]
        self.fields["teams"].queryset = teams
        if editing is not None:
            del self.fields["username"]


class TeamForm(UtrechtFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "–"), *OrganisationKind.choices]


class SetPasswordForm(UtrechtFormMixin, auth_forms.SetPasswordForm):
    """Setting a password from the administrator's link (Django's form: the password validators apply)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
