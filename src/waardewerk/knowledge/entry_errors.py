"""The entry checker's problems in the words of the entry form.

The checker (``knowledge.entry.check_entry``) names each problem by its place in the file, in English, so a
file's author finds it (``recognition.body: missing``, ``references[1].doi: '10.x' is not a DOI``). A user of
the entry form knows the form, not the file: ``field_errors`` puts each problem beside the form field it
concerns, in the screen's language (problems that belong to no field stay at the top of the form), and
``described`` words the problems of an imported file with the form's labels and the entry's place in the
file. A message the mapping does not know is shown as the checker wrote it, so nothing is ever dropped."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.knowledge.forms import EntryForm

# A place in the file -> the form field that edits it. The most specific place is tried first: a problem of
# ``recognition`` as a whole (an entry not assessed with a body or date) belongs with the level.
FIELD_FOR_PLACE = {
    "name": "name",
    "owner": "owner",
    "kind": "kind",
    "summary": "summary",
    "goal": "goal",
    "approach": "approach",
    "working_elements": "working_elements",
    "contraindications": "contraindications",
    "unverified": "unverified",
    "target_group": "target_final",
    "target_group.final": "target_final",
    "target_group.intermediate": "target_intermediate",
    "conditions.materials": "materials",
    "conditions.training": "training",
    "conditions.costs": "costs",
    "work_values": "work_values",
    "determinants": "determinants",
    "contexts": "contexts",
    "references": "references",
    "recognition": "level",
    "recognition.level": "level",
    "recognition.body": "body",
    "recognition.date": "date",
    "recognition.valid_until": "valid_until",
    "recognition.reason": "reason",
}
# Places with no form field of their own: named in words at the top.
PLACE_LABELS = {
    "key": gettext_lazy("Key"),
    "version": gettext_lazy("Version"),
    "conditions": gettext_lazy("Conditions"),
    "file": gettext_lazy("File"),
}
LANGUAGE_LABELS = {"nl": gettext_lazy("Dutch text"), "en": gettext_lazy("English text")}

PROBLEM = re.compile(
    r"^(?:(?P<entry>entries\[(?P<index>\d+)\])\s+)?(?:(?P<place>[a-z_][\w.\[\]]*): )?(?P<message>.+)$"
)
INDEX = re.compile(r"\[(\d+)\]")

# The checker's messages -> the screen's words. Tried in order; the groups fill the translation.
MESSAGES: list[tuple[re.Pattern, object]] = [
    (re.compile(r"^missing"), gettext_lazy("This is required.")),
    (re.compile(r"^the Dutch text \(nl\) is required$"), gettext_lazy("The Dutch text is required.")),
    (re.compile(r"^expected a non-empty text$"), gettext_lazy("Write a text here or leave it out.")),
    (re.compile(r"^at most (?P<n>\d+) characters$"), gettext_lazy("Use at most %(n)s characters.")),
    (re.compile(r"^at most (?P<n>\d+)$"), gettext_lazy("At most %(n)s.")),
    (re.compile(r"^'(?P<value>.*)' is not a date"), gettext_lazy("'%(value)s' is not a date (YYYY-MM-DD).")),
    (re.compile(r"^'(?P<value>.*)' is not a DOI"), gettext_lazy("'%(value)s' is not a DOI (10.…).")),
    (
        re.compile(r"^'(?P<value>.*)' is not a web address"),
        gettext_lazy("'%(value)s' is not a web address (https://…)."),
    ),
    (re.compile(r"^'(?P<value>.*)' is not a valid key"), gettext_lazy("'%(value)s' is not a valid key.")),
    (re.compile(r"^'(?P<value>.*)' is listed twice$"), gettext_lazy("'%(value)s' is chosen twice.")),
    (
        re.compile(r"^unknown '(?P<value>.*?)' \(known:"),
        gettext_lazy("'%(value)s' is not one of the options."),
    ),
    (re.compile(r"^unknown field$"), gettext_lazy("This field does not exist in an entry.")),
    (re.compile(r"^lies before the assessment date$"), gettext_lazy("Lies before the assessment date.")),
    (
        re.compile(r"^a local practice method is a kind of its own"),
        gettext_lazy(
            "A local practice method is a kind of its own and never has a recognition level: choose "
            "'not assessed' (an assessed method is entered as an intervention)."
        ),
    ),
    (
        re.compile(r"^an entry that is not assessed has no assessing body"),
        gettext_lazy(
            "An entry that is not assessed has no assessing body, assessment date or validity: "
            "choose its level, or empty those fields."
        ),
    ),
    (re.compile(r"^expected a whole number$"), gettext_lazy("Expected a whole number.")),
    # Problems of the file as a whole.
    (
        re.compile(r"^line (?P<line>\d+): not valid (?P<format>YAML|JSON) \((?P<problem>.*)\)$"),
        gettext_lazy("Line %(line)s is not valid %(format)s (%(problem)s)."),
    ),
    (
        re.compile(r"^not valid (?P<format>YAML|JSON) \((?P<problem>.*)\)$"),
        gettext_lazy("Not valid %(format)s (%(problem)s)."),
    ),
    (re.compile(r"^the file holds no entries$"), gettext_lazy("The file holds no entries.")),
    (
        re.compile(r"^the file is larger than (?P<kb>\d+) KB$"),
        gettext_lazy("The file is larger than %(kb)s KB."),
    ),
    (
        re.compile(r"^version (?P<version>\d+) of .* exists already with other content"),
        gettext_lazy(
            "Version %(version)s of this entry exists already with other content: give the changed entry a "
            "higher version."
        ),
    ),
    (
        re.compile(r"^'(?P<value>.*)' is an organisation's own entry"),
        gettext_lazy("'%(value)s' is an organisation's own entry: give the entry in the file another key."),
    ),
]


def _message(text: str) -> str:
    for pattern, translation in MESSAGES:
        found = pattern.match(text)
        if found:
            return str(translation) % found.groupdict()
    return text


def _split(problem: str) -> tuple[int | None, str, str]:
    """(the entry's index in a list file or None, the place, the message) of one checker problem."""
    found = PROBLEM.match(problem)
    if not found:
        return None, "", problem
    index = found.group("index")
    return (int(index) if index is not None else None), found.group("place") or "", found.group("message")


def _locate(place: str) -> tuple[str | None, str]:
    """(the form field, a qualifier for the message) of a place: ``references[1].doi`` is field
    ``references``, "Reference 2"; ``summary.en`` is ``summary``, "English text"."""
    qualifiers = []
    reference = re.match(r"^references\[(\d+)\]", place)
    if reference:
        qualifiers.append(_("Reference %(n)s") % {"n": int(reference.group(1)) + 1})
    bare = INDEX.sub("", place)
    parts = bare.split(".")
    if parts[-1] in LANGUAGE_LABELS and len(parts) > 1:
        qualifiers.append(str(LANGUAGE_LABELS[parts[-1]]))
        parts = parts[:-1]
    while parts:
        field = FIELD_FOR_PLACE.get(".".join(parts))
        if field:
            return field, ", ".join(qualifiers)
        parts = parts[:-1]
    return None, ", ".join(qualifiers)


def _label(field: str | None, place: str) -> str:
    if field:
        return str(EntryForm.base_fields[field].label)
    root = INDEX.sub("", place).split(".")[0]
    return str(PLACE_LABELS.get(root, place))


def _worded(qualifier: str, message: str) -> str:
    return f"{qualifier}: {message}" if qualifier else message


def field_errors(problems: Iterable[str], fields: Collection[str]) -> dict[str | None, list[str]]:
    """The checker's ``problems`` per form field (of ``fields``, the form's own); a problem of a place the
    form has no field for is under ``None``, named with its label."""
    out: dict[str | None, list[str]] = {}
    for problem in problems:
        _index, place, message = _split(problem)
        field, qualifier = _locate(place)
        text = _worded(qualifier, _message(message))
        if field not in fields:
            text = f"{_label(field, place)}: {text}" if place else text
            field = None
        out.setdefault(field, []).append(text)
    return out


def described(problems: Iterable[str]) -> list[str]:
    """The problems of a loaded file, each with the entry's place in the file and the form's label of the
    field (``Entry 2 – Recognition: 'x' is not one of the options.``)."""
    out = []
    for problem in problems:
        index, place, message = _split(problem)
        if not place:
            text = _message(message)
        else:
            field, qualifier = _locate(place)
            text = f"{_label(field, place)}: {_worded(qualifier, _message(message))}"
        if index is not None:
            text = _("Entry %(n)s – %(problem)s") % {"n": index + 1, "problem": text}
        out.append(text)
    return out
