-- Problems raised by enterprises and the public (诉求), and the columns the
-- board filters on. Kept in step with migrations/sqlite/0002_appeals.sql.

-- One problem raised (诉求). The office accepts it (it becomes a matter with
-- `raised_by` set to the raiser) or rejects it with a reason. Never deleted.
CREATE TABLE appeals (
    id          BIGSERIAL PRIMARY KEY,
    raised_by   BIGINT NOT NULL REFERENCES users(id),
    title       TEXT NOT NULL,
    content     TEXT NOT NULL,
    location    TEXT NOT NULL,
    contact     TEXT NOT NULL,
    -- pending / accepted / rejected
    status      TEXT NOT NULL,
    reason      TEXT,
    matter_id   BIGINT REFERENCES matters(id),
    decided_by  BIGINT REFERENCES users(id),
    decided_at  BIGINT,
    created_at  BIGINT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX appeals_raised_by ON appeals(raised_by);
CREATE INDEX appeals_status ON appeals(status);

-- The matter type's kind (ordinary / major / continuing / custom), copied
-- out of `matter_type` for the board's filter.
ALTER TABLE matters ADD COLUMN type_kind TEXT NOT NULL DEFAULT 'custom';
UPDATE matters SET type_kind = matter_type::jsonb ->> 'kind';
-- `source_kind` is the source's tag (document, meeting, instruction, list,
-- appeal); rows written before this migration may hold another key.
UPDATE matters SET source_kind = source::jsonb ->> 'type';
CREATE INDEX matters_source_kind ON matters(source_kind);
CREATE INDEX matters_deadline ON matters(deadline);

-- The first day the track's light turns yellow for `next_due`, so the board
-- can filter lights in SQL; and why the limits could not be computed (a
-- calendar year missing), when they could not.
ALTER TABLE tracks ADD COLUMN yellow_from TEXT;
ALTER TABLE tracks ADD COLUMN due_error TEXT;
