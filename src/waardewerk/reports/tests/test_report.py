"""The report's contents per version: what each reader gets, and what never reaches them."""

import io
import re

import pytest
from django.utils import timezone, translation

from waardewerk.audit.models import AccessEvent
from waardewerk.reports import rules, services
from waardewerk.reports.builder import _compact
from waardewerk.reports.rules import Audience
from waardewerk.reports.tests.conftest import EXPECTED, MARKERS, record_everything

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("audience", Audience.values)
def test_each_version_holds_exactly_what_its_reader_may_see(recorded, fetch, audience):
    html = services.render_html(fetch(recorded), audience=audience, language="en")
    for key, wanted in EXPECTED[audience].items():
        assert (MARKERS[key] in html) is wanted, f"{audience}: {key} ({MARKERS[key]}) should be {wanted}"


def test_employer_version_leaves_out_everything_health_related(recorded, fetch):
    html = services.render_html(fetch(recorded), audience="employer", language="en")
    assert "rugklachten" not in html  # from the question for help
    assert "1979" not in html  # date of birth
    assert "IBM" not in html and "self-efficacy" not in html.lower()  # no IGM in any form
    assert "A importance" not in html  # no scores per work value
    assert "Version for: the employer" in html
    # What the employer does get: the agreed goal, the capability set in words, the ladder and the outcome.
    assert "Capability set" in html
    assert "Topics to act on" in html and "A good income" in html
    assert "Participation ladder" in html
    assert "Gastvrouw" in html and "24" in html


def test_the_kind_of_trajectory_can_be_left_out_in_one_place(recorded, fetch, monkeypatch):
    trajectory = fetch(recorded)
    assert "Participation Act" in services.render_html(trajectory, audience="employer", language="en")
    monkeypatch.setitem(rules.SECTIONS, Audience.EMPLOYER, rules.SECTIONS[Audience.EMPLOYER] - {"context"})
    html = services.render_html(trajectory, audience="employer", language="en")
    assert "Participation Act" not in html and "Kind of trajectory" not in html
    assert "Fatima Öztürk-de Vries worked with Pia Professional (Werkplein Test) from" in html


def test_file_and_commissioner_versions_show_the_grounds_and_say_which_source_is_missing(recorded, fetch):
    for audience in ("file", "commissioner"):
        html = services.render_html(fetch(recorded), audience=audience, language="en")
        assert "Effective: good indications" in html
        assert html.count("not recorded") == 2  # the bare choice has neither expertise nor preference
        assert "no source recorded" in html
        assert "Fatima agreed with this plan on" in html
        assert "14 March 1979" in html  # date of birth


def test_employer_sees_no_goals_until_the_client_agreed_with_a_plan(professional, fetch):
    trajectory = record_everything(professional, closed=False)
    from waardewerk.trajectories.models import PlanAgreement

    PlanAgreement.objects.filter(plan_version__trajectory=trajectory).delete()
    html = services.render_html(fetch(trajectory), audience="employer", language="en")
    assert MARKERS["goal"] not in html
    assert MARKERS["goal_action"] not in html  # its goal is not agreed, so neither is the action shared
    assert MARKERS["employer_action"] in html
    assert "There is no plan yet that Fatima agreed with" in html
    file_html = services.render_html(fetch(trajectory), audience="file", language="en")
    assert "Fatima has not yet agreed with this version of the plan." in file_html


def test_the_change_on_every_instrument_is_in_words_with_chart_and_table(recorded, fetch):
    html = services.render_html(fetch(recorded), audience="commissioner", language="en")
    assert "Capability set 0 → 6" in html
    assert "IBM, rated by the client" in html
    assert "Ladder: 3: Taking part in organised activities → 5: Paid work with support" in html
    figures = html.count("<figure>")
    assert figures == html.count('src="data:image/svg+xml;base64,') == 4  # LWC 2, IGM 1, ladder 1
    assert len(re.findall(r"</figure>\s*<table class=\"data\">", html)) == figures  # each with its table
    assert "is not a validated questionnaire" in html


