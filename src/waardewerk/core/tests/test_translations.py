"""The interface is Dutch first: every English source string has a Dutch translation that is in use."""

import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(po: str):
    return [block for block in po.split("\n\n") if "msgid" in block][1:]  # skip the header


def test_dutch_catalogue_is_complete_and_not_fuzzy():
    po = (LOCALE / "nl" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    untranslated, fuzzy = [], []
    for block in _entries(po):
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        msgid = re.search(r'msgid "(.*)"', block).group(1)
        if re.search(r"^#,.*\bfuzzy\b", block, re.M):
            fuzzy.append(msgid)
        for match in re.finditer(r'msgstr(?:\[\d\])? ""((?:\n".*")*)', block):
            if not match.group(1).strip():
                untranslated.append(msgid)
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_compiled_catalogue_is_used():
    mo = LOCALE / "nl" / "LC_MESSAGES" / "django.mo"
    assert mo.stat().st_size > 1000
    from django.utils import translation

    with translation.override("nl"):
        assert translation.gettext("My caseload") == "Mijn caseload"
        assert translation.gettext("Access log") == "Logboek"
