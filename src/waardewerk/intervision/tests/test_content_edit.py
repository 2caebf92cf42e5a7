"""The content editor changes the organisation's methods and checkpoints on a page: each change is a new
version with a reason, a stale edit is refused with the input kept, a bad file loads nothing and names every
problem, sessions and reviews keep the version they were made with, and other organisations are untouched."""

import datetime as dt

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import OrganisationFactory, TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.intervision import content_edit, in_effect, services
from waardewerk.intervision.forms import CheckpointForm, PhaseForm
from waardewerk.intervision.services import CHECKPOINTS, METHODS

DAY = dt.date(2026, 10, 6)


@pytest.fixture
def editor(organisation):
    return UserFactory(organisation=organisation, role=Role.KNOWLEDGE_EDITOR)


@pytest.fixture
def group(professional, team_lead, functional_admin):
    return services.group_create(
        actor=functional_admin, name="OT-groep Noord", members=[professional, team_lead]
    )


def _method_post(version, **changes):
    phases = version.definition["phases"]
    data = {
        "base_version": version.version,
        "note": "Tijden aangepast aan onze middagen",
        "title_nl": version.definition["title"]["nl"],
        "title_en": version.definition["title"].get("en", ""),
        "description_nl": version.definition["description"]["nl"],
        "sources": "\n".join(version.definition["sources"]),
        "phases-TOTAL_FORMS": len(phases) + 1,
        "phases-INITIAL_FORMS": len(phases),
    }
    for index, phase in enumerate(phases):
        for name, value in PhaseForm.initial_for(phase).items():
            data[f"phases-{index}-{name}"] = value
    data.update(changes)
    return data


