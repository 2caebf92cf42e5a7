"""The sample data's data files: every text fills in with the words the generators give it."""

import random
import string

from waardewerk.sampledata import cycle, names, texts
from waardewerk.sampledata.texts import load


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name}


def test_every_placeholder_is_one_the_generators_fill():
    person = names.Person("Fatma", "", "Yılmaz", True, "turks", 34)
    words = names.words(random.Random(1), person, {"client": ["Vragenlijst"], "any": ["Meting"]})
    rows = [
        *(q.text for q in texts.questions()),
        *(t.text for t in texts.conversation_texts(cycle.ALL_CONTEXTS)),
        *(a.text for a in texts.action_texts(cycle.ALL_CONTEXTS)),
        *(note for notes in load("trajectories")["end_notes"].values() for note in notes),
    ]
    assert len(rows) > 80
    for text in rows:
        assert placeholders(text) <= set(words), text
        assert "{" not in text.format_map(words)


def test_each_context_and_phase_has_texts():
    for context in cycle.ALL_CONTEXTS:
        assert cycle.questions_for(context, 40, names.DUTCH)
        for phase in cycle.PHASE_ORDER:
            assert cycle.conversation_texts_for(context, phase, False, 40), (context, phase)
        for stage in (0, 1, 2):
            assert cycle.action_texts_for(context, stage, False), (context, stage)
    assert set(texts.phase_reasons()) >= {
        (a, b) for a, b in zip(cycle.PHASE_ORDER, cycle.PHASE_ORDER[1:], strict=False)
    } - {("adjusting", "evaluation")}


def test_names_split_infixes_and_bsns_pass_the_elfproef():
    assert names.split_infix("van der Meer") == ("van der", "Meer")
    assert names.split_infix("Bakker") == ("", "Bakker")
    assert names.ascii_name("Wiśniewska-Łukasz") == "wisniewskalukasz"
    rng, taken = random.Random(5), set()
    numbers = [names.bsn(rng, taken) for _ in range(200)]
    assert len(set(numbers)) == 200 and taken == set(numbers)
    assert all(len(n) == 9 for n in numbers)
    polish = [names.random_name(random.Random(i), "pools", True, 30)[2] for i in range(40)]
    assert all("/" not in name for name in polish)
