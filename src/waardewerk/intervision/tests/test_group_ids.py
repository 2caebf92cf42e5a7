"""``policies.visible_group_ids``, the start page's groups in SQL, holds the groups of ``visible_groups``."""

import pytest

from tests.factories import OrganisationFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.intervision import policies
from waardewerk.intervision.models import IntervisionGroup


@pytest.mark.django_db
def test_the_groups_in_sql_are_the_visible_groups(professional, team_lead, functional_admin):
    own = IntervisionGroup.objects.create(organisation=professional.organisation, name="OT-groep Oost")
    own.members.set([professional, team_lead])
    IntervisionGroup.objects.create(organisation=professional.organisation, name="OT-groep West")
    elsewhere = IntervisionGroup.objects.create(
        organisation=OrganisationFactory(name="Elders"), name="Elders"
    )
    elsewhere.members.set([professional])  # a membership outside the organisation shows nothing
    outsider = UserFactory(organisation=professional.organisation, role=Role.PROFESSIONAL, username="nieuw")
    for actor in (professional, team_lead, functional_admin, outsider):
        assert set(IntervisionGroup.objects.filter(pk__in=policies.visible_group_ids(actor))) == set(
            policies.visible_groups(actor)
        )
    assert list(IntervisionGroup.objects.filter(pk__in=policies.visible_group_ids(professional))) == [own]
