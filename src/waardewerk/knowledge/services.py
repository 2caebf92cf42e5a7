"""Writes of the conversation guide.

A guide changes only by a new version: a file loaded with ``guide_load`` (the command line, and the
shipped guide after ``migrate``), or one of the functional administrator's edits below. Each edit copies
the current definition, applies one change, checks the result with the same rules as a file, and stores
it as the next version with who made it and why. An edit carries the version the administrator saw
(``base_version``); when someone saved a newer version meanwhile, the edit is refused with
``ConcurrentEditError`` and nothing is overwritten.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.knowledge import policies
from waardewerk.knowledge.guide import (
    KNOWLEDGE_SOURCES,
    PHASES,
    GuideError,
    check_guide,
    checksum,
    localised,
    parse_guide,
)
from waardewerk.knowledge.models import ConversationGuide, GuideVersion

logger = logging.getLogger(__name__)
BUILTIN_FILE = Path(__file__).resolve().parent / "guides" / "default.yaml"
BUILTIN_LOADER = "waardewerk"
TITLE_MAX = 200
WHY_MAX = 2000
QUESTION_MAX = 500
NOTE_MAX = 500
AUDIT_TYPE = "knowledge.guideversion"


# Loading files ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    version: GuideVersion
    created: bool


def guide_load(text: str, *, filename: str = "", loaded_by: str = "") -> LoadResult:
    """Store a guide file as a version. The same version with the same content is a no-op; the same version
    with other content is refused; the highest version becomes the current one. An installation has one
    guide: a file for a guide with another key is refused."""
    definition = parse_guide(text, filename)
    digest = checksum(definition)
    with transaction.atomic():
        other = ConversationGuide.objects.exclude(key=definition["key"]).values_list("key", flat=True).first()
        if other is not None:
            raise GuideError(
                [
                    f"key: this installation's conversation guide is '{other}'; give the file that key "
                    "and a higher version to replace it"
                ]
            )
        guide, _created = ConversationGuide.objects.select_for_update().get_or_create(key=definition["key"])
        existing = guide.versions.filter(version=definition["version"]).first()
        if existing is not None:
            if existing.checksum != digest:
                raise GuideError(
                    [
                        f"version: version {definition['version']} of the guide exists already with other "
                        "content; give the changed guide a higher version"
                    ]
                )
            return LoadResult(existing, False)
        stored = GuideVersion.objects.create(
            guide=guide,
            version=definition["version"],
            definition=definition,
            checksum=digest,
            source_file=Path(filename).name if filename else "",
            loaded_by=loaded_by or "unknown",
        )
        latest = guide.versions.order_by("-version").first()
        if guide.current_id != latest.pk:
            guide.current = latest
            guide.save(update_fields=["current"])
    return LoadResult(stored, True)


def load_builtin(loaded_by: str = BUILTIN_LOADER) -> LoadResult | None:
    """Load the shipped guide, unless the installation went its own way.

    The shipped file is loaded when there is no guide yet, or when it is newer than the current version
    and the current version is itself a shipped one. When the functional administrator edited the guide
    (or loaded another file), a newer shipped guide is not loaded over it: a warning says so, and
    ``waardewerk guide load`` loads it on purpose."""
    if not BUILTIN_FILE.exists():
        return None
    text = BUILTIN_FILE.read_text(encoding="utf-8")
    definition = parse_guide(text, str(BUILTIN_FILE))
    guide = ConversationGuide.objects.select_related("current").order_by("pk").first()
    if guide is not None and guide.current is not None:
        if guide.key != definition["key"]:
            logger.warning(
                "The shipped conversation guide is not loaded: this installation uses '%s'.", guide.key
            )
            return None
        if guide.versions.filter(version=definition["version"]).exists():
            return None
        current = guide.current
        if definition["version"] > current.version and current.loaded_by != loaded_by:
            logger.warning(
                "A newer shipped conversation guide (version %s) is not loaded over the edited version %s; "
                "load it with `waardewerk guide load %s` if you want it.",
                definition["version"],
                current.version,
                BUILTIN_FILE,
            )
            return None
    return guide_load(text, filename=str(BUILTIN_FILE), loaded_by=loaded_by)


def load_builtin_after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    """Load the shipped guide after ``migrate`` (see ``load_builtin``)."""
    from django.db import connections

    if "knowledge_guideversion" not in connections[using].introspection.table_names():
        return
    result = load_builtin()
    if result is not None and result.created:
        logger.info("Loaded the conversation guide %s", result.version)


# Edits by the functional administrator ------------------------------------------------------------------


def _clean_note(note: str | None, errors: dict, default: str = "") -> str:
    note = (note or "").strip() or default
    if not note:
        errors["note"] = _("Say what you changed and why; it is shown in the version history.")
    elif len(note) > NOTE_MAX:
        errors["note"] = _("Use at most %(max)d characters (now %(n)d).") % {"max": NOTE_MAX, "n": len(note)}
    return note


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
    from waardewerk.instruments.models import Instrument

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
    next version. ``change`` puts field errors in ``errors`` (nothing is stored then)."""
    if not policies.can_edit_guide(actor):
        raise PermissionDeniedError
    errors: dict[str, str] = {}
    with transaction.atomic():
        guide = ConversationGuide.objects.select_for_update().exclude(current=None).order_by("pk").first()
        if guide is None:
            raise ValidationError(_("No conversation guide is loaded yet."))
        current = GuideVersion.objects.get(pk=guide.current_id)
        if base_version != current.version:
            raise ConcurrentEditError(
                _(
                    "Someone else saved version %(current)d of the guide after you opened version %(base)s. "
                    "Your change is not saved: look at the current version and make your change there."
                )
                % {"current": current.version, "base": base_version or "?"}
            )
        definition = copy.deepcopy(current.definition)
        note_default = note_default(definition) if callable(note_default) else note_default
        note = _clean_note(note, errors, default=note_default)
        change(definition, errors)
        if errors:
            raise ValidationError(errors)
        definition["version"] = current.version + 1
        try:
            definition = check_guide(definition)
        except GuideError as error:
            raise ValidationError(error.problems) from None
        try:
            with transaction.atomic():
                stored = GuideVersion.objects.create(
                    guide=guide,
                    version=definition["version"],
                    definition=definition,
                    checksum=checksum(definition),
                    created_by=actor,
                    note=note,
                )
        except IntegrityError:
            raise ConcurrentEditError(
                _(
                    "Someone else saved a new version of the guide at the same moment. "
                    "Your change is not saved."
                )
            ) from None
        guide.current = stored
        guide.save(update_fields=["current"])
    audit_record(
        actor=actor,
        action="change",
        object_type=AUDIT_TYPE,
        reason=note,
        detail={"guide": guide.key, "version": stored.version, "previous_version": current.version} | detail,
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
