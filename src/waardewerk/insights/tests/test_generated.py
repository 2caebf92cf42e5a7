"""Generated data (``waardewerk generate``) gives "what worked here" real figures and suppressed cells."""

import datetime as dt

import pytest

from waardewerk.accounts.models import Organisation
from waardewerk.insights import figures
from waardewerk.knowledge.models import PlanChoiceEntry
from waardewerk.sampledata.generate import Generator


@pytest.mark.django_db
def test_generated_plans_choose_entries_with_figures_and_suppressed_cells():
    Generator(clients=600, seed=3, today=dt.date(2026, 3, 2)).run()
    assert PlanChoiceEntry.objects.exists()
    shown = suppressed = 0
    for organisation in Organisation.objects.all():
        for data in figures.compute(organisation.pk)["entries"].values():
            for row in data["measures"]:
                for cell in (row["with"], row["without"]):
                    if cell["n"] is None:
                        suppressed += 1
                    else:
                        shown += 1
                        assert cell["n"] >= 10
            suppressed += sum(value is None for value in data["contexts"].values())
    assert shown and suppressed
