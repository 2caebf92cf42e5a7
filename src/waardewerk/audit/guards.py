"""The database triggers that make the access log and its checkpoints append-only (installed by the
migrations 0002 and 0004).

``suspend``/``restore`` exist for one purpose: the test suite's transactional tests empty every table
between tests. Nothing in the application calls them.
"""

TABLES = ("audit_accessevent", "audit_auditcheckpoint")

PG_INSTALL = """
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {table}_no_update ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS {table}_no_update ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS {table}_no_update;",
    "DROP TRIGGER IF EXISTS {table}_no_delete;",
    """CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
       BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END;""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS {table}_no_update;",
    "DROP TRIGGER IF EXISTS {table}_no_delete;",
]


def _statements(vendor: str, install: bool, table: str) -> list[str]:
    if table not in TABLES:
        raise ValueError(f"{table!r} is not an audit table")
    if vendor == "postgresql":
        return [(PG_INSTALL if install else PG_REMOVE).format(table=table)]
    if vendor == "sqlite":
        return [statement.format(table=table) for statement in (SQLITE_INSTALL if install else SQLITE_REMOVE)]
    raise RuntimeError(
        f"Waardewerk supports SQLite and PostgreSQL, not {vendor!r}: the access log has no guard there."
    )


def install(connection, tables=TABLES) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            for statement in _statements(connection.vendor, True, table):
                cursor.execute(statement)


def remove(connection, tables=TABLES) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            for statement in _statements(connection.vendor, False, table):
                cursor.execute(statement)
