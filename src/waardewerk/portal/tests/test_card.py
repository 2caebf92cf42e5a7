"""The portal card of the trajectory section: its figures come from correlated SQL on the trajectory row
(``selectors.card_annotations``), so they are checked here against the rows, on either database."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import TrajectoryFactory
from waardewerk.portal import services
from waardewerk.portal.models import GoalProposal, PortalInvitation, ProposalStatus
from waardewerk.portal.selectors import card_annotations, portal_card
from waardewerk.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def _card(trajectory):
    row = (
        Trajectory.objects.select_related("client__portal_account")
        .annotate(**card_annotations())
        .get(pk=trajectory.pk)
    )
    return portal_card(row)


def test_the_card_counts_the_open_proposals_and_questionnaires_of_this_trajectory(
    trajectory, professional, team
):
    assert (_card(trajectory).open_proposals, _card(trajectory).open_requests) == (0, 0)
    GoalProposal.objects.create(trajectory=trajectory, text="Werken in de zorg")
    GoalProposal.objects.create(trajectory=trajectory, text="Een opleiding", goal_key="g-1")
    GoalProposal.objects.create(trajectory=trajectory, text="Koken", status=ProposalStatus.DECLINED)
    asked = services.questionnaire_request(actor=professional, trajectory=trajectory, key="igm")
    services.questionnaire_cancel(actor=professional, request=asked)
    services.questionnaire_request(actor=professional, trajectory=trajectory, key="igm")
    # Another client's trajectory of the same professional does not count here.
    other = TrajectoryFactory(
        responsible=professional, client__organisation=professional.organisation, team=team
    )
    GoalProposal.objects.create(trajectory=other, text="Iets anders")
    services.questionnaire_request(actor=professional, trajectory=other, key="igm")
    card = _card(trajectory)
    assert (card.open_proposals, card.open_requests) == (2, 1)
    assert (_card(other).open_proposals, _card(other).open_requests) == (1, 1)


def test_the_card_shows_the_newest_invitation_still_usable(trajectory, invite):
    assert _card(trajectory).invitation_expires_at is None
    invitation, _token = invite()
    assert _card(trajectory).invitation_expires_at == invitation.expires_at
    now = timezone.now()
    rows = PortalInvitation.objects.filter(pk=invitation.pk)
    # The link is used and its code is on its way: still open, though the link itself has expired.
    rows.update(used_at=now, expires_at=now - dt.timedelta(minutes=1), code_digest="x" * 64)
    rows.update(code_expires_at=now + dt.timedelta(minutes=10))
    assert _card(trajectory).invitation_expires_at == now - dt.timedelta(minutes=1)
    rows.update(code_expires_at=now - dt.timedelta(seconds=1))  # the code expired
    assert _card(trajectory).invitation_expires_at is None
    rows.update(code_expires_at=now + dt.timedelta(minutes=10), completed_at=now)  # logged in with it
    assert _card(trajectory).invitation_expires_at is None
    newer, _token = invite()
    assert _card(trajectory).invitation_expires_at == newer.expires_at
    PortalInvitation.objects.filter(pk=newer.pk).update(expires_at=now - dt.timedelta(seconds=1))
    assert _card(trajectory).invitation_expires_at is None
