-- What the statistics compare, copied out of each track's JSON and its
-- 13710 limits, and what finished tracks add up to per unit and month, so
-- the figures are sums over a small table plus an aggregate over the open
-- tracks' index, never a pass over every track's JSON. Dates are local
-- (China) days, 'YYYY-MM-DD'. Kept in step with
-- migrations/postgres/0003_track_timeliness.sql.
--
-- Rows written before this migration have `assigned_on` NULL and are not
-- yet in `track_stats`; the store fills both from the JSON
-- (`Store::backfill_track_facts`) before it first answers statistics, and
-- every write of a track keeps them current.

-- The day of assignment (交办).
ALTER TABLE tracks ADD COLUMN assigned_on TEXT;
-- The 签收部署 limit; NULL when the calendar lacks the year it falls in.
ALTER TABLE tracks ADD COLUMN deploy_due TEXT;
-- The day the unit signed for the matter.
ALTER TABLE tracks ADD COLUMN signed_on TEXT;
-- The 首次反馈 limit; NULL when the calendar lacks the year.
ALTER TABLE tracks ADD COLUMN first_report_due TEXT;
-- The day of the first account (a progress report or a close application).
ALTER TABLE tracks ADD COLUMN first_report_on TEXT;
-- The 申请办结 limit (a granted extension, the track's deadline or the
-- type's term); NULL when there is none or the calendar lacks the year.
ALTER TABLE tracks ADD COLUMN resolve_due TEXT;
-- The day of the close application that stands: set while it is under
-- review and once the track is closed; NULL after a return.
ALTER TABLE tracks ADD COLUMN applied_on TEXT;
-- The day the office closed the track (销号).
ALTER TABLE tracks ADD COLUMN closed_on TEXT;
-- How many times the office returned a close application (退回).
ALTER TABLE tracks ADD COLUMN returns INTEGER NOT NULL DEFAULT 0;

-- Every column the figures of open tracks read, unit first, over the open
-- tracks only: the part of the statistics that depends on the day reads
-- the work in hand, not years of finished work.
CREATE INDEX tracks_open_stats ON tracks(unit_id, state, next_due, yellow_from, due_error,
    deploy_due, signed_on, first_report_due, first_report_on, resolve_due, applied_on, returns)
    WHERE state NOT IN ('closed', 'withdrawn');
-- The matters of some units (a leader's), for counting them.
CREATE INDEX tracks_unit_matter ON tracks(unit_id, matter_id);
-- The rows still to fill, so looking for them costs nothing.
CREATE INDEX tracks_unfilled ON tracks(id) WHERE assigned_on IS NULL;

-- Per unit and month: the tracks assigned (by the month of assignment),
-- and what closed and withdrawn tracks add to the statistics (by the month
-- they finished). A closed or withdrawn track never changes again, so the
-- store adds its part once, in the transaction that finishes it; the
-- figures are the same as counting the tracks (the store's tests hold the
-- two to each other). `month` is 'YYYY-MM'; the counts follow the
-- definitions in crates/store/src/stats.rs.
CREATE TABLE track_stats (
    unit_id         INTEGER NOT NULL REFERENCES units(id),
    month           TEXT NOT NULL,
    assigned        INTEGER NOT NULL DEFAULT 0,
    closed          INTEGER NOT NULL DEFAULT 0,
    closed_on_time  INTEGER NOT NULL DEFAULT 0,
    withdrawn       INTEGER NOT NULL DEFAULT 0,
    returns         INTEGER NOT NULL DEFAULT 0,
    sign_ok         INTEGER NOT NULL DEFAULT 0,
    sign_due        INTEGER NOT NULL DEFAULT 0,
    report_ok       INTEGER NOT NULL DEFAULT 0,
    report_due      INTEGER NOT NULL DEFAULT 0,
    close_ok        INTEGER NOT NULL DEFAULT 0,
    close_due       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, month)
);
