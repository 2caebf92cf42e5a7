"""The versioned-content base (core.models.ContentItem/ContentVersion, core.content_versions.ContentStore):
the same rules hold for every kind of content, here instrument definitions and the conversation guide; the
system check names a kind that is wired wrongly; the migration onto the base keeps every stored version."""

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import isolate_apps
from django.utils import timezone

from waardewerk.core.content import ContentError
from waardewerk.core.exceptions import ConcurrentEditError
from waardewerk.core.models import ContentItem, ContentVersion
from waardewerk.instruments.models import Instrument, InstrumentVersion
from waardewerk.instruments.services import INSTRUMENTS
from waardewerk.knowledge.models import ConversationGuide, GuideVersion
from waardewerk.knowledge.services import GUIDE
from waardewerk.knowledge.tests.conftest import clear_guides, fixture_data

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "eigen-instrument-werkplezier.yaml"


def _instrument():
    return INSTRUMENTS, yaml.safe_load(EXAMPLE.read_text())


def _guide():
    clear_guides()  # the guide is one per installation: start without the shipped one
    return GUIDE, fixture_data()


@pytest.fixture(params=[_instrument, _guide], ids=["instrument", "guide"])
def kind(request, db):
    return request.param()


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _retitled(data: dict, title: str, version: int | None = None) -> dict:
    changed = copy.deepcopy(data)
    changed["title"] = {"nl": title}
    if version is not None:
        changed["version"] = version
    return changed


def test_the_same_version_with_the_same_content_is_a_no_op(kind):
    store, data = kind
    first = store.load(_dump(data), filename="first.yaml", loaded_by="test")
    again = store.load(_dump(data), filename="again.yaml")
    assert first.created and not again.created
    assert again.version == first.version and again.version.source_file == "first.yaml"
    assert store.version_model.objects.filter(**{store.item_field: first.version.item}).count() == 1


def test_the_same_version_with_other_content_is_refused_and_nothing_changes(kind):
    store, data = kind
    first = store.load(_dump(data), loaded_by="test").version
    with pytest.raises(ContentError) as error:
        store.load(_dump(_retitled(data, "Anders")))
    assert f"version {data['version']} of" in error.value.problems[0]
    assert "give the changed file a higher version" in error.value.problems[0]
    first.refresh_from_db()
    assert first.definition["title"] == data["title"]


def test_every_version_is_kept_and_the_highest_is_current(kind):
    store, data = kind
    number = data["version"]
    store.load(_dump(data), loaded_by="test")
    store.load(_dump(_retitled(data, "Drie", number + 2)), loaded_by="test")
    older = store.load(_dump(_retitled(data, "Twee", number + 1)), loaded_by="test")
    assert older.created  # kept in the history, not current
    current = store.current(data["key"])
    assert current.version == number + 2 and current.definition["title"] == {"nl": "Drie"}
    assert [v.version for v in store.history(data["key"])] == [number + 2, number + 1, number]
    assert store.version(data["key"], number).definition["title"] == data["title"]
    assert store.current_number(data["key"]) == number + 2


def test_a_loaded_file_says_who_loaded_it_and_is_not_an_edit(kind):
    store, data = kind
    stored = store.load(_dump(data), filename="/somewhere/file.yaml").version
    assert stored.loaded_by == "unknown" and stored.source_file == "file.yaml"
    assert not stored.is_edit and stored.checksum and len(stored.checksum) == 64


@pytest.fixture
def editable(db):
    """The kinds that are edited on a page (instruments change by file only)."""
    return _guide()


def test_an_edit_is_the_next_version_with_its_note_and_a_stale_edit_is_refused(editable, functional_admin):
    store, data = editable
    first = store.load(_dump(data), loaded_by="test").version
    key, number = data["key"], data["version"]

    def retitle(title):
        return lambda definition, errors: definition.update(title={"nl": title})

    stored, previous = store.edit(
        key=key, base_version=number, created_by=functional_admin, note="Nieuwe titel.", change=retitle("B")
    )
    assert previous == first and stored.version == number + 1 and stored.is_edit
    assert stored.created_by == functional_admin and stored.note == "Nieuwe titel."
    assert store.current(key) == stored and stored.definition["version"] == number + 1
    with pytest.raises(ConcurrentEditError):
        store.edit(key=key, base_version=number, created_by=functional_admin, note="x", change=retitle("C"))
    with pytest.raises(ValidationError) as error:  # what changed and why is required
        store.edit(
            key=key, base_version=number + 1, created_by=functional_admin, note=" ", change=retitle("C")
        )
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError):  # the result is checked like a file: a title is required
        store.edit(
            key=key,
            base_version=number + 1,
            created_by=functional_admin,
            note="Titel weg",
            change=lambda definition, errors: definition.pop("title"),
        )
    assert [v.version for v in store.history(key)] == [number + 1, number]
    first.refresh_from_db()
    assert first.definition["title"] == data["title"]


def test_a_file_may_not_reuse_the_number_of_an_edit(editable, functional_admin):
    store, data = editable
    store.load(_dump(data), loaded_by="test")
    store.edit(
        key=data["key"],
        base_version=data["version"],
        created_by=functional_admin,
        note="Titel",
        change=lambda definition, errors: definition.update(title={"nl": "Bewerkt"}),
    )
    with pytest.raises(ContentError):
        store.load(_dump(_retitled(data, "Uit een bestand", data["version"] + 1)))


