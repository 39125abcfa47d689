-- Indicators (指标): the actual values lead units report against the
-- quantitative targets kept in `matters.targets`. Independent of 0004.
-- Kept in step with migrations/sqlite/0005_indicators.sql.

-- One reported value of target `target_index` (its position in the
-- matter's `targets` array) for a period ('YYYY-MM' or 'YYYYQn').
-- Never updated but for `superseded_by`: a correction is a new row with
-- the next `version`, and the row it replaces points to it, so the
-- history stays. The current value of a period is the row not superseded.
CREATE TABLE indicator_values (
    id             BIGSERIAL PRIMARY KEY,
    matter_id      BIGINT NOT NULL REFERENCES matters(id),
    target_index   BIGINT NOT NULL,
    period         TEXT NOT NULL,
    value          DOUBLE PRECISION NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    -- The reporter and their unit (none for the office).
    reported_by    BIGINT REFERENCES users(id),
    unit_id        BIGINT REFERENCES units(id),
    version        BIGINT NOT NULL DEFAULT 1,
    superseded_by  BIGINT REFERENCES indicator_values(id),
    created_at     BIGINT NOT NULL,
    UNIQUE (matter_id, target_index, period, version)
);
CREATE INDEX indicator_values_current ON indicator_values(matter_id, target_index)
    WHERE superseded_by IS NULL;
