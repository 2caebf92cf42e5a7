"""Work a process does once, at start, instead of during its first request.

A worker that has just started would otherwise spend its first request (well over a second) importing
every view module and the libraries behind them (the URLconf), compiling the templates the page uses and
reading the translation catalogues. ``warm_up`` does that before the worker accepts requests
(``waardewerk.wsgi`` calls it unless DEBUG). Nothing here touches the database or draws a chart.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def warm_up() -> None:
    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and with it every view
    get_resolver().reverse_dict  # noqa: B018 - builds the lookup tables of reverse()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Waardewerk")  # reads the language's catalogues
    templates = _compile_templates()
    logger.info("warmed up in %.2f s (%d templates)", time.perf_counter() - started, templates)


def _compile_templates() -> int:
    """Compile every template of the project and its apps into the engine's cache."""
    count = 0
    for engine in engines.all():
        package = Path(settings.PACKAGE_DIR)
        for directory in engine.template_dirs:
            directory = Path(directory)
            if package not in directory.parents and directory != package / "templates":
                continue  # only the project's own templates; Django's and libraries' stay lazy
            for path in sorted(directory.rglob("*.html")):
                try:
                    engine.get_template(path.relative_to(directory).as_posix())
                except TemplateSyntaxError:
                    logger.exception("template %s does not compile", path)
                    raise
                count += 1
    return count
