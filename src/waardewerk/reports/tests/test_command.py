"""``waardewerk report TRAJECTORY_UUID OUT.pdf``: writes the PDF, logs the print, clear errors."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waardewerk.audit.models import AccessEvent
from waardewerk.reports.tests.conftest import MARKERS

pytestmark = pytest.mark.django_db


def test_the_command_writes_the_report_and_logs_the_print(recorded, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "report.pdf"
    stdout = io.StringIO()
    call_command(
        "report", str(recorded.uuid), str(out), "--audience", "employer", "--language", "en", stdout=stdout
    )
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Version for: the employer" in text and MARKERS["conversation"] not in text
    assert "employer version" in stdout.getvalue()
    assert recorded.client.last_name not in stdout.getvalue()  # no client names in terminal logs
    event = AccessEvent.objects.get(action="print")
    assert event.actor_id is None and event.on_behalf_of == "command line"
    assert event.client_uuid == recorded.client.uuid
    assert event.detail == {"audience": "employer", "report": "trajectory"}


def test_the_command_replaces_an_existing_file(recorded, tmp_path):
    out = tmp_path / "report.pdf"
    out.write_bytes(b"old contents that are longer than nothing" * 1000)
    call_command("report", str(recorded.uuid), str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF") and b"old contents" not in out.read_bytes()


def test_an_unknown_trajectory_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="No trajectory with id"):
        call_command("report", str(uuid.uuid4()), str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="is not a trajectory id"):
        call_command("report", "not-a-uuid", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
    assert not AccessEvent.objects.filter(action="print").exists()


def test_an_unwritable_path_is_a_clear_error(recorded, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("report", str(recorded.uuid), str(tmp_path / "missing" / "x.pdf"))
    with pytest.raises(CommandError, match="is a directory"):
        call_command("report", str(recorded.uuid), str(tmp_path))
    assert not AccessEvent.objects.filter(action="print").exists()


def test_a_failed_report_leaves_no_empty_file(recorded, tmp_path, monkeypatch):
    from waardewerk.reports import services

    def broken(*args, **kwargs):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(services, "build_report", broken)
    out = tmp_path / "x.pdf"
    with pytest.raises(RuntimeError):
        call_command("report", str(recorded.uuid), str(out))
    assert not out.exists()
