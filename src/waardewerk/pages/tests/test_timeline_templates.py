"""Every timeline event has its part in ``pages/timeline.html``; the text is the template's, in the reader's
language, from the entry's data."""

import datetime as dt

import pytest
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from waardewerk.timeline.models import EVENTS, TimelineEntry
from waardewerk.timeline.services import timeline_entry


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_every_event_has_a_part(event):
    assert get_template(f"pages/timeline.html#{event}")


@pytest.mark.django_db
def test_an_entry_reads_in_the_readers_language(professional):
    entry = TimelineEntry(
        **timeline_entry(
            trajectory=1,
            event="measurement",
            occurred_at=timezone.now() - dt.timedelta(days=1),
            actor="client",
            data={
                "instrument": {"nl": "Waarden", "en": "Values"},
                "respondent": "client",
                "result": {"nl": "vermogensset 3 van 7", "en": "capability set 3 of 7"},
                "correction": True,
            },
            texts={"reason": "Typefout"},
        )
    )
    with translation.override("nl"):
        dutch = render_to_string("pages/timeline.html#measurement", {"entry": entry})
    with translation.override("en"):
        english = render_to_string("pages/timeline.html#measurement", {"entry": entry})
    assert "Meting Waarden (cliënt): vermogensset 3 van 7" in dutch and "door de cliënt" in dutch
    assert "Correctie: Typefout" in dutch
    assert "Measurement Values (client): capability set 3 of 7" in english and "by the client" in english


@pytest.mark.django_db
def test_who_made_an_entry_follows_its_title(professional):
    """The ``by`` filter: the colleague by name (escaped), the client in the portal, or nobody."""
    professional.first_name, professional.last_name = "Anna", "<b>de Vries</b>"

    def part(event, actor, data=None):
        entry = TimelineEntry(
            **timeline_entry(trajectory=1, event=event, occurred_at=timezone.now(), actor=actor, data=data)
        )
        if actor is professional:
            entry.actor = professional
        with translation.override("nl"):
            return render_to_string(f"pages/timeline.html#{event}", {"entry": entry})

    by_colleague = part("goal_accepted", professional)
    assert '<span class="ww-muted">– Anna &lt;b&gt;de Vries&lt;/b&gt;</span>' in by_colleague
    assert "– de cliënt, in het portaal</span>" in part("goal_accepted", "client")
    assert "ww-muted" not in part("goal_accepted", None)


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_no_part_keeps_state_per_render(event):
    """``timeline_items`` renders a part's nodes without a render state of their own and in one scope for all
    entries: no part may use a tag that keeps a state or sets a variable."""
    from django.template.defaulttags import CycleNode, IfChangedNode, PartialNode
    from django.template.loader_tags import IncludeNode

    nodelist = get_template(f"pages/timeline.html#{event}").template.nodelist
    for kind in (CycleNode, IfChangedNode, IncludeNode, PartialNode):
        assert not nodelist.get_nodes_by_type(kind), kind.__name__


def test_no_part_sets_a_variable():
    import re
    from pathlib import Path

    from waardewerk.pages import templatetags

    source = (Path(templatetags.__file__).parent.parent / "templates/pages/timeline.html").read_text()
    assert not re.search(r"{%[^%]*\sas\s+\w+\s*%}", source)
    assert "asvar" not in source
