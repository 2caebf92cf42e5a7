"""The guide pages: reading and filtering, the editor (new versions, bad input, a concurrent edit), the
download and the history."""

import re

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from waardewerk.knowledge import selectors
from waardewerk.knowledge.guide import parse_guide
from waardewerk.knowledge.models import GuideVersion

pytestmark = pytest.mark.django_db


def _post_for(topic_key="intake_values", **overrides):
    data = {
        "title_nl": "Waarden in werk",
        "title_en": "Values in work",
        "why_nl": "Waarden geven richting.",
        "why_en": "Values give direction.",
        "questions_nl": "Wat vindt u belangrijk?\r\nWaar krijgt u energie van?",
        "questions_en": "What matters to you?",
        "audiences": ["first_track", "second_track", "job_seeker"],
        "instruments": ["lwc"],
        "knowledge_source": "client",
        "note": "Vraag over energie toegevoegd.",
        "base_version": "1",
    }
    return data | overrides


def _main(response) -> str:
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def test_staff_read_the_guide_and_filter_by_audience(guide_v1, login, professional):
    c = login(professional)
    page = _main(c.get(reverse("knowledge:guide")))
    assert "Gespreksleidraad (test)" in page
    for key in ("intake_values", "intake_employer", "intake_search", "evaluation_search"):
        assert f'id="topic-{key}"' in page
    assert "Wat vindt u belangrijk in werk?" in page
    assert reverse("instruments:instrument", args=["lwc"]) in page
    assert "Edit the guide" not in page and "topic_edit" not in page

    seekers = _main(c.get(reverse("knowledge:guide") + "?audience=job_seeker"))
    assert 'id="topic-intake_search"' in seekers and 'id="topic-intake_employer"' not in seekers
    assert '<option value="job_seeker" selected>' in seekers
    unknown = _main(c.get(reverse("knowledge:guide") + "?audience=nonsense"))
    assert 'id="topic-intake_employer"' in unknown


def test_the_guide_page_without_a_guide(db, login, professional):
    from waardewerk.knowledge.tests.conftest import clear_guides

    clear_guides()
    response = login(professional).get(reverse("knowledge:guide"))
    assert response.status_code == 200
    assert "Er is geen gespreksleidraad geladen." in _main(response)


def test_navigation_links_the_guide_per_role(guide_v1, login, professional, functional_admin):
    page = login(professional).get(reverse("knowledge:guide")).content.decode()
    assert f'href="{reverse("knowledge:guide")}" aria-current="page"' in page
    page = login(functional_admin).get(reverse("knowledge:admin")).content.decode()
    assert f'href="{reverse("knowledge:admin")}" aria-current="page"' in page


def test_admin_page_has_the_tools_and_the_history(guide_v1, login, functional_admin):
    page = _main(login(functional_admin).get(reverse("knowledge:admin")))
    assert reverse("knowledge:topic_edit", args=["intake_values"]) in page
    assert reverse("knowledge:topic_remove", args=["intake_values"]) in page
    assert reverse("knowledge:topic_add", args=["evaluation"]) in page
    assert reverse("knowledge:download") in page
    # the first topic of a phase cannot move up, the last not down
    move = re.search(r'action="/admin-area/guide/topics/intake_values/move/".*?</form>', page, re.S).group(0)
    assert 'value="down"' in move and 'value="up"' not in move
    assert reverse("knowledge:version", args=[1]) in page


def test_editing_a_topic_makes_a_new_version(guide_v1, login, functional_admin):
    c = login(functional_admin)
    url = reverse("knowledge:topic_edit", args=["intake_values"])
    form = c.get(url)
    assert form.status_code == 200
    page = _main(form)
    assert "Wat vindt u belangrijk in werk?\nWat geeft u energie?</textarea>" in page
    assert 'name="base_version" value="1"' in page
    assert re.search(r'<fieldset[^>]*id="id_audiences"', page) and "<legend" in page

    response = c.post(url, _post_for())
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledge:admin") + "#topic-intake_values"
    version, guide = selectors.current_guide()
    assert version.version == 2 and version.note == "Vraag over energie toegevoegd."
    assert guide.topic("intake_values").questions == ["Wat vindt u belangrijk?", "Waar krijgt u energie van?"]
    history = _main(c.get(reverse("knowledge:admin")))
    assert "Vraag over energie toegevoegd." in history and "Ad Beheerder" in history


