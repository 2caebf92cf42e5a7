"""Two organisations with one of everything the API shows, and applications with chosen scopes."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import (
    ActionFactory,
    ConversationFactory,
    OrganisationFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    lwc_answers,
    make_measurement,
)
from waardewerk.accounts.actor import SCOPES
from waardewerk.accounts.models import Role
from waardewerk.api.services import application_register
from waardewerk.matching.models import Employer, Job, Placement
from waardewerk.trajectories.models import PlanVersion

ALL_SCOPES = sorted(SCOPES)


def build_world(name: str) -> dict:
    organisation = OrganisationFactory(name=f"Gemeente {name}")
    team = TeamFactory(organisation=organisation)
    professional = UserFactory(organisation=organisation, last_name=f"Prof {name}")
    admin = UserFactory(organisation=organisation, role=Role.FUNCTIONAL_ADMIN)
    trajectory = TrajectoryFactory(
        responsible=professional,
        client__organisation=organisation,
        client__last_name=f"Client{name}",
        team=team,
    )
    measurement = make_measurement(trajectory, "lwc", lwc_answers())
    plan = PlanVersion.objects.create(
        trajectory=trajectory,
        number=1,
        content='{"goals": [{"key": "g-1", "text": "Weer werken", "values": [], "determinants": [],'
        ' "status": "active"}], "choices": []}',
        reason="Eerste versie",
        created_by=professional,
    )
    action = ActionFactory(trajectory=trajectory)
    conversation = ConversationFactory(trajectory=trajectory, summary=f"Geheime notitie {name}")
    employer = Employer.objects.create(
        organisation=organisation, name=f"Werkgever {name}", kvk_number="87654321"
    )
    job = Job.objects.create(employer=employer, title="Medewerker facilitair", occupation="1115", hours=24)
    placement = Placement.objects.create(
        trajectory=trajectory, job=job, start_date=trajectory.start_date, hours=24
    )
    return {
        "organisation": organisation,
        "admin": admin,
        "professional": professional,
        "trajectory": trajectory,
        "client": trajectory.client,
        "measurement": measurement,
        "plan": plan,
        "action": action,
        "conversation": conversation,
        "employer": employer,
        "job": job,
        "placement": placement,
    }


@pytest.fixture
def world_a(db):
    return build_world("A")


@pytest.fixture
def world_b(db):
    return build_world("B")


def register(world, scopes=ALL_SCOPES, **kwargs):
    expires = kwargs.pop("expires_on", timezone.localdate() + dt.timedelta(days=30))
    return application_register(
        actor=world["admin"], name=kwargs.pop("name", "Zaaksysteem"), scopes=scopes, expires_on=expires
    )


def api_client(token: str | None) -> Client:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(**headers)


@pytest.fixture
def token_a(world_a):
    return register(world_a)[1]
