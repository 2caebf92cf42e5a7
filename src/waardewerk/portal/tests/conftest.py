import re

import pytest
from django.core import mail

from tests.factories import TrajectoryFactory


@pytest.fixture
def trajectory(professional, team):
    return TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        client__email="jan.jansen@example.org",
        client__phone="06-12345678",
        client__first_name="Jan",
        client__last_name="Jansen",
        team=team,
    )


@pytest.fixture
def invite(trajectory, professional):
    """Send an invitation through the service; returns (invitation, token)."""
    from waardewerk.portal import services

    def _invite(channel="email", actor=None):
        return services.invitation_send(
            actor=actor or professional,
            trajectory=trajectory,
            channel=channel,
            link_for=lambda token: f"http://testserver/portal/invitation/{token}/",
        )

    return _invite


def code_from_outbox() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
