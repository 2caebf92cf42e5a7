"""Limits on input (docs/security.md, "Findings of the outside probe": a 1 MB question for help was stored, an
action due on 9999-12-31 and an assignment from 0001-01-01 were accepted, a search of more than 100
characters was ignored without a word).

The class tests look at every form class and every encrypted model field of the project, so a new one
without a limit fails here.
"""

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

import waardewerk
from tests.factories import TrajectoryFactory
from waardewerk.core import formats
from waardewerk.core.fields import EncryptedTextField
from waardewerk.core.limits import EARLIEST_DATE, DateRangeValidator, latest_date
from waardewerk.core.retention import BY_KEY as RETENTION_RULES
from waardewerk.trajectories.models import Action, Trajectory, TrajectoryAssignment


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(waardewerk.__path__, "waardewerk."):
        if module.name.endswith(".forms") or module.name.endswith(".views"):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("waardewerk.") and not inspect.isabstract(cls):
            found.append(cls)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _constructor_arguments():
    """What the forms' own keyword arguments get here; a form with an argument not named here fails."""
    from waardewerk.accounts.models import Team, User
    from waardewerk.instruments.definition import Definition
    from waardewerk.instruments.models import Measurement
    from waardewerk.instruments.services import current_version
    from waardewerk.intervision.method import Method
    from waardewerk.intervision.models import CasePresentation, IntervisionGroup
    from waardewerk.intervision.review import checkpoints_of
    from waardewerk.intervision.services import CHECKPOINTS, METHODS
    from waardewerk.knowledge.selectors import current_guide
    from waardewerk.trajectories.models import Conversation

    return {
        "professionals": User.objects.none(),
        "goals": (),
        "topic_choices": (),
        "owner_choices": (("client", "client"),),
        "measurements": Measurement.objects.none(),
        "conversations": Conversation.objects.none(),
        "definition": Definition(current_version("igm").definition),
        "fixed_respondent": None,
        "guide": current_guide()[1],
        "instruments": [],
        "with_code": True,
        "sms": True,
        "editing": None,
        "request": None,
        # intervision
        "eligible": User.objects.none(),
        "members": User.objects.none(),
        "methods": [],
        "phases": Method.from_definition(METHODS.current("incident").definition).phases,
        "trajectories": Trajectory.objects.none(),
        "presentations": CasePresentation.objects.none(),
        "checkpoints": checkpoints_of(CHECKPOINTS.current("cycle-review").definition),
        "groups": IntervisionGroup.objects.none(),
        # development
        "sources": {
            "source_activity": Trajectory.objects.none(),
            "source_experiment": Trajectory.objects.none(),
            "source_evaluation": Trajectory.objects.none(),
            "source_review": Trajectory.objects.none(),
        },
        "rows": [],
        "mentors": User.objects.none(),
        # accounts (setting a password with a link; the administrator's user and team forms)
        "user": None,
        "teams": Team.objects.none(),
        # matching: the work values of a value profile
        "titles": {"use_skills": "Kennis en vaardigheden gebruiken", "income": "Een goed inkomen"},
        # privacy: the retention rule a term form is for
        "rule": RETENTION_RULES["client_file"],
    }


def _instance(cls, arguments):
    wanted = {}
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass.__module__.startswith("django."):
            continue
        for name, parameter in inspect.signature(init).parameters.items():
            if parameter.kind is parameter.KEYWORD_ONLY or (
                parameter.kind is parameter.POSITIONAL_OR_KEYWORD and name not in ("self", "data", "files")
            ):
                if name in arguments:
                    wanted[name] = arguments[name]
                elif parameter.default is parameter.empty:
                    pytest.fail(f"{cls.__qualname__}: give the argument {name!r} a value in this test")
    return cls(**wanted)


