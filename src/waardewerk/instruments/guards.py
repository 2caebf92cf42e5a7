"""A database trigger that keeps submitted measurements unchanged (installed by migration 0002).

Once a measurement is submitted, its answers, score, date, respondent, version and links never change:
a correction is a new measurement. The encrypted columns (``notes``, ``correction_reason``) may be
rewritten, because re-encryption under a new key (``waardewerk rotate_keys``) changes their stored bytes
but not their content. Deleting is allowed: a client's data can be erased as a whole.
"""

PROTECTED = (
    "uuid",
    "trajectory_id",
    "instrument_id",
    "instrument_version_id",
    "respondent",
    "framing",
    "phase",
    "taken_on",
    "status",
    "answers",
    "score",
    "entered_by_id",
    "entered_by_client",
    "submitted_at",
    "corrects_id",
)


def _changed(null_safe: str) -> str:
    return " OR ".join(f"NEW.{c} {null_safe} OLD.{c}" for c in PROTECTED)


PG_INSTALL = f"""
CREATE OR REPLACE FUNCTION instruments_measurement_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'submitted' AND ({_changed("IS DISTINCT FROM")}) THEN
        RAISE EXCEPTION 'a submitted measurement is never changed: record a correction instead';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS instruments_measurement_immutable ON instruments_measurement;
CREATE TRIGGER instruments_measurement_immutable BEFORE UPDATE ON instruments_measurement
    FOR EACH ROW EXECUTE FUNCTION instruments_measurement_immutable();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS instruments_measurement_immutable ON instruments_measurement;
DROP FUNCTION IF EXISTS instruments_measurement_immutable();
"""
SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS instruments_measurement_immutable;",
    f"""CREATE TRIGGER instruments_measurement_immutable BEFORE UPDATE ON instruments_measurement
       WHEN OLD.status = 'submitted' AND ({_changed("IS NOT")})
       BEGIN SELECT RAISE(ABORT, 'a submitted measurement is never changed: record a correction instead');
       END;""",
]
SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS instruments_measurement_immutable;"]


def install(connection) -> None:
    statements = [PG_INSTALL] if connection.vendor == "postgresql" else SQLITE_INSTALL
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove(connection) -> None:
    statements = [PG_REMOVE] if connection.vendor == "postgresql" else SQLITE_REMOVE
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
