"""A small guide of our own (tests/fixtures/guide.yaml), so the rules are tested apart from the shipped
content: three audiences, six phases with three topics each."""

from pathlib import Path

import pytest
import yaml

from waardewerk.knowledge import services
from waardewerk.knowledge.models import ConversationGuide, GuideVersion

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "guide.yaml"


def fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def fixture_data() -> dict:
    return yaml.safe_load(fixture_text())


def clear_guides() -> None:
    """Remove the guide loaded after migrate (the test's transaction puts it back afterwards)."""
    ConversationGuide.objects.update(current=None)
    GuideVersion.objects.all().delete()
    ConversationGuide.objects.all().delete()


@pytest.fixture
def guide_v1(db):
    """The fixture guide as the installation's only guide, version 1."""
    clear_guides()
    return services.guide_load(fixture_text(), filename="guide.yaml", loaded_by="test").version
