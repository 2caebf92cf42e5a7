"""The benchmark suite's parts on a tiny database: the page table, the load driver, the result writer.

No timings are asserted: only that every page answers as the table expects and that the figures, ratios
and verdicts are computed and written.
"""

import http.server
import json
import os
import threading
from http.cookies import SimpleCookie
from urllib.parse import unquote, urlencode

import pytest
from django.test import Client

from bench import load, prepare, report
from bench.pages import PAGE_KEYS, PAGES
from waardewerk.instruments.models import Measurement
from waardewerk.sampledata.generate import Generator
from waardewerk.trajectories.models import Trajectory


@pytest.mark.django_db
def test_every_available_page_answers_as_the_table_expects():
    Generator(clients=150, seed=1).run()
    prepared = prepare.prepare()
    assert prepared["clients"] == 150
    assert prepared["professional"]["open_caseload"] > 0
    requests = prepared["requests"]
    assert list(requests) == PAGE_KEYS
    measured = [key for key, request in requests.items() if request["available"]]
    assert {
        "minimal",
        "caseload",
        "start_page",
        "start_page_lead",
        "agenda_week",
        "caseload_search",
        "client_search",
        "dossier",
        "timeline",
        "effect",
        "effect_fresh",
        "measurement_submit",
        "portal_home",
        "portal_progress",
        "portal_access_log",
        "evidence_entry",
        "evidence_overview",
        "quality_team",
        "quality_mine",
        "transfer",
        "intervision_group",
        "intervision_record",
        "development_log",
        "fit_list",
        "employer",
        "employer_link",
        "availability",
        "portal_availability",
        "portal_evaluation",
        "principles",
        "api_clients",
        "api_trajectories",
        "privacy_destruction_list",
    } <= set(measured)
    assert prepared["availability_made"]  # the generator makes none: the measured pages show data
    assert prepared["quality_seconds"] is not None  # the team quality figures, computed beforehand
    assert prepared["evidence_seconds"] is not None  # the figures computed before the measured requests
    assert [key for key, request in requests.items() if request["fresh"]] == ["effect_fresh"]
    assert prepared["charts_drawn"] > 0  # the measured trajectory's charts, as its submits would have
    submitted = Measurement.objects.filter(trajectory__uuid=prepared["targets"]["submit_trajectory"])
    # not the measured client's: repeated runs leave the measured dossier as it was
    submit_to = Trajectory.objects.get(uuid=prepared["targets"]["submit_trajectory"])
    assert str(submit_to.client.uuid) != prepared["targets"]["client"]
    before = submitted.count()
    for key in measured:
        request = requests[key]
        browser = Client(enforce_csrf_checks=True)
        headers = dict(request["headers"])
        cookie = headers.pop("Cookie", None)
        if cookie:
            for name, morsel in SimpleCookie(cookie).items():
                browser.cookies[name] = morsel.value
        body = urlencode(request["body"]) if request["body"] is not None else ""
        response = browser.generic(
            request["method"],
            request["path"],
            data=body,
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
        assert response.status_code == request["expect"], key
        if key == "caseload_search":
            assert unquote(prepared["targets"]["search"]) in response.content.decode().lower()
        if key.startswith("portal_"):  # the client's own pages, not the log-in page
            assert response.wsgi_request.portal_client is not None, key
    assert submitted.count() == before + 1  # the measurement submit really stored one


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        status = 200 if self.path == "/ok" else 500
        body = b"hello"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_load_driver_is_bounded_and_counts_errors(local_server):
    spec = {
        "base": local_server,
        "warmup": 2,
        "requests": 7,
        "seconds": 10,
        "pages": {
            "good": {"method": "GET", "path": "/ok", "headers": {}, "body": None, "expect": 200},
            "bad": {"method": "GET", "path": "/broken", "headers": {}, "body": None, "expect": 200},
        },
    }
    result = load.run(spec | {"server_pid": os.getpid()})  # the test server runs in this process
    assert len(result["good"]["latencies_ms"]) == 7 and result["good"]["errors"] == 0
    assert result["good"]["server_cpu_ms"] >= 0
    assert result["bad"]["latencies_ms"] == [] and result["bad"]["errors"] == 7
    assert result["bad"]["statuses"] == {"500": 7}


def test_load_driver_only_targets_this_machine():
    with pytest.raises(ValueError, match="only talks to this machine"):
        load.Driver("http://example.org")


def _raw(ms: float, n: int = 20) -> dict:
    return {
        "latencies_ms": [ms] * n,
        "errors": 0,
        "statuses": {"200": n},
        "elapsed_s": n * ms / 1000,
        "bytes": 1,
    }


def test_result_writer_computes_ratios_verdicts_and_writes_json_and_markdown(tmp_path):
    measured = {
        1000: {
            "minimal": report.summarise(_raw(2)),
            "caseload": report.summarise(_raw(20)),
            "dossier": report.summarise(_raw(30)),
        },
        100000: {
            "minimal": report.summarise(_raw(2)),
            "caseload": report.summarise(_raw(22)),
            "dossier": report.summarise(_raw(120)),
        },
    }
    unavailable = {key: "not built yet" for key in PAGE_KEYS if key not in ("minimal", "caseload", "dossier")}
    notes = {"dossier": {"p95": "Because of the test.", "growth": "Grows in the test."}}
    doc = report.build(
        meta={"mode": "test"}, scales=[1000, 100000], measured=measured, unavailable=unavailable, notes=notes
    )
    pages = {page["key"]: page for page in doc["pages"]}
    assert pages["caseload"]["growth_ratio"] == 1.1
    assert pages["caseload"]["overhead_ratio"] == {"1000": 10.0, "100000": 11.0}
    assert pages["effect"]["status"] == "not available"
    verdicts = {(v["page"], v["target"].split()[0]): v for v in doc["targets"]}
    assert verdicts[("caseload", "p95")]["verdict"] == "met"  # 22 ms <= 30
    assert verdicts[("caseload", "p50")]["verdict"] == "MISSED"  # 22 ms > 15
    assert verdicts[("caseload", "overhead")]["value"] == 11.0  # 22 / 2 > 8
    assert verdicts[("caseload", "overhead")]["verdict"] == "MISSED"
    assert verdicts[("dossier", "p95")]["verdict"] == "MISSED"
    assert verdicts[("dossier", "p95")]["note"] == "Because of the test."
    assert verdicts[("effect_fresh", "p95")]["verdict"] == "not available"
    assert verdicts[("dossier", "growth")]["value"] == 4.0
    assert verdicts[("measurement_submit", "p95")]["verdict"] == "not available"
    assert not any(v["page"] == "report_pdf" and v["target"].startswith("growth") for v in doc["targets"])
    json_path, md_path = report.write(doc, tmp_path, "latest")
    assert json.loads(json_path.read_text())["pages"][1]["key"] == "caseload"
    text = md_path.read_text()
    assert "| Caseload | 100,000 |" in text and "not available: not built yet" in text
    assert "target(s) MISSED" in text
    assert len(PAGES) == len(doc["pages"])


def test_percentiles():
    values = list(range(1, 101))
    assert report.percentile(values, 50) == 50.5
    assert report.percentile(values, 95) == pytest.approx(95.05)
    assert report.percentile([], 50) is None


def test_soak_memory_report_shows_whether_a_worker_levels_off():
    from bench.soak import memory_report

    # Samples every 15 s for 10 minutes: a worker that grows during its first 5 minutes, then stays level.
    levelled = [(n * 15.0, 200_000 + 1_000 * min(n, 20)) for n in range(40)]
    report = memory_report(levelled)
    assert report["rss_kb_start"] == 204_000  # the first sample after the warm-up minute
    assert report["rss_kb_end"] == 220_000 and report["growth"] == round(220 / 204 - 1, 3)
    assert report["growth_second_half"] == 0.0
    assert report["rss_kb_per_minute"] == {m: 200_000 + 1_000 * min(4 * m + 3, 20) for m in range(10)}
    # One that keeps growing shows about half of its growth in the second half.
    growing = memory_report([(n * 15.0, 200_000 + 1_000 * n) for n in range(40)])
    assert growing["growth_second_half"] > 0.4 * growing["growth"]


def test_bench_run_measures_only_known_pages():
    from bench import run

    with pytest.raises(SystemExit, match="no such page: nope"):
        run.main(["--pages", "minimal,nope"])


def test_bench_env_keeps_the_prepared_statement_setting_only(monkeypatch, tmp_path):
    """The runner's environment leaves the caller's settings out, except prepared statements on or off."""
    from bench import run

    monkeypatch.setenv("WAARDEWERK_DB_PREPARED_STATEMENTS", "0")
    monkeypatch.setenv("WAARDEWERK_DEBUG", "1")
    secret = tmp_path / "secret"
    secret.write_text("not a real key")
    monkeypatch.setattr(run, "_secret_file", lambda name, make: secret)
    env = run.base_env("postgres://someone@127.0.0.1:5432/somewhere")
    assert env["WAARDEWERK_DB_PREPARED_STATEMENTS"] == "0"
    assert "WAARDEWERK_DEBUG" not in env
