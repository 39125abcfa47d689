-- A version of the registry (units and the working-day calendar) bumped by
-- trigger on every change, so each server keeps both in memory and reads
-- one row per request to know whether its copy is current (several servers
-- share one database; any of them may change a unit or a calendar year).
-- Kept in step with migrations/postgres/0017_registry_version.sql.
CREATE TABLE registry_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    v  INTEGER NOT NULL
);
INSERT INTO registry_version (id, v) VALUES (1, 1);

CREATE TRIGGER registry_units_insert AFTER INSERT ON units
BEGIN
    UPDATE registry_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER registry_units_update AFTER UPDATE ON units
BEGIN
    UPDATE registry_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER registry_units_delete AFTER DELETE ON units
BEGIN
    UPDATE registry_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER registry_calendar_insert AFTER INSERT ON calendar_years
BEGIN
    UPDATE registry_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER registry_calendar_update AFTER UPDATE ON calendar_years
BEGIN
    UPDATE registry_version SET v = v + 1 WHERE id = 1;
END;
CREATE TRIGGER registry_calendar_delete AFTER DELETE ON calendar_years
BEGIN
    UPDATE registry_version SET v = v + 1 WHERE id = 1;
END;
