"""Generated data (``waardewerk generate``) gives the team quality page real figures, trends and suppressed
cells."""

import datetime as dt

import pytest

from waardewerk.accounts.models import Organisation
from waardewerk.quality import figures
from waardewerk.sampledata.generate import Generator


@pytest.mark.django_db
def test_generated_data_gives_figures_per_quarter_and_suppressed_cells():
    Generator(clients=600, seed=3, today=dt.date(2026, 3, 2)).run()
    shown, suppressed, quarters_shown = 0, 0, set()
    for organisation in Organisation.objects.all():
        data = figures.compute(organisation.pk, today=dt.date(2026, 3, 2))
        for scope, per_quarter in data["scopes"].items():
            for quarter, values in per_quarter.items():
                for name in figures.SHARES:
                    if values[name]["n"] is None:
                        suppressed += 1
                    else:
                        shown += 1
                        assert values[name]["n"] >= 10
                        if scope.startswith("team:"):
                            quarters_shown.add(quarter)
    assert shown and suppressed
    assert len(quarters_shown) >= 2  # a trend can be shown
