"""The focus of an OT-groep's learning cycle (docs/intervision.md, "The learning cycle"): the part of the
method the group chooses to apply until the next session: a topic of the conversation guide, an instrument,
or a guiding principle. Each is chosen from the current content (by key, with its title kept as chosen); a
principle the list does not hold yet the group names in its own words ("another guiding principle")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from waardewerk.instruments.selectors import catalogue
from waardewerk.intervision.models import FocusKind
from waardewerk.knowledge.selectors import current_guide, current_principles

PRINCIPLE = FocusKind.PRINCIPLE.value  # a principle in the group's own words


def options() -> dict[str, tuple[str, str, str]]:
    """value -> (kind, key, label) of every focus that can be chosen now (three queries)."""
    out: dict[str, tuple[str, str, str]] = {}
    found = current_guide()
    if found is not None:
        _version, guide = found
        for _phase, _intro, topics in guide.phases():
            for topic in topics:
                out.setdefault(f"topic:{topic.key}", (FocusKind.GUIDE_TOPIC, topic.key, topic.title))
    for instrument, definition in catalogue():
        out[f"instrument:{instrument.key}"] = (FocusKind.INSTRUMENT, instrument.key, definition.title)
    principles = current_principles()
    if principles is not None:
        for key, title in principles[1].choices():
            out[f"principle:{key}"] = (FocusKind.PRINCIPLE, key, title)
    out[PRINCIPLE] = (FocusKind.PRINCIPLE, "", "")
    return out


def choices(found: dict[str, tuple[str, str, str]]) -> list:
    """The choice of a form, grouped by kind."""
    topics = [(value, label) for value, (kind, _k, label) in found.items() if kind == FocusKind.GUIDE_TOPIC]
    instruments = [
        (value, label) for value, (kind, _k, label) in found.items() if kind == FocusKind.INSTRUMENT
    ]
    principles = [
        (value, label) for value, (kind, key, label) in found.items() if kind == FocusKind.PRINCIPLE and key
    ]
    principles.append((PRINCIPLE, _("Another guiding principle (name it below)")))
    out = [("", "—")]
    if topics:
        out.append((_("A topic of the conversation guide"), topics))
    if instruments:
        out.append((_("An instrument"), instruments))
    out.append((_("A guiding principle"), principles))
    return out


def value_of(session) -> str:
    if session.focus_kind == FocusKind.GUIDE_TOPIC:
        return f"topic:{session.focus_key}"
    if session.focus_kind == FocusKind.INSTRUMENT:
        return f"instrument:{session.focus_key}"
    if session.focus_kind == FocusKind.PRINCIPLE:
        return f"principle:{session.focus_key}" if session.focus_key else PRINCIPLE
    return ""
