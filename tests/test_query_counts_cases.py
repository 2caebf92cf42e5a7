"""Query budgets of the case presentation and review pages: constant, whatever the number of presentations,
reviews and the data of the trajectory presented."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.intervision_cases import consented_case, present
from waardewerk.intervision import services
from waardewerk.intervision.models import IntervisionGroup

BUDGET = 18  # the owner's preview reads the whole trajectory: plan, measurements, conversations, ...


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


class Grower:
    """A group whose case owner presents more consented cases each round, each reviewed by a peer."""

    def __init__(self, owner, peer):
        self.owner, self.peer = owner, peer
        self.group = IntervisionGroup.objects.create(organisation=owner.organisation, name="OT-groep Groei")
        self.group.members.set([owner, peer])
        self.presentations, self.reviews = [], []

    def grow(self, n):
        for _ in range(n):
            trajectory, _lwc = consented_case(self.owner)
            presentation = present(self.owner, self.group, trajectory)
            review = services.review_start(actor=self.peer, presentation=presentation)
            services.review_save(
                actor=self.peer,
                review=review,
                base_version=review.version,
                verdicts={},
                words={},
                share_with=self.group,
            )
            self.presentations.append(presentation)
            self.reviews.append(review)
        self.draft = present(self.owner, self.group, self.presentations[-1].trajectory, share=False)

    def pages(self):
        first = self.presentations[0]
        return [
            reverse("intervision:group", args=[self.group.uuid]),
            reverse("intervision:presentation_new", args=[self.group.uuid]),
            reverse("intervision:presentation", args=[first.uuid]),
            reverse("intervision:presentation", args=[self.draft.uuid]),
            reverse("intervision:presentation_edit", args=[self.draft.uuid]),
            reverse("intervision:reviews"),
            reverse("intervision:review_new"),
            reverse("intervision:review", args=[self.reviews[0].uuid]),
            reverse("intervision:checkpoints"),
        ]


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["owner", "peer"])
def test_case_pages_use_a_constant_number_of_queries(login, professional, team_lead, reader):
    grower = Grower(professional, team_lead)
    grower.grow(1)
    c = login(professional if reader == "owner" else team_lead)
    pages = [
        p for p in grower.pages() if reader == "owner" or "edit" not in p and grower.draft.uuid.hex not in p
    ]
    pages = [p for p in pages if reader == "owner" or str(grower.draft.uuid) not in p]
    small = [_queries(c, url) for url in pages]
    grower.grow(4)
    large = [_queries(c, url) for url in pages]
    assert large == small, list(zip(pages, small, large, strict=True))
    assert max(large) <= BUDGET, list(zip(pages, large, strict=True))
