"""The figures of "what worked here" (docs/practice-evidence.md, "Method")."""

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import OrganisationFactory, UserFactory, lwc_answers
from waardewerk.accounts.models import Role
from waardewerk.insights import figures, selectors
from waardewerk.insights.models import EvidenceSnapshot
from waardewerk.insights.tests.helpers import build_practice, planned_trajectory
from waardewerk.knowledge.models import KnowledgeEntry

pytestmark = pytest.mark.django_db


def _entry_figures(organisation, key="ips"):
    data = figures.compute(organisation.pk)
    return data["entries"][str(KnowledgeEntry.objects.get(key=key).pk)]


def _row(data, kind, term="", part="", respondent=None):
    return next(
        row
        for row in data["measures"]
        if row["measure"]["kind"] == kind
        and row["measure"]["term"] == term
        and row["measure"]["part"] == part
        and (respondent is None or row["measure"]["respondent"] == respondent)
    )


def test_chosen_per_context_with_complementary_suppression(professional):
    build_practice(professional)
    data = _entry_figures(professional.organisation)
    assert data["chosen"] == 15
    # 3 in WIA/WGA is too few; 12 in WW goes too, or 15 - 12 would give the 3 away. Every context is a
    # cell, those without a choice too (0 is below k), so an empty context is not told from a small one.
    assert data["contexts"] == {
        "first_track": None,
        "second_track": None,
        "participation_act": None,
        "ww": None,
        "wia_wga": None,
        "other": None,
    }
    assert data["compared"] == 15


def test_change_from_the_last_measurement_before_to_the_first_after(professional):
    build_practice(professional)
    data = _entry_figures(professional.organisation)
    size = _row(data, "set_size")
    assert size["with"] == {
        "n": 13,
        "rate": 86.7,
        "q1": 1,
        "median": 1,
        "q3": 1,
        "before": 6,
        "after": 7,
    }
    assert size["without"]["n"] == 15 and size["without"]["median"] == 0
    # The entry aims at income: its B and C went from 2 to 4; A stayed.
    assert _row(data, "value", "income", "enabled")["with"]["median"] == 2
    assert _row(data, "value", "income", "importance")["with"]["median"] == 0
    assert _row(data, "level", respondent="professional")["with"]["median"] == 1
    # Values the entry does not aim at are not shown.
    assert not [r for r in data["measures"] if r["measure"]["term"] == "develop_skills"]


def test_outcome_at_the_evaluation(professional):
    build_practice(professional)
    outcome = _entry_figures(professional.organisation)["outcome"]
    # 8 of 15 found work, 7 did not, none without an evaluation: 0 is below k, so another cell goes too.
    assert outcome["with"]["total"] == 15
    assert outcome["with"]["cells"]["not_evaluated"] is None
    assert outcome["with"]["cells"]["no_work"] is None
    assert outcome["with"]["cells"]["work"] is None or outcome["with"]["cells"]["work"] >= 10


def test_too_few_trajectories_show_nothing_but_the_fact(professional):
    build_practice(professional, choosers_ww=6, choosers_wia=0, others=3)
    data = _entry_figures(professional.organisation)
    assert data["chosen"] is None
    assert data["compared"] is None
    for row in data["measures"]:
        assert row["with"] == {"n": None}
        assert row["without"] == {"n": None}


@override_settings(INSIGHTS_MIN_CELL_SIZE=5)
def test_k_is_a_setting(professional):
    build_practice(professional, choosers_ww=6, choosers_wia=0, others=3)
    data = _entry_figures(professional.organisation)
    assert data["chosen"] == 6
    assert _row(data, "set_size")["with"]["n"] is None  # 4 with both measurements


def test_only_the_organisation_s_own_trajectories_count(professional):
    build_practice(professional)
    other = UserFactory(organisation=OrganisationFactory(name="Elders"), role=Role.PROFESSIONAL)
    assert figures.compute(other.organisation_id) == {"entries": {}}


def test_the_snapshot_is_computed_again_when_stale(professional):
    build_practice(professional, choosers_ww=0, choosers_wia=0, others=0)
    first = selectors.snapshot_for(professional.organisation_id)
    assert selectors.snapshot_for(professional.organisation_id).computed_at == first.computed_at
    EvidenceSnapshot.objects.filter(pk=first.pk).update(computed_at=timezone.now() - dt.timedelta(hours=25))
    assert selectors.snapshot_for(professional.organisation_id).computed_at > first.computed_at
    with override_settings(INSIGHTS_MIN_CELL_SIZE=12):
        assert selectors.snapshot_for(professional.organisation_id).min_cell_size == 12


