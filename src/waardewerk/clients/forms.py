from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.clients.models import Client
from waardewerk.clients.validators import validate_bsn, validate_date_of_birth
from waardewerk.core.forms import DateInput, UtrechtFormMixin


class ClientForm(UtrechtFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    infix = forms.CharField(
        label=_("Infix"), max_length=30, required=False, help_text=_("For example: van, de, van der.")
    )
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=DateInput(), validators=[validate_date_of_birth]
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=30, required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^\s*[1-9][0-9]{3}\s?[A-Za-z]{2}\s*$",
        required=False,
        error_messages={"invalid": _("Enter a Dutch postal code, for example 1234 AB.")},
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    bsn = forms.CharField(
        label=_("BSN (citizen service number)"),
        max_length=11,
        required=False,
        validators=[validate_bsn],
        help_text=_("Optional. Lists never show the full number."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, editing: Client | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, token in {
            "first_name": "given-name",
            "last_name": "family-name",
            "email": "email",
            "phone": "tel",
            "street": "street-address",
            "postal_code": "postal-code",
            "city": "address-level2",
        }.items():
            self.fields[name].widget.attrs["autocomplete"] = token
        if editing is not None and editing.bsn:
            self.fields["bsn"].help_text = _(
                "A BSN is stored (%(masked)s). Leave empty to keep it; type a new one to replace it."
            ) % {"masked": editing.bsn_masked}


class ClientEditForm(ClientForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ClientRegisterForm(ClientForm):
    """Registering: the client's data, and the confirmation that someone with the same name and date of birth
    is another person (shown only after the warning)."""

    confirm_duplicate = forms.BooleanField(
        label=_("This is another person: register anyway"),
        required=False,
    )