def test_bad_input_is_shown_next_to_the_fields_and_kept(guide_v1, login, functional_admin):
    c = login(functional_admin)
    url = reverse("knowledge:topic_edit", args=["intake_values"])
    response = c.post(url, _post_for(title_nl="", note="", audiences=[], questions_nl="Mijn nieuwe vraag?"))
    assert response.status_code == 422
    page = _main(response)
    assert 'href="#id_title_nl"' in page and 'href="#id_note"' in page and 'href="#id_audiences"' in page
    assert 'id="id_title_nl-error"' in page and 'aria-invalid="true"' in page
    assert "Mijn nieuwe vraag?</textarea>" in page
    # English longer than Dutch: the service's message, next to the English questions
    response = c.post(url, _post_for(questions_nl="Eén?", questions_en="One?\nTwo?"))
    assert response.status_code == 422 and 'id="id_questions_en-error"' in _main(response)
    assert GuideVersion.objects.count() == 1


def test_a_concurrent_edit_is_refused_with_the_input_kept(guide_v1, login, functional_admin):
    c = login(functional_admin)
    url = reverse("knowledge:topic_edit", args=["intake_values"])
    assert c.post(url, _post_for()).status_code == 302  # the other administrator, first
    response = c.post(url, _post_for(questions_nl="Mijn eigen vraag?", note="Mijn wijziging"))
    assert response.status_code == 422
    page = _main(response)
    assert "versie 2 van de leidraad opgeslagen" in page
    assert reverse("knowledge:version", args=[2]) in page
    assert "Mijn eigen vraag?</textarea>" in page and "Mijn wijziging</textarea>" in page
    assert GuideVersion.objects.count() == 2
    assert selectors.current_guide()[1].topic("intake_values").questions[0] == "Wat vindt u belangrijk?"


def test_unknown_topic_and_phase_give_404(guide_v1, login, functional_admin):
    c = login(functional_admin)
    assert c.get(reverse("knowledge:topic_edit", args=["gone"])).status_code == 404
    assert c.post(reverse("knowledge:topic_edit", args=["gone"]), _post_for()).status_code == 404
    assert c.get(reverse("knowledge:topic_add", args=["aftercare"])).status_code == 404
    assert c.get(reverse("knowledge:topic_remove", args=["gone"])).status_code == 404
    assert c.get(reverse("knowledge:version", args=[9])).status_code == 404


def test_add_remove_and_move_through_the_pages(guide_v1, login, functional_admin):
    c = login(functional_admin)
    add = reverse("knowledge:topic_add", args=["plan"])
    assert c.get(add).status_code == 200
    response = c.post(add, _post_for(title_nl="Werk en gezin", note="Nieuw onderwerp."))
    assert response.status_code == 302 and response["Location"].endswith("#topic-werk_en_gezin")

    remove = reverse("knowledge:topic_remove", args=["werk_en_gezin"])
    assert "Werk en gezin" in _main(c.get(remove))
    assert c.post(remove, {"base_version": "2", "note": ""}).status_code == 422
    assert c.post(remove, {"base_version": "2", "note": "Toch niet."}).status_code == 302
    assert selectors.current_guide()[1].topic("werk_en_gezin") is None

    move = reverse("knowledge:topic_move", args=["plan_search"])
    response = c.post(move, {"base_version": "3", "direction": "up"}, follow=True)
    assert "Het onderwerp is verplaatst." in _main(response)
    assert [t.key for t in selectors.current_guide()[1].topics_in("plan")][1] == "plan_search"
    stale = c.post(move, {"base_version": "3", "direction": "up"}, follow=True)
    assert "versie 4 van de leidraad opgeslagen" in _main(stale)
    assert GuideVersion.objects.count() == 4


def test_download_is_the_current_version_as_a_loadable_file(guide_v1, login, functional_admin):
    c = login(functional_admin)
    c.post(reverse("knowledge:topic_edit", args=["intake_values"]), _post_for())
    response = c.get(reverse("knowledge:download"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="gespreksleidraad-waardegericht-v2.yaml"'
    text = response.content.decode()
    assert parse_guide(text) == selectors.current_guide()[0].definition
    assert yaml.safe_load(text)["version"] == 2


def test_an_old_version_stays_readable(guide_v1, login, functional_admin):
    c = login(functional_admin)
    c.post(reverse("knowledge:topic_edit", args=["intake_values"]), _post_for(title_nl="Nieuwe titel"))
    old = _main(c.get(reverse("knowledge:version", args=[1])))
    assert "Waarden (intake)" in old and "Nieuwe titel" not in old
    assert "Dit is niet de huidige versie" in old
    new = _main(c.get(reverse("knowledge:version", args=[2])))
    assert "Nieuwe titel" in new and "Vraag over energie toegevoegd." in new


def test_the_guide_in_english(guide_v1, login, professional):
    c = login(professional)
    # The requests activate English in this thread; put Dutch back afterwards for the tests that follow.
    with translation.override("nl"):
        c.post(reverse("set_language"), {"language": "en", "next": "/guide/"})
        page = _main(c.get(reverse("knowledge:guide")))
    assert "Conversation guide (test)" in page and "What matters to you in work?" in page