def test_the_pages_show_figures_and_suppressed_cells(client, professional):
    build_practice(professional)
    client.force_login(professional)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    overview = client.get(reverse("insights:overview"))
    assert overview.status_code == 200
    text = overview.content.decode()
    assert reverse("insights:entry", args=["ips"]) in text and "not proof" in text
    page = client.get(reverse("insights:entry", args=["ips"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "too few to show" in text and "86.7%" in text and "Computed at" in text


def test_an_unknown_entry_is_not_found(client, professional):
    client.force_login(professional)
    assert client.get(reverse("insights:entry", args=["no-such-entry"])).status_code == 404


def test_the_compute_command(professional):
    from io import StringIO

    from django.core.management import CommandError, call_command

    build_practice(professional, choosers_ww=2, choosers_wia=0, others=1)
    out = StringIO()
    call_command("insights", "compute", stdout=out)
    assert "1 entries chosen" in out.getvalue()
    assert EvidenceSnapshot.objects.filter(organisation=professional.organisation).exists()
    for wrong in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(CommandError, match="No organisation"):
            call_command("insights", "compute", "--organisation", wrong)


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_the_pages_of_an_organisation_without_data(client, professional):
    overview = _page(client, professional, reverse("insights:overview"))
    assert "Nog geen item uit de kennisbank is gekozen in een plan van deze organisatie." in overview
    page = _page(client, professional, reverse("insights:entry", args=["ips"]))
    assert "Dit item is nog niet gekozen in een plan van deze organisatie." in page
    assert "<table" not in page


def test_the_pages_of_an_entry_chosen_by_few_trajectories(client, professional):
    build_practice(professional, choosers_ww=3, choosers_wia=1, others=20)
    overview = _page(client, professional, reverse("insights:overview"))
    assert reverse("insights:entry", args=["ips"]) in overview and "te weinig om te tonen" in overview
    page = _page(client, professional, reverse("insights:entry", args=["ips"]))
    # Nothing about the 4 trajectories: no count, no context where it was chosen, no figure; the comparison
    # group (20) is shown.
    assert page.count("te weinig om te tonen") >= 6 + 1
    respondent = r'<td class="utrecht-table__cell">door de (?:cliënt|professional)</td>\s*'
    assert re.findall(respondent + '<td class="utrecht-table__cell" colspan="3">', page)
    assert not re.findall(respondent + '<td class="utrecht-table__cell utrecht-table__cell--numeric">', page)
    chose = page.split('scope="row">Gekozen</th>', 1)[1].split("</tr>", 1)[0]
    assert chose.count("te weinig om te tonen") == 3
    for context in ("WW-uitkering", "WIA/WGA-uitkering", "Participatiewet"):
        assert context in page  # every context is listed, whether or not it was chosen there


def test_the_pages_of_an_entry_chosen_by_many_in_the_screen_s_numbers(client, professional):
    build_practice(professional, choosers_ww=20, choosers_wia=12, others=30)
    page = _page(client, professional, reverse("insights:entry", args=["ips"]))
    assert "<strong>32</strong>" in page
    assert re.search(r"93,8%", page)  # 30 of 32 with both measurements, in Dutch
    assert "6 → 7" in page and "<strong>+1</strong>" in page
    assert "." not in re.sub(r"[^0-9.,%]", " ", page.split("<tbody", 2)[2]).replace(". ", " ")


# The comparison, matched and weighted -----------------------------------------------------------------------


@given(st.lists(st.integers(-10, 10), min_size=2, max_size=40), st.floats(0.1, 5))
@settings(max_examples=200, deadline=None)
def test_weighted_quartiles_with_equal_weights_are_the_inclusive_ones(values, weight):
    weighted = figures.quartiles(values, [weight] * len(values))
    plain = figures.quartiles(values)
    assert weighted == pytest.approx(plain)


def test_weighted_quartiles_follow_the_weights():
    # Ten 0s weighing 1.2 each and ten 1s weighing 0.3 each: the middle lies among the 0s.
    q1, median, q3 = figures.quartiles([0] * 10 + [1] * 10, [1.2] * 10 + [0.3] * 10)
    assert (q1, median) == (0, 0) and 0 < q3 < 0.5
    assert figures.quartiles([0] * 10 + [1] * 10) == (0, 0.5, 1)


def test_the_comparison_counts_only_the_strata_where_it_was_chosen(professional):
    """Those who chose it all started with a large capability set (band 5+); comparable trajectories that
    started with a small one (band 0-2) are left out of the comparison, whatever they did."""
    small, large, full = lwc_answers(b=2), lwc_answers(income=(4, 2, 2)), lwc_answers()
    for _ in range(12):
        planned_trajectory(professional, entry_key="ips", before=large, after=full)
    for _ in range(12):
        planned_trajectory(professional, before=large, after=large)
    for _ in range(12):
        planned_trajectory(professional, before=small, after=full)  # +7, but not comparable
    data = _entry_figures(professional.organisation)
    assert data["compared"] == 12
    size = _row(data, "set_size")
    assert size["without"]["n"] == 12 and size["without"]["median"] == 0
    assert size["without"]["before"] == 6


def test_the_comparison_is_weighted_to_the_strata_of_those_who_chose_it(professional):
    """12 chose it in WW and 3 in WIA/WGA; of the comparable ones, 10 in WW did not change and 10 in WIA/WGA
    went up one. Weighted, the WW ones weigh four times as much: the median change is 0, not 0.5."""
    low, high = lwc_answers(income=(4, 2, 2)), lwc_answers()
    for index in range(15):
        context = "ww" if index < 12 else "wia_wga"
        planned_trajectory(professional, context=context, entry_key="ips", before=low, after=high)
    for index in range(20):
        context = "ww" if index < 10 else "wia_wga"
        planned_trajectory(professional, context=context, before=low, after=low if context == "ww" else high)
    size = _row(_entry_figures(professional.organisation), "set_size")
    assert size["without"]["n"] == 20
    assert size["without"]["median"] == 0 and size["without"]["q1"] == 0 and 0 < size["without"]["q3"] < 0.5
    assert size["with"]["median"] == 1
