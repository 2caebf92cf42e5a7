"""The timeline's parts (``pages.timeline_entries``) write what the template parts wrote: every event's part
of the former ``pages/timeline.html`` (kept here as ``timeline_former.template``, with the filters it
loaded) and the Python part, for every event with its details and without, by a colleague, by the client and
by nobody, with values and free texts that need escaping, in Dutch and English. And ``{% timeline_items %}``
puts them in their list items as the template's loop did."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.utils import timezone, translation

from waardewerk.pages.templatetags.timeline import ITEM
from waardewerk.pages.timeline_entries import CHOICES, PARTS, translations
from waardewerk.timeline.models import CLIENT, EVENTS, TimelineEntry

FORMER = (Path(__file__).parent / "timeline_former.template").read_text()
HEADER = FORMER[: FORMER.index("%}") + 2]  # the template's ``load``
FORMER_PARTS = {
    event: Template(HEADER + source)
    for event, source in re.findall(r"{% partialdef (\w+) %}(.*?){% endpartialdef %}", FORMER, re.DOTALL)
}

NAME = "Anna <b>\"de\" Vries</b> & 'co'"
TEXT = "Eerste regel <script>alert('x')</script> & 50 %\r\ntweede %(d)s regel\rderde\n\nvierde"
INSTRUMENT = {"nl": "Werk & <waarden>", "en": "Work & <values>"}


def first(choices: str) -> str:
    return CHOICES[choices].values[0]


def last(choices: str) -> str:
    return CHOICES[choices].values[-1]


# Per event: the data and texts of an entry with every detail; an entry without any is made for every event.
FULL = {
    "started": ({"to": first("phase")}, {"reason": TEXT}),
    "phase": ({"from": first("phase"), "to": last("phase")}, {"reason": TEXT}),
    "handover": ({"from": NAME, "to": "Bram <i>"}, {"reason": TEXT}),
    "assignment": (
        {"name": NAME, "as": first("assignment"), "from": "2026-08-17", "until": "2027-01-03"},
        {},
    ),
    "assignment_ended": ({"name": NAME}, {}),
    "closed": ({"reason": last("end_reason")}, {"note": TEXT}),
    "conversation": (
        {"mode": first("mode"), "principles": [INSTRUMENT, "Eigen <regie>", {"nl": "Alleen & nl"}]},
        {"summary": TEXT},
    ),
    "appointment_planned": (
        {
            "kind": first("appointment"),
            "starts_at": "2026-08-17T12:30:00+00:00",
            "channel": last("channel"),
            "duration": 45.5,
        },
        {},
    ),
    "appointment_moved": (
        {
            "kind": last("appointment"),
            "starts_at": "2026-12-01T09:05:00+05:00",
            "from": "2026-11-30T23:30:00",
        },
        {},
    ),
    "appointment_cancelled": ({"kind": "<onbekend>", "starts_at": "2027-03-28T01:30:00+00:00"}, {}),
    "action": ({"due": "2026-02-03", "owner": first("owner")}, {"description": TEXT}),
    "action_done": ({}, {"description": TEXT}),
    "action_cancelled": ({}, {"description": NAME}),
    "action_reopened": ({}, {"description": TEXT}),
    "action_done_by_client": ({}, {"description": TEXT}),
    "measurement": (
        {
            "instrument": INSTRUMENT,
            "respondent": first("respondent"),
            "result": {"nl": "set 3 van 7 <b>", "en": "set 3 of 7 <b>"},
            "correction": True,
        },
        {"reason": TEXT},
    ),
    "plan_version": ({"number": 12}, {"reason": TEXT}),
    "plan_agreed": ({"number": 3, "method": last("method")}, {"note": TEXT}),
    "note": ({}, {"text": TEXT}),
    "adjustment": ({"prompted_by": first("prompt")}, {"reason": TEXT, "change": NAME}),
    "evaluation": ({}, {"client_evaluation": TEXT}),
    "goal_proposed": ({"new_goal": True}, {"text": TEXT, "original": NAME}),
    "preference_corrected": ({}, {"text": TEXT, "original": NAME}),
    "client_evaluation": (
        {"changed": True, "satisfaction": last("satisfaction")},
        {"went_well": TEXT, "was_hard": NAME, "advice": 'Doe <het> "gewoon"'},
    ),
    "goal_accepted": ({}, {}),
    "goal_declined": ({}, {"reason": TEXT}),
    "consent_given": ({"kind": first("consent"), "party": NAME}, {}),
    "consent_withdrawn": ({"kind": last("consent"), "party": "UWV"}, {}),
    "questionnaire_requested": ({"instrument": INSTRUMENT}, {}),
    "questionnaire_cancelled": ({"instrument": "Zonder <talen>"}, {}),
    "job_decided": (
        {"job": "Kok & <chef>", "employer": NAME, "decision": first("decision")},
        {"reason": TEXT},
    ),
    "job_answered": ({"job": "Kok", "employer": NAME, "response": last("response")}, {"note": TEXT}),
    "placement": ({"job": "Kok & <chef>", "employer": NAME, "start": "2026-09-01"}, {}),
    "follow_up": ({"month": 6, "job": "Kok & <chef>", "still_working": True}, {"note": TEXT}),
    "candidate_profile": ({"hours": 32}, {"strengths": TEXT}),
}
# Other branches: the other title, the singular, details partly there.
MORE = [
    ("assignment", {"name": "Bram", "as": last("assignment"), "from": "2026-08-17"}, {}),
    ("goal_proposed", {}, {"text": TEXT}),
    ("preference_corrected", {}, {"text": NAME}),
    ("client_evaluation", {}, {"advice": TEXT}),
    ("follow_up", {"month": 1, "job": "Kok", "still_working": False}, {}),
    ("follow_up", {"month": 12, "job": "Kok"}, {"note": "kort"}),
    ("candidate_profile", {"hours": 1}, {}),
    ("measurement", {"instrument": "Ladder", "respondent": "<x>", "result": ""}, {}),
    ("conversation", {"mode": "<x>", "principles": []}, {}),
    ("appointment_planned", {"kind": first("appointment"), "starts_at": "geen datum", "duration": 60}, {}),
    ("plan_version", {"number": None}, {}),
]
EMPTY = [(event, {}, {}) for event in sorted(EVENTS) if event != "follow_up"]  # (a count is needed there)


def actors():
    colleague = get_user_model()(id=7, username="anna", first_name="Anna", last_name="<b>de Vries</b> & co")
    return [("colleague", colleague), ("client", CLIENT), ("nobody", None)]


def entry(event, data, texts, actor):
    made = TimelineEntry(
        event=event,
        kind=EVENTS[event],
        occurred_at=dt.datetime(2026, 8, 17, 22, 30, tzinfo=dt.UTC),
        data=data,
        summary=json.dumps(texts),
        actor_label=CLIENT if actor == CLIENT else "",
    )
    if actor not in (None, CLIENT):
        made.actor = actor
    return made


def entries():
    cases = [(event, *FULL[event]) for event in sorted(EVENTS)] + MORE + EMPTY
    return [entry(event, data, texts, actor) for event, data, texts in cases for _, actor in actors()]


def test_every_event_has_a_part():
    assert set(PARTS) == set(EVENTS) == set(FORMER_PARTS)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_parts_write_what_the_template_wrote(language):
    with translation.override(language), timezone.override("Europe/Amsterdam"):
        _ = translations()
        for shown in entries():
            expected = FORMER_PARTS[shown.event].render(Context({"entry": shown}))
            written = PARTS[shown.event](shown, _)
            assert written == expected, (shown.event, shown.data, shown.texts)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_parts_as_with_djangos_own_translate_tags(language):
    """The former template loaded ``lean_i18n``; with Django's own tags it wrote the same."""
    django_parts = {
        event: Template("{% load i18n timeline %}" + part.source[len(HEADER) :])
        for event, part in FORMER_PARTS.items()
    }
    with translation.override(language):
        _ = translations()
        for shown in entries():
            assert PARTS[shown.event](shown, _) == django_parts[shown.event].render(Context({"entry": shown}))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_timeline_items_as_the_loop(language):
    """The list items, with each entry's day in the page's time zone, as the template's loop wrote them."""
    shown = entries()
    with translation.override(language):
        expected = "".join(
            ITEM.format(
                item.style,
                timezone.localtime(item.occurred_at).date().isoformat(),
                Template("{% load timeline %}{{ day|day }}").render(
                    Context({"day": timezone.localtime(item.occurred_at).date()})
                ),
                FORMER_PARTS[item.event].render(Context({"entry": item})),
            )
            for item in shown
        )
        written = Template("{% load timeline %}{% timeline_items entries %}").render(
            Context({"entries": shown})
        )
    assert written == expected


