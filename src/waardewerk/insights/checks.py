"""The suppression threshold is checked when the application starts (the app refuses to start, see
``InsightsConfig.ready``) and by ``waardewerk check`` and ``waardewerk check --deploy``: a *k* below 5 is an
error (docs/practice-evidence.md, "Suppression")."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from waardewerk.insights.suppression import DEFAULT_MIN_CELL_SIZE, check_min_cell_size


def check_min_cell_size_setting(app_configs=None, **kwargs):
    problem = check_min_cell_size(getattr(settings, "INSIGHTS_MIN_CELL_SIZE", DEFAULT_MIN_CELL_SIZE))
    if problem:
        return [
            Error(
                problem,
                hint="Set WAARDEWERK_INSIGHTS_MIN_CELL_SIZE to 5 or more, or leave it unset (10).",
                id="waardewerk.E040",
            )
        ]
    return []


def register_checks() -> None:
    register(check_min_cell_size_setting, Tags.security)
    register(check_min_cell_size_setting, Tags.security, deploy=True)
