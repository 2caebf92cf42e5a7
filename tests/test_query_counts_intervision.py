"""Query budgets of the intervision pages: constant, whatever the number of groups, members, sessions and
experiments."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.intervision import content_edit, in_effect, services

BUDGET = 12
DAY = dt.date(2026, 1, 6)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


class Grower:
    """One group that grows: more members, sessions and experiments (with trajectories) each round."""

    def __init__(self, admin, professional):
        self.admin, self.professional = admin, professional
        self.members = [professional]
        self.sessions = []
        self.group = None
        self.round = 0

    def grow(self, n):
        org = self.professional.organisation
        self.members += [UserFactory(organisation=org, role=Role.PROFESSIONAL) for _ in range(n)]
        if self.group is None:
            self.group = services.group_create(actor=self.admin, name="Groep", members=self.members)
        else:
            services.group_update(actor=self.admin, group=self.group, name="Groep", members=self.members)
        services.group_create(actor=self.admin, name=f"Andere {self.round}", members=self.members[:2])
        for _ in range(n):
            self.round += 1
            session = services.session_create(
                actor=self.professional,
                group=self.group,
                date=DAY + dt.timedelta(days=self.round),
                method_key="incident",
                facilitator=self.professional,
            )
            trajectory = TrajectoryFactory(responsible=self.professional, client__organisation=org)
            services.experiment_add(
                actor=self.professional,
                session=session,
                description="Probeer",
                until=session.date,
                trajectory=trajectory,
            )
            services.attendance_record(
                actor=self.professional,
                session=session,
                statuses={m.pk: ("present" if i % 2 else "apologies") for i, m in enumerate(self.members)},
            )
            self.sessions.append(session)

    def pages(self):
        group, first, last = self.group, self.sessions[0], self.sessions[-1]
        experiment = first.experiments.first()
        return [
            reverse("intervision:groups"),
            reverse("intervision:methods"),
            reverse("intervision:method", args=["incident"]),
            reverse("intervision:group", args=[group.uuid]),
            reverse("intervision:session_new", args=[group.uuid]),
            reverse("intervision:session", args=[last.uuid]),
            reverse("intervision:session_record", args=[last.uuid]),
            reverse("intervision:attendance", args=[last.uuid]),
            reverse("intervision:experiment_add", args=[last.uuid]),
            reverse("intervision:reflection", args=[last.uuid, experiment.uuid]),
        ]


@pytest.mark.django_db
def test_member_pages_use_a_constant_number_of_queries(login, professional, functional_admin):
    grower = Grower(functional_admin, professional)
    grower.grow(1)
    grower.grow(1)  # two sessions: the last has one experiment coming back
    c = login(professional)
    small = [_queries(c, url) for url in grower.pages()]
    grower.grow(8)
    large = [_queries(c, url) for url in grower.pages()]
    assert large == small, list(zip(grower.pages(), small, large, strict=True))
    assert max(large) <= BUDGET, list(zip(grower.pages(), large, strict=True))


@pytest.mark.django_db
def test_admin_pages_use_a_constant_number_of_queries(login, professional, functional_admin):
    grower = Grower(functional_admin, professional)
    grower.grow(1)
    c = login(functional_admin)
    pages = lambda: [  # noqa: E731
        reverse("intervision:groups"),
        reverse("intervision:group_new"),
        reverse("intervision:group_edit", args=[grower.group.uuid]),
    ]
    small = [_queries(c, url) for url in pages()]
    grower.grow(8)
    large = [_queries(c, url) for url in pages()]
    assert large == small
    assert max(large) <= BUDGET


@pytest.mark.django_db
def test_content_editor_pages_use_a_constant_number_of_queries(login, organisation):
    """The method and checkpoint pages with their history: constant, whatever the number of versions."""
    editor = UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR)

    def edit(times):
        for _ in range(times):
            for name, key in (("method", "incident"), ("checkpoints", "cycle-review")):
                current = in_effect.version_in_effect(name, organisation.pk, key)
                content_edit.edit(
                    name,
                    actor=editor,
                    key=key,
                    base_version=current.version,
                    note="Andere beschrijving",
                    change=lambda d, e: d.update(description={"nl": f"Beschrijving {d['version']}"}),
                )

    pages = lambda: [  # noqa: E731
        reverse("intervision:methods"),
        reverse("intervision:method", args=["incident"]),
        reverse("intervision:method_version", args=["incident", 1]),
        reverse("intervision:method_edit", args=["incident"]),
        reverse("intervision:checkpoints"),
        reverse("intervision:checkpoints_version", args=[1]),
        reverse("intervision:checkpoints_edit"),
    ]
    c = login(editor)
    edit(1)
    small = [_queries(c, url) for url in pages()]
    edit(6)
    large = [_queries(c, url) for url in pages()]
    assert large == small, list(zip(pages(), small, large, strict=True))
    assert max(large) <= BUDGET, list(zip(pages(), large, strict=True))