@pytest.mark.django_db
def test_every_form_field_has_a_limit():
    """Text: a maximum length. Dates: a range (1900 to ten years ahead, or narrower). Whole numbers: a
    range the database can store."""
    arguments = _constructor_arguments()
    classes = _form_classes()
    assert len(classes) > 25
    problems = []
    for cls in classes:
        form = _instance(cls, arguments)
        for name, field in form.fields.items():
            where = f"{cls.__module__}.{cls.__qualname__}.{name}"
            if isinstance(field, forms.CharField) and not isinstance(field, forms.UUIDField):
                if not field.max_length or not any(
                    isinstance(v, MaxLengthValidator) for v in field.validators
                ):
                    problems.append(f"{where}: no maximum length")
            if isinstance(field, forms.DateField):
                ranges = [v.bounds() for v in field.validators if isinstance(v, DateRangeValidator)]
                if not ranges:
                    problems.append(f"{where}: no date range")
                elif ranges[0][0] < EARLIEST_DATE or ranges[0][1] > latest_date():
                    problems.append(f"{where}: a range wider than {EARLIEST_DATE} to {latest_date()}")
            if isinstance(field, forms.IntegerField):
                if not any(isinstance(v, MaxValueValidator) for v in field.validators) or not any(
                    isinstance(v, MinValueValidator) for v in field.validators
                ):
                    problems.append(f"{where}: no range")
    assert not problems, "\n".join(problems)


def test_every_encrypted_text_has_a_maximum_length():
    """The database cannot check the length of ciphertext: the field does, on the plaintext."""
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField) and not field.max_length
    ]
    assert not missing, missing


@pytest.mark.django_db
def test_the_field_refuses_an_over_long_encrypted_text_whatever_writes_it(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    trajectory.question = "x" * 5001
    with pytest.raises(ValidationError) as caught, transaction.atomic():
        trajectory.save()
    assert "question" in caught.value.message_dict
    with pytest.raises(ValidationError), transaction.atomic():
        Trajectory.objects.filter(pk=trajectory.pk).update(question="x" * 5001)
    trajectory.refresh_from_db()
    assert len(trajectory.question) < 100


@pytest.fixture
def trajectory(professional, team):
    return TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )


@pytest.mark.django_db
def test_a_question_of_a_megabyte_is_refused_with_a_message(login, professional):
    closed = TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        end_date=timezone.localdate(),
        end_reason="moved",
    )
    response = login(professional).post(
        reverse("trajectories:start", args=[closed.client.uuid]),
        {
            "context": "participation_act",
            "responsible": professional.pk,
            "start_date": timezone.localdate().isoformat(),
            "question": "x" * 1_000_000,
        },
    )
    assert response.status_code == 422
    assert "niet meer dan 5000 tekens" in response.content.decode()
    assert Trajectory.objects.filter(client=closed.client).count() == 1


@pytest.mark.django_db
def test_an_action_due_on_9999_12_31_is_refused(login, professional, trajectory):
    response = login(professional).post(
        reverse("trajectories:add_action", args=[trajectory.uuid]),
        {"description": "Bellen", "owner": "client", "due_date": "9999-12-31"},
    )
    assert response.status_code == 422
    with translation.override("nl"):
        assert (
            f"Geef een datum tot en met {formats.day(latest_date(), formats.TEXT)}"
            in response.content.decode()
        )
    assert not Action.objects.filter(trajectory=trajectory).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        ("0001-01-01", "", "Geef een datum vanaf 1 januari 1900"),
        ("1950-01-01", "", "De toewijzing kan niet beginnen voor het traject"),
        ("", "9999-12-31", "Geef een datum tot en met"),
    ],
)
def test_an_assignment_out_of_range_is_refused(
    login, professional, colleague, trajectory, starts_on, ends_on, message
):
    response = login(professional).post(
        reverse("trajectories:assign", args=[trajectory.uuid]),
        {
            "user": colleague.pk,
            "kind": "substitute",
            "starts_on": starts_on or timezone.localdate().isoformat(),
            "ends_on": ends_on,
        },
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not TrajectoryAssignment.objects.filter(trajectory=trajectory).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
def test_a_search_that_is_too_long_says_so_and_the_other_filters_still_apply(
    login, professional, trajectory, htmx
):
    other = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, phase="plan"
    )
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = login(professional).get(
        reverse("trajectories:caseload"), {"q": "x" * 101, "phase": "plan"}, **headers
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Niet elk filter kon worden toegepast" in body and "niet meer dan 100 tekens" in body
    assert other.client.last_name in body and trajectory.client.last_name not in body


def test_the_date_range_refuses_dates_outside_it():
    validator = DateRangeValidator()
    validator(EARLIEST_DATE)
    validator(latest_date())
    for day in (dt.date(1, 1, 1), dt.date(1899, 12, 31), latest_date() + dt.timedelta(days=1), dt.date.max):
        with pytest.raises(ValidationError):
            validator(day)
