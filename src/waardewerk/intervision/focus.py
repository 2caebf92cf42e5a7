"""The focus of an OT-groep's learning cycle (docs/intervision.md, "The learning cycle"): the part of the
method the group chooses to apply until the next session: a topic of the conversation guide, an instrument,
or a guiding principle. Topics and instruments are chosen from the current content (by key, with their
title kept as chosen); guiding principles are not content yet, so the group names one in its own words."""

from __future__ import annotations

from django.utils.translation import gettext as _

from waardewerk.instruments.selectors import catalogue
from waardewerk.intervision.models import FocusKind
from waardewerk.knowledge.selectors import current_guide

PRINCIPLE = FocusKind.PRINCIPLE.value


def options() -> dict[str, tuple[str, str, str]]:
    """value -> (kind, key, label) of every focus that can be chosen now (two queries)."""
    out: dict[str, tuple[str, str, str]] = {}
    found = current_guide()
    if found is not None:
        _version, guide = found
        for _phase, _intro, topics in guide.phases():
            for topic in topics:
                out.setdefault(f"topic:{topic.key}", (FocusKind.GUIDE_TOPIC, topic.key, topic.title))
    for instrument, definition in catalogue():
        out[f"instrument:{instrument.key}"] = (FocusKind.INSTRUMENT, instrument.key, definition.title)
    out[PRINCIPLE] = (FocusKind.PRINCIPLE, "", "")
    return out


def choices(found: dict[str, tuple[str, str, str]]) -> list:
    """The choice of a form, grouped by kind."""
    topics = [(value, label) for value, (kind, _k, label) in found.items() if kind == FocusKind.GUIDE_TOPIC]
    instruments = [
        (value, label) for value, (kind, _k, label) in found.items() if kind == FocusKind.INSTRUMENT
    ]
    out = [("", "—")]
    if topics:
        out.append((_("A topic of the conversation guide"), topics))
    if instruments:
        out.append((_("An instrument"), instruments))
    out.append((PRINCIPLE, _("A guiding principle (name it below)")))
    return out


def value_of(session) -> str:
    if session.focus_kind == FocusKind.GUIDE_TOPIC:
        return f"topic:{session.focus_key}"
    if session.focus_kind == FocusKind.INSTRUMENT:
        return f"instrument:{session.focus_key}"
    return PRINCIPLE if session.focus_kind == FocusKind.PRINCIPLE else ""