def test_shipped_files_yield_to_local_changes_only_where_the_kind_says_so(db, monkeypatch, tmp_path):
    """Instruments: a newer shipped version becomes current even over a file loaded here. The guide keeps
    the version made here (tested in knowledge/tests/test_services.py)."""
    data = yaml.safe_load(EXAMPLE.read_text())
    INSTRUMENTS.load(_dump(data), loaded_by="command line")
    shipped = tmp_path / "werkplezier.yaml"
    shipped.write_text(_dump(_retitled(data, "Nieuw", data["version"] + 1)))
    monkeypatch.setattr(type(INSTRUMENTS), "shipped_files", lambda self: [shipped])
    [result] = INSTRUMENTS.load_shipped()
    assert result.created and INSTRUMENTS.current(data["key"]).loaded_by == "waardewerk"
    assert GUIDE.protect_local_changes and not INSTRUMENTS.protect_local_changes


def test_only_a_single_kind_reads_without_a_key(db):
    assert GUIDE.current() is not None  # the shipped guide, loaded after migrate
    with pytest.raises(TypeError):
        INSTRUMENTS.current()


def test_a_kind_without_a_checker_for_edits_refuses_them(db, functional_admin):
    with pytest.raises(NotImplementedError):
        INSTRUMENTS.edit(
            key="lwc",
            base_version=INSTRUMENTS.current_number("lwc"),
            created_by=functional_admin,
            note="x",
            change=lambda d, e: None,
        )


# The system check -----------------------------------------------------------------------------------------


def _content_errors(model) -> list[str]:
    # Only this base's checks: the user model ("changed by") is not part of the isolated registry.
    return [error.id for error in model.check() if error.id.startswith("core.")]


@isolate_apps("waardewerk.core")
def test_the_system_check_names_a_kind_of_content_wired_wrongly():
    class Thing(ContentItem):
        class Meta:
            app_label = "core"

    class ThingVersion(ContentVersion):
        item_field = "thing"
        thing = models.ForeignKey(Thing, on_delete=models.PROTECT, related_name="+")

        class Meta:
            app_label = "core"

    assert _content_errors(Thing) == ["core.E101"]
    assert _content_errors(ThingVersion) == ["core.E102", "core.E103"]


@isolate_apps("waardewerk.core")
def test_a_kind_of_content_wired_rightly_passes_the_system_check():
    class Thing(ContentItem):
        current = models.ForeignKey("ThingVersion", on_delete=models.PROTECT, null=True, related_name="+")

        class Meta:
            app_label = "core"

    class ThingVersion(ContentVersion):
        item_field = "thing"
        thing = models.ForeignKey(Thing, on_delete=models.PROTECT, related_name="versions")

        class Meta:
            app_label = "core"
            constraints = [models.UniqueConstraint(fields=["thing", "version"], name="thing_unique")]

    assert _content_errors(Thing) == [] and _content_errors(ThingVersion) == []


# The migration onto the base --------------------------------------------------------------------------------

BEFORE = [("instruments", "0002_immutable"), ("knowledge", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_onto_the_base_keeps_every_stored_version(functional_admin):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    shipped = {
        v.pk: (v.version, v.checksum, v.loaded_by)
        for v in old.get_model("instruments", "InstrumentVersion").objects.all()
    }
    assert shipped  # the shipped instruments, loaded after migrate
    instrument = old.get_model("instruments", "Instrument").objects.create(key="eigen")
    own = old.get_model("instruments", "InstrumentVersion").objects.create(
        instrument=instrument, version=1, definition={"key": "eigen"}, checksum="a" * 64, loaded_by=""
    )
    instrument.current = own
    instrument.save()
    guide = old.get_model("knowledge", "ConversationGuide").objects.get()
    edit = old.get_model("knowledge", "GuideVersion").objects.create(
        guide=guide,
        version=guide.current.version + 1,
        definition={"key": guide.key},
        checksum="b" * 64,
        created_by_id=functional_admin.pk,
        note="Vraag toegevoegd.",
    )
    stored_at = timezone.now() - dt.timedelta(days=40)
    old.get_model("knowledge", "GuideVersion").objects.filter(pk=edit.pk).update(created_at=stored_at)
    guide_versions = old.get_model("knowledge", "GuideVersion").objects.count()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    for pk, (number, digest, loaded_by) in shipped.items():
        version = InstrumentVersion.objects.get(pk=pk)
        assert (version.version, version.checksum, version.loaded_by) == (number, digest, loaded_by)
        assert version.created_by is None and version.note == "" and not version.is_edit
    own = InstrumentVersion.objects.get(pk=own.pk)
    assert own.loaded_by == "unknown" and not own.is_edit  # a file, not an edit
    assert Instrument.objects.get(key="eigen").current == own
    assert GuideVersion.objects.count() == guide_versions
    edit = GuideVersion.objects.get(pk=edit.pk)
    assert edit.is_edit and edit.created_by == functional_admin and edit.note == "Vraag toegevoegd."
    assert edit.loaded_at == stored_at and edit.checksum == "b" * 64
    assert ConversationGuide.objects.get().key == guide.key
