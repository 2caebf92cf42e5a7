"""The warm-up a worker does at start: the URLconf with every view imported and all project templates
compiled, so that its first request does not pay for them; no database needed."""

import sys
from pathlib import Path

from django.conf import settings
from django.template import engines

from waardewerk.core import warmup


def test_warm_up_imports_the_views_and_compiles_every_project_template():
    warmup.warm_up()
    assert "waardewerk.instruments.views" in sys.modules and "waardewerk.portal.views" in sys.modules
    (loader,) = engines["django"].engine.template_loaders  # the cached loader
    assert {"base.html", "instruments/effect.html", "trajectories/caseload.html"} <= set(
        loader.get_template_cache
    )
    project = len(list(Path(settings.PACKAGE_DIR).rglob("templates/**/*.html")))
    assert warmup._compile_templates() == project
