"""A questionnaire the client started in the portal and has not sent is the client's alone (security finding:
the professional could read its answers at /measurements/<uuid>/ and delete it with .../discard/)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory, UserFactory, make_measurement
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.clients.actor import ClientActor
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.instruments import policies, services
from waardewerk.instruments.models import Measurement
from waardewerk.trajectories.models import TrajectoryAssignment

SECRET = "Mijn schulden houden me wakker"


@pytest.fixture
def staff(professional, team_lead, functional_admin, team):
    """Everyone on the staff side who could come near the draft: the responsible professional, a colleague
    assigned as substitute, the team lead of the team (assigned too) and the functional administrator."""
    trajectory = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    substitute = UserFactory(organisation=professional.organisation, role=Role.PROFESSIONAL)
    for user in (substitute, team_lead):
        TrajectoryAssignment.objects.create(
            trajectory=trajectory,
            user=user,
            kind="substitute",
            starts_on=timezone.localdate() - dt.timedelta(days=1),
            created_by=professional,
        )
    return trajectory, [professional, substitute, team_lead, functional_admin]


def _client_draft(trajectory):
    return make_measurement(
        trajectory,
        "igm",
        {"attitude": 4},
        respondent="client",
        status="draft",
        entered_by=None,
        entered_by_client=True,
        notes=f'{{"attitude": "{SECRET}"}}',
    )


@pytest.mark.django_db
def test_no_staff_role_reads_or_removes_the_clients_unsent_questionnaire(client, staff):
    trajectory, users = staff
    draft = _client_draft(trajectory)
    own_draft = make_measurement(trajectory, "participatieladder", {"rung": 2}, status="draft")
    for user in users:
        client.force_login(user)
        for name in ("instruments:measurement", "instruments:edit", "instruments:correct"):
            response = client.get(reverse(name, args=[draft.uuid]), follow=True)
            assert response.status_code == 404, (user.role, name)
            assert SECRET not in response.content.decode()
        assert client.post(reverse("instruments:discard", args=[draft.uuid])).status_code == 404
        assert not policies.can_discard_draft(user, draft)
        with pytest.raises(PermissionDeniedError):
            services.measurement_discard(actor=user, measurement=draft)
    assert Measurement.objects.filter(pk=draft.pk).exists()
    assert not AccessEvent.objects.filter(object_uuid=draft.uuid).exists()
    # The professionals' own drafts stay theirs to continue and remove.
    client.force_login(users[0])
    assert client.get(reverse("instruments:edit", args=[own_draft.uuid])).status_code == 200
    assert client.post(reverse("instruments:discard", args=[own_draft.uuid])).status_code == 302


@pytest.mark.django_db
def test_the_client_may_remove_their_own_draft_but_not_the_professionals(staff):
    trajectory, _users = staff
    actor = ClientActor(trajectory.client)
    assert policies.can_discard_draft(actor, _client_draft(trajectory))
    own_draft = make_measurement(trajectory, "participatieladder", {"rung": 2}, status="draft")
    assert not policies.can_discard_draft(actor, own_draft)
