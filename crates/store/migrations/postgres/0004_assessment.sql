-- The year-end assessment (年终考核) and bulletins (通报): inspection and
-- summons records, the rules per year, the tracks' review grade and
-- extensions beside their JSON, and an index that lets a period's figures
-- read the tracks assigned in it without touching their JSON.
-- Kept in step with migrations/sqlite/0004_assessment.sql.

-- 督查记录: an on-site, telephone or unannounced inspection of a unit
-- (kind: onsite / phone / unannounced), what it found and what it deducts
-- in the assessment. `major` marks a finding whose deduction is not capped
-- at the indicator's weight. Never updated, never deleted.
CREATE TABLE inspections (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    matter_id   BIGINT REFERENCES matters(id),
    kind        TEXT NOT NULL,
    date        TEXT NOT NULL,
    finding     TEXT NOT NULL,
    points      DOUBLE PRECISION NOT NULL DEFAULT 0,
    major       BIGINT NOT NULL DEFAULT 0,
    created_by  BIGINT REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX inspections_date ON inspections(date, unit_id);

-- 约谈: a unit called in, and why. Never updated, never deleted.
CREATE TABLE summons (
    id          BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    date        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_by  BIGINT REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX summons_date ON summons(date, unit_id);

-- The assessment rules of a year, as the domain's JSON
-- (duban_domain::assess::Rules). A year without a row uses the defaults.
CREATE TABLE assessment_rules (
    year        BIGINT PRIMARY KEY,
    rules       TEXT NOT NULL,
    updated_by  BIGINT REFERENCES users(id),
    updated_at  BIGINT NOT NULL
);

-- The office's review grade (excellent / good / pass / fail, NULL until
-- closed) and how many extensions were granted, copied out of the track's
-- JSON by the database on every write of it (the trigger below), so a
-- period's figures never read the JSON. Kept by the database rather than
-- by each writer so no write path can forget them.
ALTER TABLE tracks ADD COLUMN grade TEXT;
ALTER TABLE tracks ADD COLUMN extensions BIGINT NOT NULL DEFAULT 0;
UPDATE tracks SET
    grade = data::jsonb #>> '{state,closed,grade}',
    extensions = COALESCE((data::jsonb ->> 'extensions_granted')::bigint, 0);
CREATE FUNCTION tracks_assess_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.grade := NEW.data::jsonb #>> '{state,closed,grade}';
    NEW.extensions := COALESCE((NEW.data::jsonb ->> 'extensions_granted')::bigint, 0);
    RETURN NEW;
END
$$;
CREATE TRIGGER tracks_assess_copy BEFORE INSERT OR UPDATE OF data ON tracks
    FOR EACH ROW EXECUTE PROCEDURE tracks_assess_copy();

-- The tracks assigned in a period, with every column a period's figures
-- compare, so the figures are one range scan of this index.
CREATE INDEX tracks_assigned ON tracks(assigned_on, unit_id, id, matter_id, state, deploy_due, signed_on,
    first_report_due, first_report_on, resolve_due, applied_on, closed_on, returns, grade, extensions);
