-- Counts kept current as data changes, so the board's total and the
-- dashboard's matters by status are one small read instead of a pass over
-- every matter per request. Kept by trigger, so every writer (the store,
-- the generator, a restore) keeps them; the store's tests hold them to a
-- COUNT(*). Writers are serialised (the store's advisory lock), so the
-- few hot rows see no contention. Kept in step with
-- migrations/sqlite/0016_kept_counts.sql.
CREATE TABLE matter_counts (
    status TEXT PRIMARY KEY,
    n      BIGINT NOT NULL
);
INSERT INTO matter_counts (status, n) SELECT status, COUNT(*) FROM matters GROUP BY status;

CREATE FUNCTION matter_counts_keep() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE matter_counts SET n = n - 1 WHERE status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO matter_counts (status, n) VALUES (NEW.status, 1)
            ON CONFLICT (status) DO UPDATE SET n = matter_counts.n + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER matter_counts_insert AFTER INSERT OR DELETE ON matters
    FOR EACH ROW EXECUTE FUNCTION matter_counts_keep();
CREATE TRIGGER matter_counts_status AFTER UPDATE OF status ON matters
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION matter_counts_keep();
