"""Access rules of the conversation guide pages (merged into tests/test_access.py::MATRIX).

The guide holds no client data: every staff member reads it; only the functional administrator edits
it, downloads it and reads its earlier versions.
"""

from django.urls import reverse

from tests.matrix import ADMIN, ADMIN_POST, STAFF


def _guide():
    """The current guide: the shipped one, loaded after migrate."""
    from waardewerk.knowledge import selectors

    found = selectors.current_guide()
    assert found is not None, "the shipped conversation guide is not loaded"
    return found


def _url(name, arg=None):
    return lambda world: reverse(name, args=[arg()] if arg else [])


def _first_topic(phase="intake"):
    return _guide()[1].topics_in(phase)[0]


def _topic_post(world):
    version, guide = _guide()
    phase, raw = guide.topic_raw(_first_topic().key)
    return {
        "title_nl": raw["title"]["nl"],
        "title_en": raw["title"].get("en", ""),
        "why_nl": raw["why"]["nl"],
        "why_en": raw["why"].get("en", ""),
        "questions_nl": "\n".join(q["nl"] for q in raw["questions"]) + "\nEen extra vraag?",
        "questions_en": "",
        "audiences": guide.audience_keys,
        "instruments": [],
        "knowledge_source": "client",
        "note": "Een vraag toegevoegd.",
        "base_version": version.version,
    }


def _add_post(world):
    return _topic_post(world) | {"title_nl": "Een nieuw onderwerp", "note": "Nieuw onderwerp."}


def _base(world):
    return {"base_version": _guide()[0].version}


MATRIX = {
    "knowledge:guide": ("get", _url("knowledge:guide"), None, STAFF),
    "knowledge:admin": ("get", _url("knowledge:admin"), None, ADMIN),
    "knowledge:download": ("get", _url("knowledge:download"), None, ADMIN),
    "knowledge:version": ("get", _url("knowledge:version", lambda: _guide()[0].version), None, ADMIN),
    "knowledge:topic_edit": (
        "post",
        _url("knowledge:topic_edit", lambda: _first_topic().key),
        _topic_post,
        ADMIN_POST,
    ),
    "knowledge:topic_add": ("post", _url("knowledge:topic_add", lambda: "plan"), _add_post, ADMIN_POST),
    "knowledge:topic_remove": (
        "post",
        _url("knowledge:topic_remove", lambda: _first_topic().key),
        lambda w: _base(w) | {"note": "Niet meer nodig."},
        ADMIN_POST,
    ),
    "knowledge:topic_move": (
        "post",
        _url("knowledge:topic_move", lambda: _first_topic().key),
        lambda w: _base(w) | {"direction": "down"},
        ADMIN_POST,
    ),
}
