-- A version of the registry (units and the working-day calendar) bumped by
-- trigger on every change, so each server keeps both in memory and reads
-- one row per request to know whether its copy is current (several servers
-- share one database; any of them may change a unit or a calendar year).
-- Kept in step with migrations/sqlite/0017_registry_version.sql.
CREATE TABLE registry_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  BIGINT NOT NULL
);
INSERT INTO registry_version (id, v) VALUES (1, 1);

CREATE FUNCTION bump_registry_version() RETURNS trigger AS $$
BEGIN
    UPDATE registry_version SET v = v + 1 WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER registry_units AFTER INSERT OR UPDATE OR DELETE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_version();
CREATE TRIGGER registry_calendar AFTER INSERT OR UPDATE OR DELETE ON calendar_years
    FOR EACH STATEMENT EXECUTE FUNCTION bump_registry_version();
