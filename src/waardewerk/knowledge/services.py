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
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.audit.services import audit_record
from waardewerk.core.content import checksum, load_text
from waardewerk.core.content_versions import SHIPPED, ContentStore, LoadResult
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.instruments.models import Instrument
from waardewerk.knowledge import policies
from waardewerk.knowledge.entry import FIELDS as ENTRY_FIELDS
from waardewerk.knowledge.entry import EntryError, check_entry
from waardewerk.knowledge.guide import (
    KNOWLEDGE_SOURCES,
    PHASES,
    GuideError,
    check_guide,
    localised,
)
from waardewerk.knowledge.models import (
    ConversationGuide,
    EntryKind,
    EntryStatus,
    EntryVersion,
    GuideVersion,
    KnowledgeEntry,
    PlanChoiceEntry,
    PrincipleSet,
    PrincipleSetVersion,
    Recognition,
)
from waardewerk.knowledge.principles import PrinciplesError, check_principles
from waardewerk.trajectories.services import plan_vocabulary

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


# The knowledge base -----------------------------------------------------------------------------------------
# Entries are versioned content like the guide (docs/knowledge.md). A file (the shipped starter set, the
# command line, the editor's import page) is of the whole installation and is published as it is loaded. A
# local practice method starts as a professional's proposal in their organisation; the knowledge editor
# publishes it or returns it with remarks; every change, by whoever, is a new version with its reason.

ENTRIES_DIR = Path(__file__).resolve().parent / "entries"
ENTRY_AUDIT_TYPE = "knowledge.entry"
REMARKS_MAX = 2000


def entry_vocabulary() -> tuple[dict[str, str], dict[str, str]]:
    """The work values and determinants an entry can aim at: the plan vocabulary of the loaded instruments
    (their ``roles.plan``), key -> title."""
    return plan_vocabulary()


class EntryStore(ContentStore):
    """Knowledge-base entries as versioned content (the rules: ``core.content_versions``)."""

    item_model = KnowledgeEntry
    version_model = EntryVersion
    error = EntryError
    noun = "knowledge entry"
    load_command = "waardewerk knowledge entries load"
    protect_local_changes = True
    note_max = NOTE_MAX
    stale_message = gettext_lazy(
        "Someone else saved version %(current)d of this entry after you opened version %(base)s. Your change "
        "is not saved: it is still in the form; look at the current version and make your change there."
    )
    race_message = gettext_lazy(
        "Someone else saved a new version of this entry at the same moment. Your change is not saved."
    )
    missing_message = gettext_lazy("This entry does not exist.")

    def check(self, raw) -> dict:
        values, determinants = entry_vocabulary()
        return check_entry(raw, values=set(values) or None, determinants=set(determinants) or None)

    def describe(self, key: str) -> str:
        return f"entry '{key}'"

    def shipped_files(self) -> list[Path]:
        return sorted(ENTRIES_DIR.glob("*.yaml"))

    def items(self):
        return self.item_model.objects.exclude(current=None)

    def store(self, definition: dict, *, loaded_by: str = "", source_file: str = "") -> LoadResult:
        """A file's entry: of the whole installation, published as it is loaded."""
        with transaction.atomic():
            owner = (
                KnowledgeEntry.objects.filter(key=definition["key"]).values_list("organisation_id", flat=True)
            ).first()
            if owner is not None:
                raise self.error(
                    [f"key: '{definition['key']}' is an organisation's own entry; give the file another key"]
                )
            result = super().store(definition, loaded_by=loaded_by, source_file=source_file)
            if result.created:
                entry = KnowledgeEntry.objects.select_for_update().get(pk=result.version.entry_id)
                sync_entry(entry, publish=True)
        return result


ENTRIES = EntryStore()


def sync_entry(entry: KnowledgeEntry, *, publish: bool) -> None:
    """Copy the current version's name, kind and recognition onto the entry; ``publish`` makes it the
    published version."""
    current = EntryVersion.objects.only("pk", "definition").get(pk=entry.current_id)
    definition = current.definition
    entry.name = localised(definition["name"], "nl")[:200]
    entry.kind = definition["kind"]
    entry.recognition = definition["recognition"]["level"]
    fields = ["name", "kind", "recognition"]
    if publish:
        entry.published_id = current.pk
        entry.status = EntryStatus.PUBLISHED
        fields += ["published", "status"]
    entry.save(update_fields=fields)


