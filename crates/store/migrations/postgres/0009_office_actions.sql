-- The office's actions on a matter (issue 12). Kept in step with the other
-- backend's 0009_office_actions.sql.

-- The assignment notice's number (督字〔2026〕12号), numbered per year in
-- the order matters were assigned; matters assigned before this migration
-- are numbered the same way.
ALTER TABLE matters ADD COLUMN notice_year BIGINT;
ALTER TABLE matters ADD COLUMN notice_no BIGINT;
UPDATE matters SET notice_year = s.y, notice_no = s.n FROM (
    SELECT id, CAST(SUBSTR(created_local, 2, 4) AS BIGINT) AS y,
           ROW_NUMBER() OVER (PARTITION BY SUBSTR(created_local, 2, 4) ORDER BY id) AS n
    FROM matters
) AS s WHERE matters.id = s.id;
CREATE UNIQUE INDEX matters_notice ON matters(notice_year, notice_no);

-- Urgings (催办): one row per unit urged, with its notice number per year
-- (催字〔2026〕3号), the text and the limit it was about.
CREATE TABLE urgings (
    id            BIGSERIAL PRIMARY KEY,
    matter_id     BIGINT NOT NULL REFERENCES matters(id),
    track_id      BIGINT NOT NULL REFERENCES tracks(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    year          BIGINT NOT NULL,
    number        BIGINT NOT NULL,
    body          TEXT NOT NULL,
    -- The next limit when urged, as the domain's JSON (date, step, days).
    due           TEXT,
    author_id     BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    -- Local (China) time of the urging, as the domain's JSON.
    created_local TEXT NOT NULL
);
CREATE UNIQUE INDEX urgings_number ON urgings(year, number);
CREATE INDEX urgings_matter ON urgings(matter_id);

-- limit_moves carries every notice to a unit written in a business
-- transaction for the sweep to send: moved limits and now urgings.
ALTER TABLE limit_moves ADD COLUMN kind TEXT NOT NULL DEFAULT 'moved';

-- Inside a unit: the 承办人 (a handler of the unit) the liaison or the
-- first responsible person passed the track to.
ALTER TABLE tracks ADD COLUMN handler_id BIGINT REFERENCES users(id);
CREATE INDEX tracks_handler ON tracks(handler_id);

-- Principal leaders (区长, 常务副区长, and whoever the admin marks) see the
-- whole district, not only the units they oversee.
ALTER TABLE users ADD COLUMN principal BIGINT NOT NULL DEFAULT 0;
