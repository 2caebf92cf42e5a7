"""Access rules of the conversation guide pages (merged into tests/test_access.py::MATRIX).

The guide holds no client data: every staff member reads it; only the functional administrator edits
it, downloads it and reads its earlier versions. The knowledge base's rules are at the end.
"""

from django.urls import reverse

from tests.matrix import ADMIN, ADMIN_POST, LOGIN, STAFF, STAFF_A, no_object, org_a_object


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


# The knowledge base (docs/knowledge.md) ---------------------------------------------------------------------
# Installation-wide entries (the starter set) are read by every staff member of every organisation; an
# organisation's own entries are invisible to another organisation (404); a proposal is seen by its proposer
# and the knowledge editor only.

ENTRY_FIELDS = {
    "name": "Opbouwschema in uren",
    "summary": "Uren stap voor stap opbouwen, elke vier weken evalueren.",
    "target_final": "Werkzoekenden die na lange tijd weer gaan werken.",
    "goal": "Een werkritme dat de cliënt volhoudt.",
    "approach": "Start met twee dagdelen; elke vier weken samen met de werkgever bijstellen.",
    "work_values": [],
    "determinants": [],
    "contexts": ["participation_act"],
    "references": [],
}


def _user(world, role):
    """The world's user in ``role``, or a new one of the world's organisation (some worlds have fewer)."""
    from tests.factories import UserFactory

    found = world["users"].get(role)
    return found or UserFactory(organisation=world["trajectory"].organisation, role=role)


def _proposal(world):
    """A local practice method proposed by the organisation's responsible professional."""
    from waardewerk.knowledge import services

    return services.entry_create(actor=_user(world, "professional"), fields=ENTRY_FIELDS, note="Voorstel")


def _own_published(world):
    """An entry of the organisation itself, published by its knowledge editor."""
    from waardewerk.knowledge import services

    return services.entry_create(
        actor=_user(world, "knowledge_editor"),
        fields=ENTRY_FIELDS | {"kind": "method", "level": "not_assessed", "own": True},
        note="Eigen methode",
    )


def _entry_url(name, make, *extra):
    return lambda world: reverse(name, args=[make(world).key, *extra])


EDITOR_ONLY = no_object(
    {
        "anonymous": LOGIN,
        "professional": 403,
        "colleague": 403,
        "team_lead": 403,
        "functional_admin": 403,
        "knowledge_editor": 200,
    }
)
PROPOSAL = org_a_object(
    {
        "anonymous": LOGIN,
        "professional": 200,
        "colleague": 404,
        "team_lead": 404,
        "functional_admin": 404,
        "knowledge_editor": 200,
    }
)

MATRIX |= {
    "knowledge:entries": ("get", _url("knowledge:entries"), None, STAFF),
    "knowledge:entry": (
        "get",
        _entry_url("knowledge:entry", _own_published),
        None,
        org_a_object({"anonymous": LOGIN, **dict.fromkeys(STAFF_A, 200)}),
    ),
    "knowledge:entry_new": (
        "get",
        _url("knowledge:entry_new"),
        None,
        no_object({"anonymous": LOGIN, **dict.fromkeys(STAFF_A, 200), "functional_admin": 403}),
    ),
    "knowledge:entry_edit": ("get", _entry_url("knowledge:entry_edit", _proposal), None, PROPOSAL),
    "knowledge:entry_version": ("get", _entry_url("knowledge:entry_version", _proposal, 1), None, PROPOSAL),
    "knowledge:entry_review": (
        "post",
        _entry_url("knowledge:entry_review", _proposal),
        lambda w: {"decision": "publish", "remarks": "", "base_version": 1},
        PROPOSAL | {"professional": 403, "knowledge_editor": 302},
    ),
    # A published entry of the organisation: everyone of it sees it (403 on withdrawing), B cannot tell.
    "knowledge:entry_withdraw": (
        "post",
        _entry_url("knowledge:entry_withdraw", _own_published),
        lambda w: {"reason": "Vervangen door een betere methode."},
        org_a_object({"anonymous": LOGIN, **dict.fromkeys(STAFF_A, 403), "knowledge_editor": 302}),
    ),
    "knowledge:editor": ("get", _url("knowledge:editor"), None, EDITOR_ONLY),
    "knowledge:entries_export": ("get", _url("knowledge:entries_export"), None, EDITOR_ONLY),
    # Without a file: the editor gets the form back with its message (422), everyone else is refused.
    "knowledge:entries_import": (
        "post",
        _url("knowledge:entries_import"),
        lambda w: {},
        EDITOR_ONLY | {"knowledge_editor": 422, "org_b_knowledge_editor": 422},
    ),
}

# Guiding principles (docs/knowledge.md): content of the installation, read by all staff, kept by the
# knowledge editor (of any organisation, as the installation's knowledge-base entries).
MATRIX |= {
    "knowledge:principles": ("get", _url("knowledge:principles"), None, STAFF),
    "knowledge:principle_edit": ("get", _url("knowledge:principle_edit", lambda: "trust"), None, EDITOR_ONLY),
    # Without input: the editor gets the form back with its messages (422), everyone else is refused.
    "knowledge:principle_add": (
        "post",
        _url("knowledge:principle_add"),
        lambda w: {},
        EDITOR_ONLY | {"knowledge_editor": 422, "org_b_knowledge_editor": 422},
    ),
}
