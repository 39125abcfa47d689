-- Counts kept current as data changes, so the board's total and the
-- dashboard's matters by status are one small read instead of a pass over
-- every matter per request. Kept by trigger, so every writer (the store,
-- the generator, a restore) keeps them; the store's tests hold them to a
-- COUNT(*). Kept in step with migrations/postgres/0016_kept_counts.sql.
CREATE TABLE matter_counts (
    status TEXT PRIMARY KEY,
    n      INTEGER NOT NULL
);
INSERT INTO matter_counts (status, n) SELECT status, COUNT(*) FROM matters GROUP BY status;

CREATE TRIGGER matter_counts_insert AFTER INSERT ON matters
BEGIN
    INSERT INTO matter_counts (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER matter_counts_delete AFTER DELETE ON matters
BEGIN
    UPDATE matter_counts SET n = n - 1 WHERE status = OLD.status;
END;

CREATE TRIGGER matter_counts_status AFTER UPDATE OF status ON matters
WHEN OLD.status <> NEW.status
BEGIN
    UPDATE matter_counts SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO matter_counts (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
