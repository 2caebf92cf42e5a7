"""Staffing never opens a dossier to the one who changes it; emergency access ("break the glass") is the
legitimate way for a team lead to read a dossier of their team (docs/authorization.md)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory, lwc_answers, make_measurement
from tests.portal_helpers import log_in_client
from waardewerk.audit.models import AccessEvent
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.trajectories import policies, services
from waardewerk.trajectories.models import EmergencyAccess, TrajectoryAssignment

REASON = "De cliënt belt in paniek over zijn uitkering; Pia is ziek en niemand anders is ingedeeld."


@pytest.fixture
def trajectory(professional, team):
    return TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )


# The finding: a team lead gave themselves dossier access through staffing --------------------------------


@pytest.mark.django_db
def test_a_team_lead_cannot_assign_themselves(login, team_lead, trajectory):
    response = login(team_lead).post(
        reverse("trajectories:assign", args=[trajectory.uuid]),
        {"user": team_lead.pk, "kind": "substitute", "starts_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 422
    assert "U kunt uzelf geen toegang tot een dossier geven" in response.content.decode()
    assert not TrajectoryAssignment.objects.filter(user=team_lead).exists()
    assert not policies.can_view_trajectory(team_lead, trajectory)
    assert login(team_lead).get(reverse("trajectories:detail", args=[trajectory.uuid])).status_code == 403


@pytest.mark.django_db
def test_a_team_lead_cannot_hand_a_trajectory_to_themselves(login, professional, team_lead, trajectory):
    response = login(team_lead).post(
        reverse("trajectories:transfer", args=[trajectory.uuid]),
        {"responsible": team_lead.pk, "reason": "Ik neem het over", "version": trajectory.version},
    )
    assert response.status_code == 422
    assert "U kunt uzelf geen toegang tot een dossier geven" in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.responsible == professional
    assert policies.can_change_trajectory(professional, trajectory)
    assert not policies.can_view_trajectory(team_lead, trajectory)


@pytest.mark.django_db
def test_the_services_refuse_self_access_too(team_lead, trajectory):
    with pytest.raises(ValidationError, match="uzelf geen toegang"):
        services.assignment_add(
            actor=team_lead,
            trajectory=trajectory,
            user=team_lead,
            kind="substitute",
            starts_on=timezone.localdate(),
            ends_on=None,
        )
    with pytest.raises(ValidationError, match="uzelf geen toegang"):
        services.trajectory_transfer(
            actor=team_lead,
            trajectory=trajectory,
            responsible=team_lead,
            reason="x",
            version=trajectory.version,
        )


@pytest.mark.django_db
def test_the_staffing_forms_do_not_offer_yourself(login, colleague, team_lead, trajectory):
    page = login(team_lead).get(reverse("trajectories:staffing", args=[trajectory.uuid]))
    choices = {user.pk for user in page.context["assignment_form"].fields["user"].queryset}
    assert colleague.pk in choices and team_lead.pk not in choices
    assert team_lead.pk not in {u.pk for u in page.context["transfer_form"].fields["responsible"].queryset}


@pytest.mark.django_db
def test_another_team_lead_can_still_add_a_team_lead(team_lead, trajectory, team):
    from tests.factories import UserFactory
    from waardewerk.accounts.models import Role

    other_lead = UserFactory(organisation=team.organisation, role=Role.TEAM_LEAD)
    other_lead.teams.add(team)
    services.assignment_add(
        actor=other_lead,
        trajectory=trajectory,
        user=team_lead,
        kind="co_professional",
        starts_on=timezone.localdate(),
        ends_on=None,
    )
    assert policies.can_change_trajectory(team_lead, trajectory)


# Emergency access -----------------------------------------------------------------------------------------


def _open(team_lead, trajectory, reason=REASON):
    return services.emergency_access_open(actor=team_lead, trajectory=trajectory, reason=reason)


@pytest.mark.django_db
@override_settings(WAARDEWERK_EMERGENCY_ACCESS_HOURS=4)
def test_emergency_access_gives_reading_for_the_window_only(team_lead, trajectory):
    assert policies.can_open_emergency_access(team_lead, trajectory)
    access = _open(team_lead, trajectory)
    assert access.ends_at - access.starts_at == dt.timedelta(hours=4)
    assert policies.can_view_trajectory(team_lead, trajectory)
    assert list(policies.visible_trajectories(team_lead)) == [trajectory]
    assert policies.can_view_client(team_lead, trajectory.client)
    # Reading only: no change, no staffing beyond what a team lead already does, no report, no caseload.
    assert not policies.can_change_trajectory(team_lead, trajectory)
    assert not policies.can_edit_client(team_lead, trajectory.client)
    assert not policies.working_trajectories(team_lead).exists()
    assert not policies.can_open_emergency_access(team_lead, trajectory)  # one at a time
    # After the window: nothing.
    later = timezone.now() + dt.timedelta(hours=4, seconds=1)
    assert not policies.active_emergency_accesses(team_lead, now=later).exists()
    EmergencyAccess.objects.filter(pk=access.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=5), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert not policies.can_view_trajectory(team_lead, trajectory)
    assert policies.can_open_emergency_access(team_lead, trajectory)


@pytest.mark.django_db
def test_a_reason_is_required(team_lead, trajectory):
    with pytest.raises(ValidationError) as exc:
        _open(team_lead, trajectory, reason="   ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _open(team_lead, trajectory, reason="x" * 501)
    assert not EmergencyAccess.objects.exists()


@pytest.mark.django_db
def test_only_a_team_lead_of_the_team_for_an_open_trajectory(
    professional, colleague, team_lead, functional_admin, trajectory, organisation
):
    from tests.factories import TeamFactory, UserFactory
    from waardewerk.accounts.models import Role

    other_team_lead = UserFactory(organisation=organisation, role=Role.TEAM_LEAD)
    other_team_lead.teams.add(TeamFactory(organisation=organisation))
    for actor in (professional, colleague, functional_admin, other_team_lead):
        with pytest.raises(PermissionDeniedError):
            _open(actor, trajectory)
    closed = TrajectoryFactory(
        responsible=colleague,
        client__organisation=organisation,
        team=trajectory.team,
        end_date=timezone.localdate(),
        end_reason="moved",
    )
    with pytest.raises(PermissionDeniedError):
        _open(team_lead, closed)


@pytest.mark.django_db
def test_the_flow_through_the_pages(login, client, professional, team_lead, functional_admin, trajectory):
    """The team lead finds it on the staffing page, states a reason, reads the dossier (read only); every
    read is flagged; the professional, the client and the administrator see it."""
    from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT

    make_measurement(trajectory, "lwc", lwc_answers())
    lead = login(team_lead)
    staffing = lead.get(reverse("trajectories:staffing", args=[trajectory.uuid])).content.decode()
    url = reverse("trajectories:emergency_access", args=[trajectory.uuid])
    assert url in staffing
    assert lead.get(url).status_code == 200
    refused = lead.post(url, {"reason": ""})
    assert refused.status_code == 422 and not EmergencyAccess.objects.exists()
    response = lead.post(url, {"reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == reverse("trajectories:detail", args=[trajectory.uuid])
    access = EmergencyAccess.objects.get()

    before = AccessEvent.objects.count()
    page = lead.get(reverse("trajectories:detail", args=[trajectory.uuid]))
    assert page.status_code == 200 and REASON in page.content.decode()
    assert reverse("reports:choose", args=[trajectory.uuid]) not in page.content.decode()
    assert reverse("trajectories:close", args=[trajectory.uuid]) not in page.content.decode()
    dossier = lead.get(reverse("clients:dossier", args=[trajectory.client.uuid])).content.decode()
    assert reverse("clients:edit", args=[trajectory.client.uuid]) not in dossier
    assert lead.get(reverse("clients:dossier", args=[trajectory.client.uuid])).status_code == 200
    assert lead.get(reverse("instruments:effect", args=[trajectory.uuid])).status_code == 200
    reads = AccessEvent.objects.filter(pk__gt=0).order_by("id")[before:]
    assert reads and all(event.emergency_access == access.uuid for event in reads if event.client_uuid)
    # Read only: a change is refused with the reason; the report too.
    change = lead.post(
        reverse("trajectories:add_note", args=[trajectory.uuid]),
        {"date": timezone.localdate().isoformat(), "text": "Gebeld."},
    )
    assert change.status_code == 403 and "niet wijzigen" in change.content.decode()
    assert lead.get(reverse("reports:choose", args=[trajectory.uuid])).status_code == 403

    # The responsible professional sees who, when and why on the trajectory page; their reads are not flagged.
    client.logout()
    own = login(professional).get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()
    assert "Noodtoegang tot dit dossier" in own and REASON in own and "Lea Leider" in own
    assert reverse("reports:choose", args=[trajectory.uuid]) in own
    assert AccessEvent.objects.order_by("-id").first().emergency_access is None

    # The administrator filters the access log on emergency access.
    client.logout()
    admin = login(functional_admin)
    session = admin.session
    session[TWO_FACTOR_VERIFIED_AT] = 1
    session.save()
    log = admin.get(reverse("audit:log") + "?emergency=on")
    rows = list(log.context["page"].object_list)
    assert rows and all(row.emergency_access == access.uuid for row in rows)
    assert "Noodtoegang" in log.content.decode()

    # The client sees it under who looked at their file, with the reason.
    client.logout()
    log_in_client(client, trajectory.client)
    seen = client.get(reverse("portal:access_log")).content.decode()
    assert "Noodtoegang" in seen and REASON in seen


@pytest.mark.django_db
def test_the_chain_covers_the_flag(team_lead, trajectory):
    """An emergency flag is part of the event's hash; events without one keep the hash they had."""
    from waardewerk.audit.services import canonical

    _open(team_lead, trajectory)
    event = AccessEvent.objects.exclude(emergency_access=None).values().get()
    plain = dict(event, emergency_access=None)
    assert canonical(event, event["prev_hash"]) != canonical(plain, event["prev_hash"])
    assert "emergency_access" not in canonical(plain, "0").decode()