def test_an_edit_is_a_new_version_of_the_organisation_and_a_session_keeps_its_version(
    login, editor, group, professional, team_lead
):
    before = services.session_create(
        actor=professional, group=group, date=DAY, method_key="incident", facilitator=team_lead
    )
    installation = METHODS.current("incident")
    c = login(editor)
    assert c.get(reverse("intervision:method_edit", args=["incident"])).status_code == 200
    data = _method_post(installation, **{"phases-0-minutes": 7, "phases-1-DELETE": "on"})
    response = c.post(reverse("intervision:method_edit", args=["incident"]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    own = in_effect.version_in_effect("method", editor.organisation_id, "incident")
    assert own.version == installation.version + 1 and own.created_by == editor
    assert own.note == "Tijden aangepast aan onze middagen"
    assert own.definition["phases"][0]["minutes"] == 7
    assert len(own.definition["phases"]) == len(installation.definition["phases"]) - 1
    assert METHODS.current("incident").pk == installation.pk  # the installation's version is unchanged
    after = services.session_create(
        actor=professional, group=group, date=DAY, method_key="incident", facilitator=team_lead
    )
    before.refresh_from_db()
    assert before.method_version_id == installation.pk and after.method_version_id == own.pk
    page = c.get(reverse("intervision:method", args=["incident"])).content.decode()
    assert "Tijden aangepast aan onze middagen" in page
    assert "Taken over from" in page or "Overgenomen van" in page
    # Another organisation still uses the installation's version.
    other = UserFactory(organisation=OrganisationFactory(), role=Role.PROFESSIONAL)
    assert in_effect.version_in_effect("method", other.organisation_id, "incident").pk == installation.pk


def test_a_stale_edit_is_refused_with_the_input_kept(login, editor):
    installation = METHODS.current("balint")
    c = login(editor)
    url = reverse("intervision:method_edit", args=["balint"])
    assert c.post(url, _method_post(installation, note="Eerste")).status_code == 302
    response = c.post(url, _method_post(installation, note="Mijn late wijziging"))
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="conflict"' in body and "Mijn late wijziging" in body
    assert in_effect.version_in_effect("method", editor.organisation_id, "balint").note == "Eerste"


def test_a_phase_with_bad_input_gets_a_message_and_nothing_is_saved(login, editor):
    installation = METHODS.current("balint")
    c = login(editor)
    data = _method_post(installation, **{"phases-0-speaker": "boss", "phases-1-minutes": "0", "note": ""})
    response = c.post(reverse("intervision:method_edit", args=["balint"]), data)
    assert response.status_code == 422
    assert response.content.decode().count('aria-invalid="true"') >= 3
    assert content_edit.history("method", editor.organisation_id, "balint")["own"] == []


def test_a_bad_file_loads_nothing_and_names_every_problem(login, editor):
    definition = dict(METHODS.current("incident").definition)
    definition["phases"] = [dict(p) for p in definition["phases"]]
    definition["phases"][1]["speaker"] = "boss"
    definition["phases"][2]["minutes"] = 0
    c = login(editor)
    upload = SimpleUploadedFile("incident.yaml", yaml.safe_dump(definition).encode())
    response = c.post(reverse("intervision:method_import", args=["incident"]), {"file": upload, "note": "x"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "phases[1].speaker" in body and "phases[2].minutes" in body
    assert content_edit.history("method", editor.organisation_id, "incident")["own"] == []


def test_an_exported_file_changed_and_loaded_is_the_next_version(login, editor):
    c = login(editor)
    exported = c.get(reverse("intervision:method_export", args=["incident"]))
    assert exported.status_code == 200
    definition = yaml.safe_load(exported.content)
    definition["description"] = {"nl": "Onze eigen beschrijving."}
    upload = SimpleUploadedFile("incident.yaml", yaml.safe_dump(definition).encode())
    response = c.post(
        reverse("intervision:method_import", args=["incident"]), {"file": upload, "note": "Eigen tekst"}
    )
    assert response.status_code == 302
    own = in_effect.version_in_effect("method", editor.organisation_id, "incident")
    assert own.definition["description"] == {"nl": "Onze eigen beschrijving."} and own.note == "Eigen tekst"
    # The same file again is from an older version now: refused with the reason.
    upload = SimpleUploadedFile("incident.yaml", yaml.safe_dump(definition).encode())
    response = c.post(reverse("intervision:method_import", args=["incident"]), {"file": upload, "note": "x"})
    assert response.status_code == 422


def test_others_read_but_do_not_edit(login, professional):
    c = login(professional)
    assert c.get(reverse("intervision:method", args=["incident"])).status_code == 200
    assert c.get(reverse("intervision:method_edit", args=["incident"])).status_code == 403
    assert c.get(reverse("intervision:checkpoints_edit")).status_code == 403


def test_a_switched_off_checkpoint_is_not_answered_and_a_review_keeps_its_version(
    login, editor, professional
):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    earlier = services.review_start(actor=professional, trajectory=trajectory)
    installation = CHECKPOINTS.current("cycle-review")
    rows = installation.definition["checkpoints"]
    data = {
        "base_version": installation.version,
        "note": "Intake meten wij anders",
        "checkpoints-TOTAL_FORMS": len(rows),
        "checkpoints-INITIAL_FORMS": len(rows),
    }
    for index, checkpoint in enumerate(rows):
        for name, value in CheckpointForm.initial_for(checkpoint).items():
            if value not in (False, None):
                data[f"checkpoints-{index}-{name}"] = value
    data["checkpoints-0-off"] = "on"
    c = login(editor)
    response = c.post(reverse("intervision:checkpoints_edit"), data)
    assert response.status_code == 422  # the reason is missing
    data["checkpoints-0-off_reason"] = "Wij meten de intake met een eigen lijst"
    data["checkpoints-1-title_nl"] = "Waarden hebben een doel"
    assert c.post(reverse("intervision:checkpoints_edit"), data).status_code == 302
    own = in_effect.version_in_effect("checkpoints", editor.organisation_id)
    assert own.definition["checkpoints"][0]["off"] == "Wij meten de intake met een eigen lijst"
    assert own.definition["checkpoints"][1]["title"]["nl"] == "Waarden hebben een doel"
    later = services.review_start(actor=professional, trajectory=trajectory)
    assert later.checkpoints_id == own.pk and earlier.checkpoints_id == installation.pk
    assert rows[0]["key"] not in {r["key"] for r in later.result_list}
    assert rows[0]["key"] in {r["key"] for r in earlier.result_list}
    page = login(professional).get(reverse("intervision:checkpoints")).content.decode()
    assert "Wij meten de intake met een eigen lijst" in page and "Intake meten wij anders" in page


def test_the_content_editor_finds_the_methods_in_the_navigation(login, editor):
    response = login(editor).get(reverse("intervision:methods"))
    links = [(item.url, item.current) for item in response.context["nav_items"]]
    assert (reverse("intervision:methods"), True) in links
    assert reverse("intervision:groups") not in [url for url, _current in links]
    assert reverse("intervision:checkpoints") in response.content.decode()


def test_a_newer_installation_file_loads_beside_the_organisations_own_versions(login, editor):
    """The installation's store sees only the installation's items: a newer file loads (no clash with the
    organisation's item of the same key), the organisation keeps its own version, and its page names the
    newer one."""
    installation = METHODS.current("balint")
    c = login(editor)
    assert (
        c.post(reverse("intervision:method_edit", args=["balint"]), _method_post(installation)).status_code
        == 302
    )
    own = in_effect.version_in_effect("method", editor.organisation_id, "balint")
    assert METHODS.current("balint").pk == installation.pk
    newer = dict(installation.definition, version=installation.version + 1)
    newer["description"] = {"nl": "Een nieuwere beschrijving."}
    result = METHODS.load(yaml.safe_dump(newer), filename="balint.yaml", loaded_by="command line")
    assert result.created and METHODS.current("balint").version == installation.version + 1
    assert in_effect.version_in_effect("method", editor.organisation_id, "balint").pk == own.pk
    assert METHODS.load_shipped()  # the shipped files load again without a clash
    page = c.get(reverse("intervision:method", args=["balint"])).content.decode()
    url = reverse("intervision:method_version", args=["balint", installation.version + 1])
    assert f"{url}?of=installation" in page


def test_a_problem_the_checker_finds_is_shown_with_its_phase(login, editor):
    installation = METHODS.current("balint")
    c = login(editor)
    data = _method_post(installation, **{"phases-1-key": "Vragen_Ronde"})
    response = c.post(reverse("intervision:method_edit", args=["balint"]), data)
    assert response.status_code == 422
    body = response.content.decode()
    second = body[body.index('id="phase-2"') : body.index('id="phase-3"')]
    assert "Vragen_Ronde" in second and "not a valid key" in second
