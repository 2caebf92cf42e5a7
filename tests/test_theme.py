"""The theme and its font are served from the site itself, with their licence (docs/theme.md)."""

import re
from pathlib import Path

from django.test import Client

STATIC = Path(__file__).resolve().parents[1] / "src" / "waardewerk" / "static"


def test_every_style_sheet_refers_only_to_files_of_the_site():
    for sheet in (STATIC / "waardewerk").glob("*.css"):
        for url in re.findall(r"url\(([^)]*)\)", sheet.read_text(encoding="utf-8")):
            url = url.strip("\"' ")
            if url.startswith("data:"):
                continue
            assert not re.match(r"^([a-z]+:)?//", url), f"{sheet.name} loads {url} from elsewhere"
            assert (sheet.parent / url).resolve().is_file(), f"{sheet.name}: {url} is missing"


def test_the_font_is_vendored_with_its_licence_and_pinned():
    fonts = STATIC / "vendor" / "fonts"
    assert "SIL OPEN FONT LICENSE" in (fonts / "LICENSE").read_text(encoding="utf-8").upper()
    assert len(list(fonts.glob("*.woff2"))) == 8
    versions = (STATIC / "vendor" / "VERSIONS.txt").read_text(encoding="utf-8")
    assert re.search(r"^fonts\s+@fontsource/source-sans-3\s+\S+\s+OFL-1.1$", versions, re.M)
    theme = (STATIC / "waardewerk" / "theme.css").read_text(encoding="utf-8")
    assert '"Source Sans 3"' in theme and "--basis-heading-font-family" in theme


def test_the_pages_load_the_waardewerk_theme(db):
    html = Client().get("/accounts/login/").content.decode()
    assert 'class="utrecht-root voorbeeld-theme waardewerk-theme"' in html
    assert html.index("vendor/utrecht/index") < html.index("waardewerk/theme") < html.index("waardewerk/app")