def test_texts_are_escaped(professional, fetch):
    trajectory = record_everything(professional, closed=False)
    trajectory.question = "<script>alert(1)</script><img src='file:///etc/passwd'>"
    trajectory.save()
    html = services.render_html(fetch(trajectory), audience="file", language="en")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<img src='file" not in html


def test_a_client_name_cannot_break_out_of_the_page_header(professional, fetch):
    trajectory = record_everything(professional, closed=False)
    trajectory.client.last_name = 'X"; } @page { @top-left { content: "pwned'
    trajectory.client.save()
    html = services.render_html(fetch(trajectory), audience="file", language="en")
    header = html.split("@top-left { content: ", 1)[1].split(";", 1)[0]
    assert '"' not in header[1:-1] and "}" not in header


def test_dutch_is_the_default_and_english_is_available(recorded, fetch):
    trajectory = fetch(recorded)
    assert '<html lang="nl">' in services.render_html(trajectory, audience="file")
    english = services.render_html(trajectory, audience="file", language="en")
    assert '<html lang="en">' in english and "Trajectory report" in english
    with pytest.raises(services.ReportError):
        services.render_html(trajectory, audience="file", language="fr")
    with pytest.raises(services.ReportError):
        services.render_html(trajectory, audience="manager")


@pytest.mark.parametrize("audience", Audience.values)
def test_the_pdf_is_tagged_and_its_text_follows_the_rules(recorded, fetch, audience):
    from pypdf import PdfReader

    pdf = services.build_report(fetch(recorded), audience=audience, language="en")
    assert pdf.startswith(b"%PDF")
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root  # tagged (PDF/UA-1)
    assert root["/Lang"] == "en"
    text = pdf_text(pdf)
    assert "Fatima" in text and "Confidential" in text and "Page 1 of" in text
    for key in ("conversation", "igm_note", "question", "reflection", "end_note", "goal"):
        assert (MARKERS[key] in text) is EXPECTED[audience][key], f"{audience}: {key}"


def test_report_print_records_the_print_in_the_access_log(recorded, fetch, professional):
    services.report_print(actor=professional, trajectory=fetch(recorded), audience="commissioner")
    event = AccessEvent.objects.get(action="print")
    assert event.actor_id == professional.pk
    assert event.client_uuid == recorded.client.uuid
    assert event.object_uuid == recorded.uuid
    assert event.detail == {"audience": "commissioner", "report": "trajectory"}


def test_a_trajectory_with_nothing_recorded_yet_still_makes_a_report(professional, fetch):
    from tests.factories import TrajectoryFactory

    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    for audience in Audience.values:
        html = services.render_html(fetch(trajectory), audience=audience, language="en")
        assert "No measurements have been taken yet." in html
    assert services.build_report(fetch(trajectory), audience="employer").startswith(b"%PDF")


def test_long_tables_keep_the_first_and_latest_measurement_per_group():
    from waardewerk.instruments.effect import DataTable

    rows = [[f"0{d}-01-2026", who, str(d)] for d in range(1, 9) for who in ("Client", "Professional")]
    table = DataTable("IBM", ["Date", "Rated by", "Score"], rows)
    kept, compacted = _compact(table, group_column=1)
    assert compacted and [r[0] for r in kept] == ["01-01-2026", "01-01-2026", "08-01-2026", "08-01-2026"]
    short = DataTable("x", ["Date", "Size"], rows[:5])
    assert _compact(short, group_column=None) == (rows[:5], False)


def test_the_rules_keep_health_related_sections_from_the_employer():
    employer = rules.sections_for("employer")
    for section in (
        "question",
        "conversation_notes",
        "measurement_notes",
        "client_evaluation",
        "reflection",
        "end_note",
        "date_of_birth",
        "grounds",
        "actions",
        "charts",
    ):
        assert section not in employer
    commissioner = rules.sections_for("commissioner")
    for section in ("conversation_notes", "measurement_notes", "progress_notes", "adjustment_events"):
        assert section not in commissioner
    assert rules.sections_for("file") >= commissioner
    described = rules.described("employer")
    assert described["includes"] and described["excludes"]
    assert not rules.described("file")["excludes"]