def entry_load(text: str, *, filename: str = "", loaded_by: str = "") -> LoadResult:
    return ENTRIES.load(text, filename=filename, loaded_by=loaded_by)


def entries_load(text: str, *, filename: str = "", loaded_by: str = "") -> list[LoadResult]:
    """One file with one entry, or a list of entries (an export): every entry or none (all problems named,
    each with the entry's place in the list)."""
    raw = load_text(text, filename, EntryError)
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise EntryError(["the file holds no entries"])
    definitions, problems = [], []
    for index, item in enumerate(items):
        try:
            definitions.append(ENTRIES.check(item))
        except EntryError as error:
            where = f"entries[{index}]" if isinstance(raw, list) else ""
            problems.extend(f"{where} {p}".strip() for p in error.problems)
    if problems:
        raise EntryError(problems)
    name = Path(filename).name if filename else ""
    with transaction.atomic():
        return [ENTRIES.store(d, loaded_by=loaded_by, source_file=name) for d in definitions]


def entries_export(entries) -> str:
    """The current versions of ``entries`` as one YAML file (a list), loadable again with
    ``entries_load``."""

    def ordered(definition: dict) -> dict:
        out = {
            name: definition[name] for name in ENTRY_FIELDS if definition.get(name) not in (None, "", [], {})
        }
        for name in ("target_group", "conditions", "recognition"):
            if isinstance(out.get(name), dict):
                out[name] = {k: v for k, v in out[name].items() if v not in (None, "", [], {})}
        return out

    return yaml.safe_dump(
        [ordered(e.current.definition) for e in entries], allow_unicode=True, sort_keys=False, width=110
    )


def _entry_definition(base: dict | None, fields: dict, *, editor: bool, language: str) -> dict:
    """The definition after a form's change: texts go to the active language (and to Dutch while the entry
    has none), lists and the recognition are replaced. The proposer's form has no kind or recognition: a
    proposal is a local practice method, not assessed."""
    definition = copy.deepcopy(base) if base else {"key": "", "version": 1}

    def put(container: dict, name: str, text: str):
        texts = dict(container.get(name) or {})
        if text:
            texts[language] = text
            texts.setdefault("nl", text)
        elif language == "nl":
            texts = {}  # Dutch is required: an emptied Dutch text empties the field
        else:
            texts.pop(language, None)
        container[name] = texts or None

    for name in ("name", "summary", "goal", "approach", "working_elements", "contraindications"):
        put(definition, name, fields.get(name, ""))
    target = dict(definition.get("target_group") or {})
    put(target, "final", fields.get("target_final", ""))
    put(target, "intermediate", fields.get("target_intermediate", ""))
    definition["target_group"] = target
    conditions = dict(definition.get("conditions") or {})
    for name in ("materials", "training", "costs"):
        put(conditions, name, fields.get(name, ""))
    definition["conditions"] = conditions
    definition["owner"] = fields.get("owner", "")
    definition["work_values"] = list(fields.get("work_values") or [])
    definition["determinants"] = list(fields.get("determinants") or [])
    definition["contexts"] = list(fields.get("contexts") or [])
    definition["references"] = fields.get("references") or []
    if editor:
        definition["kind"] = fields.get("kind") or ""
        recognition = {
            "level": fields.get("level") or Recognition.NOT_ASSESSED,
            "body": fields.get("body") or "",
            "date": fields.get("date") or "",
            "valid_until": fields.get("valid_until") or "",
        }
        holder = {"reason": (definition.get("recognition") or {}).get("reason")}
        put(holder, "reason", fields.get("reason", ""))
        recognition["reason"] = holder["reason"]
        definition["recognition"] = recognition
        put(definition, "unverified", fields.get("unverified", ""))
    else:
        definition["kind"] = EntryKind.LOCAL_PRACTICE
        definition["recognition"] = {"level": Recognition.NOT_ASSESSED}
    return {k: v for k, v in definition.items() if v is not None}


def _checked(definition: dict) -> dict:
    try:
        return ENTRIES.check(definition)
    except EntryError as error:
        raise ValidationError(error.problems) from None


def _entry_key(name: str) -> str:
    base = slugify(name)[:50].strip("-") or "entry"
    key, n = base, 1
    while KnowledgeEntry.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def _audit(actor, entry: KnowledgeEntry, action: str, **detail) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=ENTRY_AUDIT_TYPE,
        detail={"entry": entry.key, **detail},
    )


