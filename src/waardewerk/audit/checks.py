"""Deploy check of the access log's checkpoint key (``waardewerk check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from waardewerk.audit import keys
from waardewerk.conf import published
from waardewerk.core.checks import key_file_problems


@register(Tags.security, deploy=True)
def check_audit_key(app_configs=None, **kwargs):
    if not keys.configured_source():
        return [
            Error(
                "No key for the access log's checkpoints is configured"
                + (f": the development key file in {settings.DATA_DIR} is used." if settings.DEBUG else "."),
                hint="Set WAARDEWERK_AUDIT_KEY_FILE (or WAARDEWERK_AUDIT_KEY); docs/security.md, "
                "'Audit trail'.",
                id="waardewerk.E004",
            )
        ]
    problems = key_file_problems(
        variable="WAARDEWERK_AUDIT_KEY_FILE",
        path=settings.WAARDEWERK_AUDIT_KEY_FILE,
        error_id="waardewerk.E004",
        warning_id="waardewerk.W005",
        load=keys.load_keys,
    )
    if not any(isinstance(p, Error) for p in problems) and any(
        key.secret.decode() in published.AUDIT_KEYS for key in keys.load_keys()
    ):
        problems.append(
            Error(
                "The access log's checkpoint key is the test key published in the source code: anyone "
                "can sign a checkpoint with it.",
                hint="Set a new random key; keep the old one listed after it while older checkpoints must be "
                "checked.",
                id="waardewerk.E004",
            )
        )
    return problems
