from django import forms
from django.utils.translation import gettext_lazy as _

from waardewerk.core.forms import DateInput, UtrechtFormMixin
from waardewerk.privacy.models import RequestKind, RequestStatus, RetentionAction


class FindClientForm(UtrechtFormMixin, forms.Form):
    bsn = forms.CharField(label=_("BSN"), max_length=9, min_length=8, required=False)
    public_id = forms.UUIDField(
        label=_("Client number (public id)"),
        required=False,
        help_text=_("As in the address of the client's dossier, e.g. 3f0c9e2a-7d4b-4c1e-9a5f-0b6d8c2e1a47."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("bsn") and not data.get("public_id"):
            raise forms.ValidationError(_("Give a BSN or a client number."))
        return data


class HoldForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the legal hold"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: objection and appeal pending (Awb), a court case, a complaint at the AP."),
    )


class LiftForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for lifting"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequestForm(UtrechtFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    description = forms.CharField(
        label=_("What the client asks"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class HandleForm(UtrechtFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=RequestStatus.choices)
    handling = forms.CharField(
        label=_("Handling notes"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    answer = forms.CharField(
        label=_("Answer to the client"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    extend_reason = forms.CharField(
        label=_("Extend the deadline by two months, because"),
        max_length=500,
        required=False,
        help_text=_(
            "Only for a complex or large request; tell the client within the first month (GDPR art. 12(3))."
        ),
    )


class TermForm(UtrechtFormMixin, forms.Form):
    """One rule's term; on the page each rule's form has the rule's key as its prefix."""

    days = forms.IntegerField(label=_("Term (days)"), min_value=1, max_value=100_000)
    action = forms.ChoiceField(label=_("Action"), choices=RetentionAction.choices)
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        help_text=_("For example: the selection list or decision this term follows."),
    )

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, prefix=rule.key, **kwargs)
        self.rule = rule
        self.fields["action"].choices = [c for c in RetentionAction.choices if c[0] in rule.allowed_actions]


class RejectForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ItemResult:
    """What became of a file on a destruction list (the list page's filter)."""

    WAITING = "waiting"
    DONE = "done"
    REFUSED = "refused"


class ItemFilterForm(UtrechtFormMixin, forms.Form):
    """The destruction list page's filters: the action and what became of the file."""

    show_optional = False  # every filter is optional; the label needs no "(optional)"
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Every action"))]
        + [c for c in RetentionAction.choices if c[0] != RetentionAction.NONE],
    )
    result = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[
            ("", _("All results")),
            (ItemResult.WAITING, _("not yet")),
            (ItemResult.DONE, _("done")),
            (ItemResult.REFUSED, _("not carried out")),
        ],
    )
