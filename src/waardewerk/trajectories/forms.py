from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waardewerk.core.forms import DateInput, PlainSelect, UtrechtFormMixin, apply_limits
from waardewerk.trajectories import policies
from waardewerk.trajectories.models import (
    ActionOwner,
    AgreementMethod,
    AssignmentKind,
    Context,
    ContractType,
    ConversationMode,
    EndReason,
    Participant,
    Phase,
    Prompt,
    Recognition,
)
from waardewerk.trajectories.plan import KEY_MAX, ROWS_MAX, TEXT_MAX, PlanContent, content_keys
from waardewerk.trajectories.services import REASON_MAX


class TrajectoryStartForm(UtrechtFormMixin, forms.Form):
    context = forms.ChoiceField(label=_("Context"), choices=[("", _("Choose…"))] + Context.choices)
    responsible = forms.ModelChoiceField(label=_("Responsible professional"), queryset=None)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    question = forms.CharField(
        label=_("Question or assignment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In the client's words where you can: what does the client want to achieve?"),
    )

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = professionals
        self.fields["start_date"].initial = timezone.localdate()


class PhaseChangeForm(UtrechtFormMixin, forms.Form):
    to_phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Briefly: why this step now?"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(UtrechtFormMixin, forms.Form):
    end_reason = forms.ChoiceField(label=_("End reason"), choices=[("", _("Choose…"))] + EndReason.choices)
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    note = forms.CharField(
        label=_("Closing note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is 'Other'."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConversationForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Form"), choices=ConversationMode.choices)
    summary = forms.CharField(label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class ActionForm(UtrechtFormMixin, forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ChoiceField(label=_("Who"), choices=ActionOwner.choices)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    # The plan's goals: a choice list per trajectory, rendered on every trajectory page (``PlainSelect``).
    goal_key = forms.ChoiceField(label=_("For the goal"), required=False, choices=(), widget=PlainSelect)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_key"].choices = [("", _("No goal in particular"))] + [
            (goal.key, goal.text[:80]) for goal in goals
        ]


class CaseloadFilterForm(UtrechtFormMixin, forms.Form):
    show_optional = False  # every filter is optional; the label needs no "(optional)"
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases"))] + Phase.choices
    )
    context = forms.ChoiceField(
        label=_("Context"), required=False, choices=[("", _("All contexts"))] + Context.choices
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("next_action", _("Next action")),
            ("last_contact", _("Last contact")),
            ("phase", _("Phase")),
            ("start", _("Start date (newest first)")),
            ("measurement", _("Next measurement")),
        ],
    )
    measurement = forms.ChoiceField(
        label=_("Measurements"),
        required=False,
        choices=[("", _("All")), ("overdue", _("Measurement overdue"))],
    )


class AssignmentForm(UtrechtFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Colleague"), queryset=None)
    kind = forms.ChoiceField(label=_("As"), choices=AssignmentKind.choices)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty for an assignment without an end date."),
    )

    def __init__(self, *args, professionals, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = professionals
        self.fields["starts_on"].initial = timezone.localdate()
        _explain_yourself(self, "user", actor)


class TransferForm(UtrechtFormMixin, forms.Form):
    responsible = forms.ModelChoiceField(label=_("New responsible professional"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, professionals, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = professionals
        _explain_yourself(self, "responsible", actor)


def _explain_yourself(form, field: str, actor) -> None:
    """The staffing forms do not offer the actor themselves (``policies.staffing_candidates``); a request
    that names them anyway gets the reason instead of "not one of the available choices"."""
    if actor is not None and form.data.get(form.add_prefix(field)) == str(actor.pk):
        form.fields[field].error_messages["invalid_choice"] = policies.refusal_to_give_yourself_access()


class EmergencyAccessForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why do you need this dossier now?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Required. The responsible professional, the client and the functional administrator read it."
        ),
    )


class TeamFilterForm(UtrechtFormMixin, forms.Form):
    show_optional = False
    attention = forms.ChoiceField(
        label=pgettext_lazy("work list filter", "Needs attention"),
        required=False,
        choices=[
            ("", _("All open trajectories")),
            ("any", _("Anything that needs attention")),
            ("no_contact", _("No contact in 30 days")),
            ("overdue", _("Overdue actions")),
            ("long_in_phase", _("Long in one phase")),
            ("measurement_late", _("Measurement late")),
        ],
    )
    phase = forms.ChoiceField(
        label=_("Phase"), required=False, choices=[("", _("All phases"))] + Phase.choices
    )
    context = forms.ChoiceField(
        label=_("Context"), required=False, choices=[("", _("All contexts"))] + Context.choices
    )


# The methodical cycle ----------------------------------------------------------------------------------

AGREEMENT_ROWS = 3


class ConversationRecordForm(UtrechtFormMixin, forms.Form):
    """A conversation with who took part, the guide topics covered, notes and agreements (which become
    actions). The topics are the conversation guide's, offered by the view."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    mode = forms.ChoiceField(label=_("Form"), choices=ConversationMode.choices)
    participants = forms.MultipleChoiceField(
        label=_("Who took part"),
        choices=Participant.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Participant.CLIENT, Participant.PROFESSIONAL],
        required=False,
        help_text=_("Nobody ticked means the client and you."),
    )
    other_participants = forms.CharField(
        label=_("Employer contact or others (names or roles)"), required=False, max_length=200
    )
    topics = forms.MultipleChoiceField(
        label=_("Guide topics covered"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    principles = forms.MultipleChoiceField(
        label=_("Guiding principles this conversation served"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        help_text=_("Optional: how you treated the client, for your own reflection and the team's."),
    )
    summary = forms.CharField(
        label=_("Notes"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the client said matters, in their words where you can; what you observed."),
    )

    def __init__(
        self, *args, topic_choices=(), principle_choices=(), owner_choices=ActionOwner.choices, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["topics"].choices = list(topic_choices)
        self.fields["principles"].choices = list(principle_choices)
        for index in range(AGREEMENT_ROWS):
            self.fields[f"agreement-{index}-description"] = forms.CharField(
                label=_("Agreement %(n)d") % {"n": index + 1}, required=False, max_length=300
            )
            self.fields[f"agreement-{index}-owner"] = forms.ChoiceField(
                label=_("Who"), required=False, choices=owner_choices
            )
            self.fields[f"agreement-{index}-due_date"] = forms.DateField(
                label=_("Due date"), required=False, widget=DateInput()
            )
        for name, field in self.fields.items():
            if name.startswith("agreement-"):
                apply_limits(field)

    def agreement_rows(self):
        return [
            (
                self[f"agreement-{i}-description"],
                self[f"agreement-{i}-owner"],
                self[f"agreement-{i}-due_date"],
            )
            for i in range(AGREEMENT_ROWS)
        ]

    @property
    def agreements_open(self) -> bool:
        """Whether the folded agreements start open: one is filled in, or one has an error."""
        if any(name.startswith("agreement-") for name in self.errors):
            return True
        return any((self[f"agreement-{i}-description"].value() or "").strip() for i in range(AGREEMENT_ROWS))

    def agreements(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "description": data.get(f"agreement-{i}-description", ""),
                "owner": data.get(f"agreement-{i}-owner", ""),
                "due_date": data.get(f"agreement-{i}-due_date"),
            }
            for i in range(AGREEMENT_ROWS)
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "mode": data["mode"],
            "participants": data["participants"],
            "other_participants": data.get("other_participants", ""),
            "topics": data.get("topics", []),
            "principles": data.get("principles", []),
            "summary": data["summary"],
            "agreements": self.agreements(),
        }


class PlanAgreementForm(UtrechtFormMixin, forms.Form):
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DateInput())
    method = forms.ChoiceField(label=_("How"), choices=AgreementMethod.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example what the client wanted to add or change."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()


class ProgressNoteForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    text = forms.CharField(
        label=_("Progress note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class AdjustmentForm(UtrechtFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    prompted_by = forms.ChoiceField(
        label=_("What prompted it"), choices=Prompt.choices, widget=forms.RadioSelect
    )
    measurement = forms.ModelChoiceField(label=_("Which measurement"), queryset=None, required=False)
    conversation = forms.ModelChoiceField(label=_("Which conversation"), queryset=None, required=False)
    event = forms.CharField(
        label=_("What happened"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("Why change course"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    change = forms.CharField(
        label=_("The change of course"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you and the client will do differently from now on. Change the plan too if needed."
        ),
    )

    def __init__(self, *args, measurements, conversations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["measurement"].queryset = measurements
        self.fields["conversation"].queryset = conversations


class EvaluationForm(UtrechtFormMixin, forms.Form):
    YES_NO = [("", _("Not known yet")), ("yes", _("Yes")), ("no", _("No"))]

    work = forms.ChoiceField(label=_("Does the client have (paid) work?"), choices=YES_NO, required=False)
    employer = forms.CharField(label=_("Employer"), required=False, max_length=200)
    job_title = forms.CharField(label=_("Function"), required=False, max_length=200)
    hours_per_week = forms.IntegerField(label=_("Hours per week"), required=False, min_value=1, max_value=80)
    contract_type = forms.ChoiceField(label=_("Contract"), choices=ContractType.choices, required=False)
    with_support = forms.ChoiceField(label=_("With support at work?"), choices=YES_NO, required=False)
    support = forms.CharField(
        label=_("Which support"),
        required=False,
        max_length=300,
        help_text=_("For example a jobcoach, wage cost subsidy or an adapted workplace."),
    )
    # The outcome level: its label and choices come from the outcome instrument (``__init__``).
    ladder_rung = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    client_evaluation = forms.CharField(
        label=_("The client's own evaluation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In the client's words: what did this trajectory bring, what was missing?"),
    )
    what_worked = forms.CharField(
        label=_("What worked"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    do_differently = forms.CharField(
        label=_("What would I do differently"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    missed_chances = forms.CharField(
        label=_("Which chances did I leave"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Look back precisely: values, strengths, people or options that were not used."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, outcome=None, **kwargs):
        """``outcome``: the definition of the instrument whose level is the outcome (``roles.outcome``), or
        None, which leaves the field out."""
        super().__init__(*args, **kwargs)
        if outcome is None:
            del self.fields["ladder_rung"]
            return
        field = self.fields["ladder_rung"]
        field.label = _("%(instrument)s now") % {"instrument": outcome.title}
        field.choices = [("", _("Not known yet"))] + [
            (str(value), f"{value}: {label}") for value, label in outcome.levels()
        ]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("work", "with_support"):
            data[name] = {"yes": True, "no": False}.get(data.get(name) or "", None)
        return data


# The plan editor -----------------------------------------------------------------------------------------


def _count(value) -> int | None:
    """A row count from the management form: plain digits from 0 to ``ROWS_MAX``, else None."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,3}", value):
        return None
    number = int(value)
    return number if number <= ROWS_MAX else None


PLAN_STATUSES = [("active", _("active")), ("achieved", _("achieved")), ("dropped", _("dropped"))]


RECOGNITION_LABELS = dict(Recognition.choices)


def _recognition_label(level: str) -> str:
    return str(RECOGNITION_LABELS.get(level, level)) if level else str(_("no recognition recorded"))


def issued_key(trajectory, base_number: int, prefix: str, index: int) -> str:
    """The key the editor gives a new row (goal or choice) of a plan edit: the same for the same trajectory,
    starting version and row, so a choice can name a goal added in the same edit, and a key sent back
    can be checked without keeping state. Shaped like every other key (``g-`` and 8 hex digits)."""
    digest = salted_hmac(
        "waardewerk.trajectories.plan-row",
        f"{trajectory.uuid}:{base_number}:{prefix}:{index}",
        algorithm="sha256",
    ).hexdigest()
    return f"{prefix}-{digest[:8]}"


class PlanForm(UtrechtFormMixin, forms.Form):
    """The plan as a whole: the version the edit starts from, and what changed and why."""

    base_number = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=1_000_000)
    reason = forms.CharField(
        label=_("What changed and why"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlanRowForm(UtrechtFormMixin, forms.Form):
    """A goal or a choice. ``key`` is the row's key: one of the starting version's, or the key the editor
    issued for this new row; anything else was not sent by this editor and is refused."""

    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=KEY_MAX)
    remove = forms.BooleanField(required=False)

    def __init__(self, *args, known_keys=frozenset(), new_key="", **kwargs):
        super().__init__(*args, **kwargs)
        self.known_keys = known_keys
        self.new_key = new_key

    @property
    def is_new(self) -> bool:
        return self.row_key not in self.known_keys

    @property
    def row_key(self) -> str:
        value = self["key"].value()
        return value if isinstance(value, str) and len(value) <= KEY_MAX else ""

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key and key not in self.known_keys and key != self.new_key:
            raise forms.ValidationError(
                _(
                    "This row does not belong to the plan you opened. "
                    "Reload the page and make your change again."
                ),
                code="unknown_key",
            )
        return key or self.new_key

    def is_blank(self) -> bool:
        """A new row left empty: not part of the plan."""
        raise NotImplementedError


class PlanGoalForm(PlanRowForm):
    text = forms.CharField(
        label=_("The goal, in the client's own words"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    values = forms.MultipleChoiceField(
        label=_("Work values it serves"), required=False, widget=forms.CheckboxSelectMultiple
    )
    determinants = forms.MultipleChoiceField(
        label=_("Determinants it works on"), required=False, widget=forms.CheckboxSelectMultiple
    )
    status = forms.ChoiceField(label=_("Status"), choices=PLAN_STATUSES, initial="active")

    def __init__(self, *args, values=None, determinants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["values"].choices = list((values or {}).items())
        self.fields["determinants"].choices = list((determinants or {}).items())

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return (
            self.is_new and not data.get("text") and not data.get("values") and not data.get("determinants")
        )

    def to_service(self) -> dict:
        data = self.cleaned_data
        return {
            "key": data["key"],
            "text": data["text"],
            "status": data["status"],
            "values": data["values"],
            "determinants": data["determinants"],
        }


class PlanChoiceForm(PlanRowForm):
    """A choice: an entry of the knowledge base (its recognition and references come from the entry) or a
    free choice, "not in the knowledge base", whose research source is the reference given here."""

    # The entry's key; the page offers the published entries (and the one the choice had), the plan checks it.
    entry = forms.CharField(label=_("From the knowledge base"), required=False, max_length=KEY_MAX)
    description = forms.CharField(label=_("Intervention or choice"), required=False, max_length=TEXT_MAX)
    # The goal's key; the page offers the goals of the edit (also the new ones) and the plan checks it.
    goal = forms.CharField(label=_("For the goal"), required=False, max_length=KEY_MAX)
    research = forms.CharField(
        label=_("Research: a reference"),
        required=False,
        max_length=TEXT_MAX,
        help_text=_("For a choice not in the knowledge base: the study or source it rests on."),
    )
    expertise = forms.CharField(
        label=_("Professional expertise: your reasoning"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    preference = forms.CharField(
        label=_("The client's preference, in the client's words"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weighing = forms.CharField(
        label=_("How the three sources were weighed"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Where research, your expertise and the client's preference disagree: what weighed most, and why."
        ),
    )

    TEXTS = ("description", "research", "expertise", "preference", "weighing")

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return self.is_new and not any(data.get(name) for name in self.TEXTS) and not data.get("entry")

    def to_service(self) -> dict:
        data = self.cleaned_data
        return {"key": data["key"], "goal": data["goal"], "entry": data["entry"]} | {
            name: data[name] for name in self.TEXTS
        }


class PlanRowFormSet(forms.BaseFormSet):
    """Goals or choices, at most ``ROWS_MAX`` (the management counts are checked first, by
    ``PlanEditor``). Each row's key is checked by ``PlanRowForm``; here, a key sent twice and a row of the
    starting version that is missing."""

    def __init__(self, *args, known_keys=frozenset(), issue=None, row_kwargs=None, **kwargs):
        self.known_keys = known_keys
        self.issue = issue
        self.row_kwargs = row_kwargs or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        new_key = self.issue(index) if index is not None else ""
        # Every row is checked, also a new one left empty (Django would skip an unchanged "extra" row).
        return {
            "known_keys": self.known_keys,
            "new_key": new_key,
            "empty_permitted": False,
            **self.row_kwargs,
        }

    def clean(self):
        keys = [form.cleaned_data.get("key") for form in self.forms if form.cleaned_data]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError(
                _("The form was changed: a row appears twice. Reload the page and make your change again."),
                code="duplicate_key",
            )
        if any(form.errors.get("key") for form in self.forms):
            return  # that row's own message says it
        if not self.known_keys <= set(keys):
            raise forms.ValidationError(
                _(
                    "The form was changed: a row of the plan you opened is missing. Nothing is saved; reload "
                    "the page and make your change again."
                ),
                code="missing_key",
            )

    def kept(self) -> list[tuple[int, PlanRowForm]]:
        """The rows that are part of the plan after this edit, with their index."""
        return [
            (index, form)
            for index, form in enumerate(self.forms)
            if form.cleaned_data and not form.cleaned_data.get("remove") and not form.is_blank()
        ]


def _row_formset(form):
    return forms.formset_factory(
        form,
        formset=PlanRowFormSet,
        extra=0,
        max_num=ROWS_MAX,
        absolute_max=ROWS_MAX,
        validate_max=True,
    )


PlanGoalFormSet = _row_formset(PlanGoalForm)
PlanChoiceFormSet = _row_formset(PlanChoiceForm)


class PlanEditor:
    """The plan editor: ``PlanForm`` with the goals and choices formsets, bound to one trajectory and the
    version the edit starts from. Nothing here writes; ``trajectories.services.plan_save`` checks the plan
    as a whole (a goal named by a choice is kept, at least one goal, a reason for a change)."""

    def __init__(self, trajectory, versions, values: dict, determinants: dict, data=None, entries=None):
        self.trajectory = trajectory
        self.values, self.determinants = values, determinants
        self.entries = entries or {}
        self.by_number = {v.number: v for v in versions}
        latest = versions[-1] if versions else None
        if data is None:
            base_number = latest.number if latest else 0
        else:
            base_number = self._posted_base(data)
        self.base_version = self.by_number.get(base_number)
        self.base_known = base_number == 0 or self.base_version is not None
        self.base_number = base_number if self.base_known else 0
        content = PlanContent.from_json(self.base_version.content) if self.base_version else None
        goal_keys, choice_keys = content_keys(content)
        self.plan_form = PlanForm(data, initial={"base_number": self.base_number}, auto_id="%s")
        self.changed_counts: list[str] = []
        if data is not None:
            for prefix in ("goal", "choice"):
                data = self._checked_counts(data, prefix)
        common = {"auto_id": "%s"}
        goals_initial = choices_initial = None
        if data is None:
            goals_initial = [vars(g) for g in content.goals] if content else []
            choices_initial = [vars(c) for c in content.choices] if content else []
            goals_initial = goals_initial or [{"key": self._issue("g", 0), "status": "active"}]
            choices_initial = choices_initial or [{"key": self._issue("c", 0)}]
        self.goals = PlanGoalFormSet(
            data,
            initial=goals_initial,
            prefix="goal",
            known_keys=goal_keys,
            issue=lambda index: self._issue("g", index),
            row_kwargs={"values": values, "determinants": determinants},
            **common,
        )
        self.choices = PlanChoiceFormSet(
            data,
            initial=choices_initial,
            prefix="choice",
            known_keys=choice_keys,
            issue=lambda index: self._issue("c", index),
            **common,
        )
        self._rows: dict[str, list[int]] = {}

    def _checked_counts(self, data, prefix: str):
        """The management form's counts must be plain numbers that cover every posted row, up to
        ``ROWS_MAX``. When they do not (a changed or broken form), the rows that were posted are shown
        again with a message, and nothing is saved."""
        total = _count(data.get(f"{prefix}-TOTAL_FORMS"))
        initial = _count(data.get(f"{prefix}-INITIAL_FORMS"))
        pattern = re.compile(rf"^{prefix}-([0-9]{{1,6}})-")
        posted = {int(m[1]) for m in map(pattern.match, data.keys()) if m}
        if total is not None and initial is not None and initial <= total and all(i < total for i in posted):
            return data
        shown = max((i for i in posted if i < ROWS_MAX), default=-1) + 1
        data = data.copy()
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = str(shown)
        message = (
            _("The form was changed or is incomplete: the number of goals does not match the goals sent.")
            if prefix == "goal"
            else _(
                "The form was changed or is incomplete: the number of choices does not match the choices "
                "sent."
            )
        )
        # Not inside the f-string: makemessages cannot see a string there and would drop its translation.
        nothing_saved = _("Nothing is saved. Check the rows below and save again.")
        self.changed_counts.append(f"{message} {nothing_saved}")
        return data

    @staticmethod
    def _posted_base(data) -> int:
        try:
            number = int(data.get("base_number", ""))
        except (TypeError, ValueError, OverflowError):
            return -1
        return number if 0 <= number <= 1_000_000 else -1

    def _issue(self, prefix: str, index: int) -> str:
        return issued_key(self.trajectory, self.base_number, prefix, index)

    # Validation -----------------------------------------------------------------------------------------

    def is_valid(self) -> bool:
        valid = self.plan_form.is_valid() and self.base_known and not self.changed_counts
        if not self.base_known and not self.plan_form.errors:
            self.plan_form.add_error(
                None,
                _(
                    "The form was changed: it names a version of the plan that does not exist. "
                    "Reload the page."
                ),
            )
        # Every part is checked, so every problem shows at once.
        return all([valid, self.goals.is_valid(), self.choices.is_valid()])

    @property
    def has_errors(self) -> bool:
        return bool(
            self.plan_form.errors
            or self.goals.total_error_count()
            or self.choices.total_error_count()
            or not self.base_known
            or self.changed_counts
        )

    def service_kwargs(self) -> dict:
        goals, choices = self.goals.kept(), self.choices.kept()
        self._rows = {"goal": [i for i, _f in goals], "choice": [i for i, _f in choices]}
        return {
            "goals": [form.to_service() for _i, form in goals],
            "choices": [form.to_service() for _i, form in choices],
            "reason": self.plan_form.cleaned_data["reason"],
            "base_number": self.base_number,
        }

    def add_service_errors(self, exc) -> None:
        """Put the errors of ``plan_save`` (keyed ``goal-N-field`` in the order it was given the rows) next
        to the fields of the rows they concern."""
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for name, messages in errors.items():
            kind, _sep, rest = name.partition("-")
            index, _sep, field = rest.partition("-")
            rows = self._rows.get(kind, [])
            position = int(index) if index.isdigit() else -1
            if name == "reason":
                self.plan_form.add_error("reason", messages)
            elif 0 <= position < len(rows):
                form = (self.goals if kind == "goal" else self.choices).forms[rows[position]]
                form.add_error(field if field in form.fields else None, messages)
                form._mark_invalid()
            else:
                self.plan_form.add_error(None, messages)
        self.plan_form._mark_invalid()

    # Adding a row without JavaScript -----------------------------------------------------------------------

    def with_row(self, kind: str) -> PlanEditor:
        """The same input with one more (empty) goal or choice row."""
        formset = self.goals if kind == "goal" else self.choices
        if not formset.management_form.is_valid():
            return self  # the page shows the management form's problem; nothing is added
        total = formset.management_form.cleaned_data["TOTAL_FORMS"]
        if total >= ROWS_MAX:
            return self
        data = formset.data.copy()
        data[f"{kind}-TOTAL_FORMS"] = str(total + 1)
        data[f"{kind}-{total}-key"] = self._issue(kind[0], total)
        if kind == "goal":
            data[f"{kind}-{total}-status"] = "active"
        versions = sorted(self.by_number.values(), key=lambda v: v.number)
        return PlanEditor(self.trajectory, versions, self.values, self.determinants, data, self.entries)

    # For the template -------------------------------------------------------------------------------------

    def goal_options(self) -> list[tuple[str, str]]:
        """The goals a choice can be for: every goal row of the edit, also one added in it."""
        options = []
        for index, form in enumerate(self.goals.forms):
            text = form["text"].value()
            text = " ".join(text.split()) if isinstance(text, str) else ""
            label = text[:80] or (_("Goal %(n)d (new)") % {"n": index + 1})
            options.append((form.row_key or form.new_key, label))
        return options

    def entry_options(self) -> list[tuple[str, str]]:
        """The entries a choice can pick (key, name and recognition): the published ones on offer, and any
        entry a choice of the starting version had (also one no longer on offer)."""
        options = {key: f"{e.name} ({_recognition_label(e.recognition)})" for key, e in self.entries.items()}
        if self.base_version is not None:
            for choice in PlanContent.from_json(self.base_version.content).choices:
                if choice.entry and choice.entry not in options:
                    options[choice.entry] = f"{choice.description} ({_recognition_label(choice.recognition)})"
        return sorted(options.items(), key=lambda item: item[1].lower())

    def error_list(self) -> list[tuple[str, str, str]]:
        """Every problem for the summary at the top: (anchor, label, message)."""
        out = [("", "", message) for message in self.changed_counts]
        out += [("", "", message) for message in self.plan_form.non_field_errors()]
        out += [("reason", _("What changed and why"), m) for m in self.plan_form.errors.get("reason", [])]
        if "base_number" in self.plan_form.errors:
            out.append(("", "", _("The form was changed or is incomplete. Reload the page.")))
        for kind, formset, label, first in (
            ("goal", self.goals, _("Goal %(n)d"), "text"),
            ("choice", self.choices, _("Choice %(n)d"), "description"),
        ):
            out += [("", "", message) for message in formset.non_form_errors()]
            for index, form in enumerate(formset.forms):
                for field, messages in form.errors.items():
                    anchor = f"{kind}-{index}-{field if field in form.fields and field != 'key' else first}"
                    for message in messages:
                        out.append((anchor, label % {"n": index + 1}, message))
        return out