def test_an_entry_reads_in_the_readers_language():
    shown = entry(
        "measurement",
        {
            "instrument": {"nl": "Waarden", "en": "Values"},
            "respondent": "client",
            "result": {"nl": "vermogensset 3 van 7", "en": "capability set 3 of 7"},
            "correction": True,
        },
        {"reason": "Typefout"},
        CLIENT,
    )
    with translation.override("nl"):
        dutch = PARTS["measurement"](shown, translations())
    with translation.override("en"):
        english = PARTS["measurement"](shown, translations())
    assert "Meting Waarden (cliënt): vermogensset 3 van 7" in dutch and "door de cliënt" in dutch
    assert "Correctie: Typefout" in dutch
    assert "Measurement Values (client): capability set 3 of 7" in english and "by the client" in english


def test_who_made_an_entry_follows_its_title():
    """The colleague by name (escaped), the client in the portal, or nobody."""
    colleague, client, nobody = (actor for _, actor in actors())
    with translation.override("nl"):
        _ = translations()
        by_colleague = PARTS["goal_accepted"](entry("goal_accepted", {}, {}, colleague), _)
        by_client = PARTS["goal_accepted"](entry("goal_accepted", {}, {}, client), _)
        by_nobody = PARTS["goal_accepted"](entry("goal_accepted", {}, {}, nobody), _)
    assert '<span class="ww-muted">– Anna &lt;b&gt;de Vries&lt;/b&gt; &amp; co</span>' in by_colleague
    assert "– de cliënt, in het portaal</span>" in by_client
    assert "ww-muted" not in by_nobody
