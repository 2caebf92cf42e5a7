"""Writes of the conversation guide.

A guide changes only by a new version: a file loaded with ``guide_load`` (the command line, and the
shipped guide after ``migrate``), or one of the functional administrator's edits below. Each edit copies
the current definition, applies one change, checks the result with the same rules as a file, and stores
it as the next version with who made it and why. An edit carries the version the administrator saw
(``base_version``); when someone saved a newer version meanwhile, the edit is refused with
``ConcurrentEditError`` and nothing is overwritten.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.audit.services import audit_record
from waardewerk.core.content_versions import SHIPPED, ContentStore, LoadResult
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.instruments.models import Instrument
from waardewerk.knowledge import policies
from waardewerk.knowledge.guide import (
    KNOWLEDGE_SOURCES,
    PHASES,
    GuideError,
    check_guide,
    localised,
)
from waardewerk.knowledge.models import ConversationGuide, GuideVersion

BUILTIN_FILE = Path(__file__).resolve().parent / "guides" / "default.yaml"
TITLE_MAX = 200
WHY_MAX = 2000
QUESTION_MAX = 500
NOTE_MAX = 500
AUDIT_TYPE = "knowledge.guideversion"


# Versions and files ----------------------------------------------------------------------------------------


class GuideStore(ContentStore):
    """The conversation guide as versioned content (the rules: ``core.content_versions``): one guide per
    installation, and a newer shipped guide is not loaded over a version made here."""

    item_model = ConversationGuide
    version_model = GuideVersion
    error = GuideError
    noun = "conversation guide"
    load_command = "waardewerk guide load"
    single = True
    protect_local_changes = True
    note_max = NOTE_MAX
    stale_message = gettext_lazy(
        "Someone else saved version %(current)d of the guide after you opened version %(base)s. "
        "Your change is not saved: look at the current version and make your change there."
    )
    race_message = gettext_lazy(
        "Someone else saved a new version of the guide at the same moment. Your change is not saved."
    )
    missing_message = gettext_lazy("No conversation guide is loaded yet.")

    def check(self, raw) -> dict:
        return check_guide(raw)

    def describe(self, key: str) -> str:
        return "the guide"

    def shipped_files(self) -> list[Path]:
        return [BUILTIN_FILE] if BUILTIN_FILE.exists() else []


GUIDE = GuideStore()


def guide_load(text: str, *, filename: str = "", loaded_by: str = "") -> LoadResult:
    """Store a guide file as a version. The same version with the same content is a no-op; the same version
    with other content is refused; the highest version becomes the current one. An installation has one
    guide: a file for a guide with another key is refused."""
    return GUIDE.load(text, filename=filename, loaded_by=loaded_by)


def load_builtin(loaded_by: str = SHIPPED) -> LoadResult | None:
    """Load the shipped guide, unless the installation went its own way.

    The shipped file is loaded when there is no guide yet, or when it is newer than the current version
    and the current version is itself a shipped one. When the functional administrator edited the guide
    (or loaded another file), a newer shipped guide is not loaded over it: a warning says so, and
    ``waardewerk guide load`` loads it on purpose."""
    results = GUIDE.load_shipped(loaded_by)
    return results[0] if results else None


# Edits by the functional administrator ------------------------------------------------------------------


def _text(nl: str, en: str, field: str, maximum: int, errors: dict, missing: str) -> dict:
    nl, en = (nl or "").strip(), (en or "").strip()
    if not nl:
        errors[f"{field}_nl"] = missing
    for lang, value in (("nl", nl), ("en", en)):
        if len(value) > maximum:
            errors[f"{field}_{lang}"] = _("Use at most %(max)d characters (now %(n)d).") % {
                "max": maximum,
                "n": len(value),
            }
    return {"nl": nl, "en": en} if en else {"nl": nl}


def _questions(questions_nl: list[str], questions_en: list[str], errors: dict) -> list[dict]:
    """Pair the Dutch and English questions line by line; English may be missing per line."""
    nl = [(q or "").strip() for q in questions_nl or []]
    en = [(q or "").strip() for q in questions_en or []]
    while nl and not nl[-1]:
        nl.pop()
    while en and not en[-1]:
        en.pop()
    out = []
    if len(en) > len(nl):
        errors["questions_en"] = _(
            "There are more English questions than Dutch ones. Put each translation on the same line as "
            "its Dutch question."
        )
        return []
    for index, text in enumerate(nl):
        translation = en[index] if index < len(en) else ""
        if not text:
            if translation:
                errors["questions_en"] = _(
                    "Line %(line)d has an English question without a Dutch one. Put each translation on "
                    "the same line as its Dutch question."
                ) % {"line": index + 1}
            continue
        if len(text) > QUESTION_MAX or len(translation) > QUESTION_MAX:
            field = "questions_nl" if len(text) > QUESTION_MAX else "questions_en"
            errors[field] = _("Line %(line)d is longer than %(max)d characters.") % {
                "line": index + 1,
                "max": QUESTION_MAX,
            }
        out.append({"nl": text, "en": translation} if translation else {"nl": text})
    if not out and "questions_nl" not in errors:
        errors["questions_nl"] = _("Write at least one question (one per line).")
    return out


def _known_instruments() -> set[str]:
    return set(Instrument.objects.exclude(current=None).values_list("key", flat=True))


def _topic_body(
    definition: dict,
    *,
    title_nl,
    title_en,
    why_nl,
    why_en,
    questions_nl,
    questions_en,
    audiences,
    instruments,
    knowledge_source,
    keep_instruments=(),
    errors: dict,
) -> dict:
    """The topic's fields from the editor's input, or field errors in ``errors``."""
    title = _text(title_nl, title_en, "title", TITLE_MAX, errors, _("Give the topic a Dutch title."))
    why = _text(why_nl, why_en, "why", WHY_MAX, errors, _("Say (in Dutch) why this topic matters."))
    questions = _questions(questions_nl, questions_en, errors)
    all_audiences = [a["key"] for a in definition["audiences"]]
    chosen = list(dict.fromkeys(audiences or []))
    if not chosen:
        errors["audiences"] = _("Choose at least one audience.")
    elif not set(chosen) <= set(all_audiences):
        errors["audiences"] = _("Choose from the audiences of the guide.")
    instruments = list(dict.fromkeys(instruments or []))
    if instruments:
        unknown = set(instruments) - _known_instruments() - set(keep_instruments)
        if unknown:
            errors["instruments"] = _("Unknown instrument(s): %(keys)s.") % {
                "keys": ", ".join(sorted(unknown))
            }
    knowledge_source = knowledge_source or ""
    if knowledge_source not in ("", *KNOWLEDGE_SOURCES):
        errors["knowledge_source"] = _("Choose one of the kinds of knowledge.")
    return {
        "title": title,
        "why": why,
        # All audiences ticked: stored as "for everyone", so a later audience gets the topic as well.
        "audiences": [] if set(chosen) >= set(all_audiences) else [a for a in all_audiences if a in chosen],
        "questions": questions,
        "instruments": instruments,
        "knowledge_source": knowledge_source,
    }


def _new_version(
    *, actor, base_version, note: str, change, detail: dict, note_default: str = ""
) -> GuideVersion:
    """Apply ``change(definition, errors)`` to a copy of the current definition and store the result as the
    next version (``GUIDE.edit``). ``change`` puts field errors in ``errors`` (nothing is stored then)."""
    if not policies.can_edit_guide(actor):
        raise PermissionDeniedError
    stored, previous = GUIDE.edit(
        base_version=base_version, created_by=actor, note=note, change=change, note_default=note_default
    )
    audit_record(
        actor=actor,
        action="change",
        object_type=AUDIT_TYPE,
        reason=stored.note,
        detail={"guide": stored.guide.key, "version": stored.version, "previous_version": previous.version}
        | detail,
    )
    return stored


def _find(definition: dict, topic_key: str) -> tuple[str, int] | None:
    for phase in PHASES:
        for index, topic in enumerate(definition["phases"][phase]["topics"]):
            if topic["key"] == topic_key:
                return phase, index
    return None


class TopicNotFound(ValidationError):
    """The topic is not (or no longer) part of the current guide."""


def _locate(definition: dict, topic_key: str) -> tuple[str, int]:
    found = _find(definition, topic_key)
    if found is None:
        raise TopicNotFound(_("The topic '%(key)s' is not part of the current guide.") % {"key": topic_key})
    return found


def guide_topic_update(
    *,
    actor,
    topic_key: str,
    title_nl: str,
    title_en: str = "",
    why_nl: str,
    why_en: str = "",
    questions_nl: list[str],
    questions_en: list[str] | None = None,
    audiences: list[str],
    instruments: list[str] | None = None,
    knowledge_source: str = "",
    note: str,
    base_version: int | None,
) -> GuideVersion:
    def change(definition, errors):
        phase, index = _locate(definition, topic_key)
        topic = definition["phases"][phase]["topics"][index]
        body = _topic_body(
            definition,
            title_nl=title_nl,
            title_en=title_en,
            why_nl=why_nl,
            why_en=why_en,
            questions_nl=questions_nl,
            questions_en=questions_en or [],
            audiences=audiences,
            instruments=instruments,
            knowledge_source=knowledge_source,
            keep_instruments=topic.get("instruments") or [],
            errors=errors,
        )
        definition["phases"][phase]["topics"][index] = {"key": topic_key} | body

    return _new_version(
        actor=actor,
        base_version=base_version,
        note=note,
        change=change,
        detail={"change": "topic_update", "topic": topic_key},
    )


def _topic_keys(definition: dict) -> set[str]:
    return {
        topic["key"] for phase in PHASES for topic in definition["phases"].get(phase, {}).get("topics", [])
    }


def _keys_ever_used() -> set[str]:
    """The topic keys of every stored version (an edit is rare; the versions are read one by one)."""
    keys: set[str] = set()
    for definition in GuideVersion.objects.values_list("definition", flat=True).iterator(chunk_size=20):
        keys |= _topic_keys(definition)
    return keys


def topic_key_for(title: str, taken) -> str:
    """A topic key from a (Dutch) title: lower case letters, digits and '_', unique among ``taken``."""
    base = slugify(title).replace("-", "_")[:50].strip("_") or "topic"
    if not base[0].isalpha():
        base = f"topic_{base}"[:50]
    key, number = base, 2
    while key in taken:
        key = f"{base}_{number}"
        number += 1
    return key


def guide_topic_add(
    *,
    actor,
    phase: str,
    title_nl: str,
    title_en: str = "",
    why_nl: str,
    why_en: str = "",
    questions_nl: list[str],
    questions_en: list[str] | None = None,
    audiences: list[str],
    instruments: list[str] | None = None,
    knowledge_source: str = "",
    note: str,
    base_version: int | None,
) -> GuideVersion:
    """Add a topic at the end of a phase; its key is made from the Dutch title, and is new: no earlier
    version used it (a removed topic's key is not given to a different topic)."""
    if not policies.can_edit_guide(actor):
        raise PermissionDeniedError
    if phase not in PHASES:
        raise ValidationError({"phase": _("Unknown phase.")})
    used = _keys_ever_used()
    detail = {"change": "topic_add", "phase": phase}

    def change(definition, errors):
        body = _topic_body(
            definition,
            title_nl=title_nl,
            title_en=title_en,
            why_nl=why_nl,
            why_en=why_en,
            questions_nl=questions_nl,
            questions_en=questions_en or [],
            audiences=audiences,
            instruments=instruments,
            knowledge_source=knowledge_source,
            errors=errors,
        )
        detail["topic"] = topic_key_for(title_nl or "", used | _topic_keys(definition))
        definition["phases"][phase]["topics"].append({"key": detail["topic"]} | body)

    stored = _new_version(actor=actor, base_version=base_version, note=note, change=change, detail=detail)
    stored.added_key = detail["topic"]  # for the page that links to the new topic
    return stored


def guide_topic_remove(*, actor, topic_key: str, note: str, base_version: int | None) -> GuideVersion:
    """Remove a topic from the guide. Conversations held with earlier versions keep it."""

    def change(definition, errors):
        phase, index = _locate(definition, topic_key)
        del definition["phases"][phase]["topics"][index]

    return _new_version(
        actor=actor,
        base_version=base_version,
        note=note,
        change=change,
        detail={"change": "topic_remove", "topic": topic_key},
    )


def guide_topic_move(
    *, actor, topic_key: str, direction: str, note: str = "", base_version: int | None
) -> GuideVersion:
    """Move a topic one place up or down within its phase (the order in which the guide shows them)."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move up or down.")})

    def default_note(definition) -> str:
        found = _find(definition, topic_key)
        if found is None:
            return _("Moved")
        title = localised(definition["phases"][found[0]]["topics"][found[1]]["title"])
        message = _("Moved “%(title)s” up.") if direction == "up" else _("Moved “%(title)s” down.")
        return message % {"title": title}

    def change(definition, errors):
        phase, index = _locate(definition, topic_key)
        topics = definition["phases"][phase]["topics"]
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(topics):
            errors["direction"] = (
                _("This topic is the first of its phase already.")
                if direction == "up"
                else _("This topic is the last of its phase already.")
            )
            return
        topics[index], topics[other] = topics[other], topics[index]

    return _new_version(
        actor=actor,
        base_version=base_version,
        note=note,
        change=change,
        note_default=default_note,
        detail={"change": "topic_move", "topic": topic_key, "direction": direction},
    )
