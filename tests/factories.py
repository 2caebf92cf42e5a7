"""factory_boy factories shared by all tests."""

import datetime as dt

import factory
from django.utils import timezone

from waardewerk.accounts.models import Organisation, OrganisationKind, Role, Team, User
from waardewerk.clients.models import Client
from waardewerk.timeline.services import timeline_append
from waardewerk.trajectories import projection
from waardewerk.trajectories.models import Action, Context, Conversation, Phase, PhaseChange, Trajectory

PASSWORD = "correct-horse-battery"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Test {n}")
    kind = OrganisationKind.MUNICIPALITY


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Professional {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PROFESSIONAL
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = factory.Sequence(lambda n: f"Achternaam{n}")
    date_of_birth = dt.date(1985, 4, 12)
    email = "client@example.org"


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trajectory
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory)
    organisation = factory.SelfAttribute("client.organisation")
    responsible = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    context = Context.PARTICIPATION_ACT
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    question = "Wil graag weer aan het werk, parttime, in de zorg."
    phase = Phase.INTAKE
    phase_since = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        """The phase changes, with their timeline entries, as the services write them."""
        if create:
            changes = [
                PhaseChange.objects.create(
                    trajectory=obj,
                    from_phase="",
                    to_phase=Phase.INTAKE,
                    reason="Traject gestart",
                    changed_by=obj.responsible,
                    changed_at=timezone.now() - dt.timedelta(days=59),
                )
            ]
            if obj.phase != Phase.INTAKE:
                changes.append(
                    PhaseChange.objects.create(
                        trajectory=obj,
                        from_phase=Phase.INTAKE,
                        to_phase=obj.phase,
                        reason="Verder",
                        changed_by=obj.responsible,
                        changed_at=obj.phase_since,
                    )
                )
            timeline_append(*map(projection.phase_change, changes))
            if obj.end_date:
                timeline_append(projection.closed(obj, at=timezone.now()))


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation
        skip_postgeneration_save = True

    trajectory = factory.SubFactory(TrajectoryFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    mode = "in_person"
    phase = factory.SelfAttribute("trajectory.phase")
    summary = "Gesprek over waarden in werk."
    recorded_by = factory.SelfAttribute("trajectory.responsible")

    @factory.post_generation
    def timeline(obj, create, extracted, **kwargs):
        if create:
            timeline_append(projection.conversation(obj))


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    trajectory = factory.SubFactory(TrajectoryFactory)
    description = factory.Sequence(lambda n: f"Actie {n}")
    owner = "client"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    created_by = factory.SelfAttribute("trajectory.responsible")

    @factory.post_generation
    def timeline(obj, create, extracted, **kwargs):
        if create:
            timeline_append(projection.action_agreed(obj))


LWC_VALUES = (
    "use_skills",
    "develop_skills",
    "involvement",
    "contacts",
    "own_goals",
    "income",
    "contribution",
)
IGM_ITEMS = (
    "attitude",
    "social_influence",
    "self_efficacy",
    "intention",
    "knowledge_skills",
    "practical_barriers",
)


def lwc_answers(a=4, b=4, c=4, overall=4, **per_value) -> dict:
    """LWC answers: the same A/B/C for every value, or per value ``income=(5, 2, 2)``."""
    answers = {"overall": overall}
    for value in LWC_VALUES:
        va, vb, vc = per_value.get(value, (a, b, c))
        answers |= {f"{value}.importance": va, f"{value}.enabled": vb, f"{value}.achieved": vc}
    return answers


def igm_answers(rating=3, **per_item) -> dict:
    return {item: per_item.get(item, rating) for item in IGM_ITEMS}


def make_measurement(trajectory, key, answers, *, taken_on=None, respondent=None, entered_by=None, **extra):
    """A submitted measurement, scored by the instrument's own rule, with its timeline entry (bypasses the
    form, not the scoring)."""
    from django.utils import timezone

    from waardewerk.instruments import projection as instrument_projection
    from waardewerk.instruments.definition import Definition
    from waardewerk.instruments.models import Measurement
    from waardewerk.instruments.scoring import score
    from waardewerk.instruments.services import current_version

    version = current_version(key)
    definition = version.definition
    values = {
        "trajectory": trajectory,
        "instrument_id": version.instrument_id,
        "instrument_version": version,
        "respondent": respondent or definition["respondents"][0],
        "framing": definition["framings"][0]["key"] if definition["framings"] else "",
        "phase": trajectory.phase,
        "taken_on": taken_on or timezone.localdate(),
        "status": "submitted",
        "submitted_at": timezone.now(),
        "answers": answers,
        "entered_by": entered_by or trajectory.responsible,
    } | extra
    if values["status"] == "draft":
        values |= {"submitted_at": None, "score": {}}
    else:
        values["score"] = score(definition, answers)
    measurement = Measurement.objects.create(**values)
    if measurement.status == "submitted":
        timeline_append(instrument_projection.measurement(measurement, Definition(definition)))
    return measurement