def entry_create(*, actor, fields: dict, note: str, language: str = "nl") -> KnowledgeEntry:
    """A new entry: the editor's is published at once (of their organisation when ``fields['own']``,
    otherwise of the installation); a professional's is a local practice method of their organisation,
    proposed for review."""
    editor = policies.can_manage_knowledge_base(actor)
    if not editor and not policies.can_propose_entry(actor):
        raise PermissionDeniedError
    errors: dict = {}
    note = ENTRIES.clean_note(note, errors, _("First version"))
    if errors:
        raise ValidationError(errors)
    definition = _entry_definition(None, fields, editor=editor, language=language)
    definition["key"] = _entry_key(fields.get("name", ""))
    definition = _checked(definition)
    own = not editor or bool(fields.get("own"))
    with transaction.atomic():
        entry = KnowledgeEntry.objects.create(
            key=definition["key"],
            organisation_id=actor.organisation_id if own else None,
            status=EntryStatus.PUBLISHED if editor else EntryStatus.PROPOSED,
            proposed_by=None if editor else actor,
        )
        version = EntryVersion.objects.create(
            entry=entry,
            version=1,
            definition=definition,
            checksum=checksum(definition),
            created_by=actor,
            note=note,
        )
        entry.current = version
        entry.save(update_fields=["current"])
        sync_entry(entry, publish=editor)
    _audit(actor, entry, "create", version=1, status=entry.status)
    return entry


def entry_update(
    *, actor, entry: KnowledgeEntry, fields: dict, note: str, base_version: int | None, language: str = "nl"
) -> KnowledgeEntry:
    """A new version of an entry. The editor's change of a published entry is published; a proposer's
    revision goes (back) to review."""
    if not policies.can_edit_entry(actor, entry):
        raise PermissionDeniedError
    editor = policies.can_manage_knowledge_base(actor)

    def change(definition: dict, errors: dict) -> None:
        new = _entry_definition(definition, fields, editor=editor, language=language)
        definition.clear()
        definition.update(new)

    with transaction.atomic():
        stored, _previous = ENTRIES.edit(
            key=entry.key, base_version=base_version, created_by=actor, note=note, change=change
        )
        entry = KnowledgeEntry.objects.select_for_update().get(pk=entry.pk)
        # The editor's change of a published (or withdrawn) entry is published.
        publish = editor and entry.status in (EntryStatus.PUBLISHED, EntryStatus.WITHDRAWN)
        if not editor:
            entry.status = EntryStatus.PROPOSED
            entry.save(update_fields=["status"])
        sync_entry(entry, publish=publish)
    _audit(actor, entry, "change", version=stored.version, status=entry.status)
    return entry