@pytest.mark.django_db
def test_which_instruments_reach_which_version_comes_from_their_definitions():
    from waardewerk.instruments.selectors import definitions_by_key

    definitions = definitions_by_key()
    shown = {
        audience: {key: rules.instrument_visibility(d, audience) for key, d in definitions.items()}
        for audience in rules.Audience.values
    }
    # The employer: the capability set's summary and the ladder, never the health-related IGM.
    # The client's experience and self-direction (the project's own questionnaires) never reach an employer;
    # how the client experiences their professional stays out of the commissioner's version too.
    assert shown["employer"] == {
        "lwc": "summary",
        "igm": "none",
        "participatieladder": "full",
        "ervaring": "none",
        "zelfsturing": "none",
    }
    assert set(shown["file"].values()) == {"full"}
    assert shown["commissioner"] == dict.fromkeys(definitions, "full") | {"ervaring": "none"}
    with translation.override("en"):
        employer = rules.described("employer", definitions)
        file = rules.described("file", definitions)
        igm = definitions["igm"].title
    assert any(igm in line and "health" in line for line in employer["excludes"])
    assert not any(igm in line for line in employer["includes"])
    assert any(igm in line for line in file["includes"])


def test_css_strings_and_page_counter():
    assert services.css_string("Jan · Vertrouwelijk") == '"Jan \\0000b7  Vertrouwelijk"'
    assert services.page_counter("Pagina {page} van {pages}") == (
        '"Pagina " counter(page) " van " counter(pages)'
    )


def test_the_renderer_fetches_nothing_from_outside_the_document():
    fetcher = services._url_fetcher()
    for url in ("file:///etc/hostname", "http://127.0.0.1/", "https://example.org/x.png"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_file_name_names_the_reader_and_not_the_client(recorded):
    today = timezone.localdate()
    ref = recorded.client.uuid.hex[:8]
    names = {audience: services.filename(recorded, audience, today) for audience in Audience.values}
    assert names == {
        "file": f"rapportage-dossier-{ref}-{today.isoformat()}.pdf",
        "commissioner": f"rapportage-opdrachtgever-{ref}-{today.isoformat()}.pdf",
        "employer": f"rapportage-werkgever-{ref}-{today.isoformat()}.pdf",
    }
    recorded.client.last_name = "../../Ünal"
    assert services.filename(recorded, "file", today) == names["file"]
    client = recorded.client
    assert all(
        part.lower() not in name for name in names.values() for part in (client.last_name, client.first_name)
    )
    assert all(re.fullmatch(r"[a-z0-9-]+\.pdf", name) for name in names.values())


def test_the_pdfs_of_a_process_share_one_font_configuration(monkeypatch):
    """A font configuration per PDF left C memory behind each time (docs/performance.md, "Soak: memory per
    worker"): one serves many documents and is renewed after FONT_CONFIG_DOCUMENTS."""
    from weasyprint.text import fonts

    made = []

    class Counted(fonts.FontConfiguration):
        def __init__(self):
            super().__init__()
            made.append(self)

    monkeypatch.setattr(fonts, "FontConfiguration", Counted)
    monkeypatch.setattr(services, "_fonts", {"config": None, "documents": 0})
    monkeypatch.setattr(services, "FONT_CONFIG_DOCUMENTS", 2)
    pdfs = [services.html_to_pdf(f"<html lang='en'><title>t</title><p>Document {n}</p>") for n in range(3)]
    assert len(made) == 2  # the first two documents share one, the third renews it
    assert [pdf_text(pdf).strip() for pdf in pdfs] == ["Document 0", "Document 1", "Document 2"]
