"""The database settings read from the environment: prepared statements on PostgreSQL (docs/operations.md,
"Database")."""

import json
import os
import subprocess
import sys

import pytest

READ = (
    "import json; from waardewerk.conf import settings as s; "
    "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
)


def _options(**env) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("WAARDEWERK_") and k != "DATABASE_URL"}
    environ.update(WAARDEWERK_DEBUG="1", **env)
    out = subprocess.run(  # noqa: S603 - this interpreter with a fixed script
        [sys.executable, "-c", READ], env=environ, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


POSTGRES = "postgres://someone@127.0.0.1:5432/somewhere"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"server_side_binding": True, "prepare_threshold": 5}),
        ({"WAARDEWERK_DB_PREPARED_STATEMENTS": "1"}, {"server_side_binding": True, "prepare_threshold": 5}),
        ({"WAARDEWERK_DB_PREPARE_THRESHOLD": "2"}, {"server_side_binding": True, "prepare_threshold": 2}),
        ({"WAARDEWERK_DB_PREPARED_STATEMENTS": "0"}, {}),
    ],
)
def test_prepared_statements_on_postgresql_unless_switched_off(env, expected):
    options = _options(DATABASE_URL=POSTGRES, **env)
    assert {k: options[k] for k in ("server_side_binding", "prepare_threshold") if k in options} == expected


def test_no_prepared_statements_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    options = _options(DATABASE_URL=url, WAARDEWERK_DB_PREPARED_STATEMENTS="1")
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options