def entry_review(*, actor, entry: KnowledgeEntry, decision: str, remarks: str, base_version: int | None):
    """The editor's review of a proposal: ``publish`` (the version reviewed is published) or ``return``
    (to the proposer, with remarks, which are required)."""
    if not policies.can_review_entry(actor, entry):
        raise PermissionDeniedError
    remarks = (remarks or "").strip() if isinstance(remarks, str) else ""
    errors = {}
    if decision not in ("publish", "return"):
        errors["decision"] = _("Choose to publish the proposal or to return it.")
    if decision == "return" and not remarks:
        errors["remarks"] = _("Say what the proposer should change; your remarks are shown to them.")
    if len(remarks) > REMARKS_MAX or "\x00" in remarks:
        errors["remarks"] = _("Use at most %(max)d characters (now %(n)d).") % {
            "max": REMARKS_MAX,
            "n": len(remarks),
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        entry = (
            KnowledgeEntry.objects.select_for_update(of=("self",)).select_related("current").get(pk=entry.pk)
        )
        if entry.current.version != base_version:
            raise ConcurrentEditError(
                _(
                    "The proposer saved a newer version (%(n)d) after you opened it. "
                    "Read it before you decide."
                )
                % {"n": entry.current.version}
            )
        if entry.status not in policies.REVIEWABLE:
            raise ConcurrentEditError(_("This proposal was reviewed already."))
        entry.review_remarks = remarks
        entry.reviewed_by = actor
        entry.reviewed_at = timezone.now()
        entry.status = EntryStatus.RETURNED
        entry.save(update_fields=["review_remarks", "reviewed_by", "reviewed_at", "status"])
        if decision == "publish":
            sync_entry(entry, publish=True)
    _audit(actor, entry, "change", review=decision, version=entry.current.version)
    return entry


# Plans that choose entries ----------------------------------------------------------------------------------


def record_plan_choices(sender=None, *, version, content, **kwargs) -> None:
    """A ``trajectories.signals.plan_saved`` receiver: one ``PlanChoiceEntry`` per choice of the version
    that picked an entry, with the moment the choice first picked it (kept from the version before while
    the choice keeps the entry). Two queries, and one insert when there are such choices."""
    picked = [c for c in content.choices if c.entry]
    if not picked:
        return
    earlier = {
        row["choice_key"]: (row["entry__key"], row["chosen_at"])
        for row in PlanChoiceEntry.objects.filter(
            trajectory_id=version.trajectory_id, plan_version__number=version.number - 1
        ).values("choice_key", "entry__key", "chosen_at")
    }
    wanted = {(c.entry, c.entry_version) for c in picked}
    found = {
        (v.entry.key, v.version): v
        for v in EntryVersion.objects.filter(
            entry__key__in={key for key, _n in wanted}, version__in={n for _k, n in wanted}
        ).select_related("entry")
    }
    now = version.created_at or timezone.now()
    rows = []
    for choice in picked:
        stored = found.get((choice.entry, choice.entry_version))
        if stored is None:
            continue  # an entry removed from the database (not possible while a choice protects it)
        before = earlier.get(choice.key)
        rows.append(
            PlanChoiceEntry(
                plan_version=version,
                trajectory_id=version.trajectory_id,
                choice_key=choice.key,
                entry=stored.entry,
                entry_version=stored,
                recognition=choice.recognition or stored.definition["recognition"]["level"],
                chosen_at=before[1] if before and before[0] == choice.entry else now,
            )
        )
    PlanChoiceEntry.objects.bulk_create(rows)


def entry_withdraw(*, actor, entry: KnowledgeEntry, reason: str) -> KnowledgeEntry:
    """The editor withdraws a published entry, with the reason (shown on the entry). Plan choices that
    picked it keep it; it is no longer offered for new ones. An edit by the editor publishes it again."""
    if not policies.can_withdraw_entry(actor, entry):
        raise PermissionDeniedError
    reason = " ".join(reason.split()) if isinstance(reason, str) else ""
    if not reason:
        raise ValidationError({"reason": _("Say why the entry is withdrawn; it is shown on the entry.")})
    if len(reason) > NOTE_MAX or "\x00" in reason:
        raise ValidationError(
            {"reason": _("Use at most %(max)d characters (now %(n)d).") % {"max": NOTE_MAX, "n": len(reason)}}
        )
    with transaction.atomic():
        entry = KnowledgeEntry.objects.select_for_update().get(pk=entry.pk)
        entry.status = EntryStatus.WITHDRAWN
        entry.review_remarks = reason
        entry.reviewed_by = actor
        entry.reviewed_at = timezone.now()
        entry.save(update_fields=["status", "review_remarks", "reviewed_by", "reviewed_at"])
    _audit(actor, entry, "change", status=entry.status)
    return entry


def entries_import(*, actor, text: str, filename: str = "") -> list[LoadResult]:
    """The editor's import page: the same rules as the command line, logged."""
    if not policies.can_manage_knowledge_base(actor):
        raise PermissionDeniedError
    results = entries_load(text, filename=filename, loaded_by=actor.get_username())
    for result in results:
        if result.created:
            _audit(actor, result.version.entry, "create", version=result.version.version, file=filename[:200])
    return results


def entries_exported(*, actor, count: int) -> None:
    audit_record(actor=actor, action="export", object_type=ENTRY_AUDIT_TYPE, detail={"entries": count})


# Guiding principles ----------------------------------------------------------------------------------------

PRINCIPLES_FILE = Path(__file__).resolve().parent / "principles" / "default.yaml"
PRINCIPLES_AUDIT_TYPE = "knowledge.principlesetversion"
EXPLANATION_MAX = 2000
SOURCES_MAX = 3000


class PrincipleStore(ContentStore):
    """The guiding principles as versioned content (the rules: ``core.content_versions``): one list per
    installation; a newer shipped list is not loaded over a version made here."""

    item_model = PrincipleSet
    version_model = PrincipleSetVersion
    error = PrinciplesError
    noun = "guiding principles"
    load_command = "waardewerk principles load"
    single = True
    protect_local_changes = True
    note_max = NOTE_MAX
    stale_message = gettext_lazy(
        "Someone else saved version %(current)d of the principles after you opened version %(base)s. "
        "Your change is not saved: look at the current version and make your change there."
    )
    race_message = gettext_lazy(
        "Someone else saved a new version of the principles at the same moment. Your change is not saved."
    )
    missing_message = gettext_lazy("No guiding principles are loaded yet.")

    def check(self, raw) -> dict:
        return check_principles(raw)

    def describe(self, key: str) -> str:
        return "the guiding principles"

    def shipped_files(self) -> list[Path]:
        return [PRINCIPLES_FILE] if PRINCIPLES_FILE.exists() else []


PRINCIPLES = PrincipleStore()


def principles_load(text: str, *, filename: str = "", loaded_by: str = "") -> LoadResult:
    """Store a principles file as a version (the rules of ``PrincipleStore``)."""
    return PRINCIPLES.load(text, filename=filename, loaded_by=loaded_by)


def _sources(text: str, errors: dict) -> list[dict]:
    """One source per line: a citation, optionally followed by " | " and a DOI or web address."""
    text = (text or "").strip()
    if len(text) > SOURCES_MAX:
        errors["sources"] = _("Use at most %(max)d characters (now %(n)d).") % {
            "max": SOURCES_MAX,
            "n": len(text),
        }
        return []
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        citation, _sep, link = (part.strip() for part in line.partition("|"))
        if not citation:
            errors["sources"] = _("Line %(line)d has a link without a citation.") % {"line": number}
            continue
        source = {"citation": citation}
        if link.startswith(("https://", "http://")):
            source["url"] = link
        elif link.startswith("10.") and "/" in link:
            source["doi"] = link
        elif link:
            errors["sources"] = _(
                "Line %(line)d: after the | put a DOI (10.xxxx/...) or a web address (https://...)."
            ) % {"line": number}
        out.append(source)
    if not out and "sources" not in errors:
        errors["sources"] = _("Name at least one source, one per line.")
    return out


def principle_save(
    *,
    actor,
    key: str | None,
    title_nl: str,
    title_en: str,
    explanation_nl: str,
    explanation_en: str,
    in_practice_nl: str,
    in_practice_en: str,
    sources: str,
    note: str,
    base_version: int | None,
) -> PrincipleSetVersion:
    """Change a principle (``key``) or add one (``key`` None) as the next version of the list, by the
    knowledge editor. Sources keep their notes on what was not checked when their citation stays the same."""
    if not policies.can_edit_principles(actor):
        raise PermissionDeniedError

    def change(definition: dict, errors: dict) -> None:
        principles = definition["principles"]
        body = {
            "title": _text(
                title_nl, title_en, "title", TITLE_MAX, errors, _("Give the principle a Dutch title.")
            ),
            "explanation": _text(
                explanation_nl,
                explanation_en,
                "explanation",
                EXPLANATION_MAX,
                errors,
                _("Explain the principle (in Dutch)."),
            ),
        }
        if (in_practice_nl or "").strip() or (in_practice_en or "").strip():
            body["in_practice"] = _text(
                in_practice_nl,
                in_practice_en,
                "in_practice",
                EXPLANATION_MAX,
                errors,
                _("Give the Dutch text too, or leave both empty."),
            )
        new_sources = _sources(sources, errors)
        if key is None:
            taken = {p["key"] for p in principles} | _principle_keys_ever_used()
            body = {"key": topic_key_for(title_nl or "", taken), **body}
            body["sources"] = new_sources
            principles.append(body)
            return
        index = next((i for i, p in enumerate(principles) if p["key"] == key), None)
        if index is None:
            raise ValidationError(_("This principle is not part of the current list any more."))
        notes = {s["citation"]: s.get("unverified") for s in principles[index].get("sources", [])}
        for source in new_sources:
            if notes.get(source["citation"]):
                source["unverified"] = notes[source["citation"]]
        principles[index] = {"key": key, **body, "sources": new_sources}

    stored, previous = PRINCIPLES.edit(base_version=base_version, created_by=actor, note=note, change=change)
    audit_record(
        actor=actor,
        action="change",
        object_type=PRINCIPLES_AUDIT_TYPE,
        reason=stored.note,
        detail={"version": stored.version, "previous_version": previous.version, "principle": key or "new"},
    )
    return stored


def _principle_keys_ever_used() -> set[str]:
    """Keys of every stored version: a removed key is never given to a new principle (conversations keep
    the keys they ticked)."""
    keys: set[str] = set()
    for definition in PrincipleSetVersion.objects.values_list("definition", flat=True).iterator(
        chunk_size=20
    ):
        keys |= {p["key"] for p in definition.get("principles", [])}
    return keys
