-- Limits a change of the holiday calendar moved: written in the change's
-- transaction (beside its entries in the event log), for the sweep to tell
-- each unit through the usual channels. Kept in step with the other
-- backend's 0006_limit_moves.sql.
CREATE TABLE limit_moves (
    id           BIGSERIAL PRIMARY KEY,
    track_id     BIGINT NOT NULL REFERENCES tracks(id),
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    -- The event-log entry of the move.
    event_seq    BIGINT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    -- When the sweep queued the messages; NULL until someone could be told.
    notified_at  BIGINT
);
CREATE INDEX limit_moves_unnotified ON limit_moves(id) WHERE notified_at IS NULL;
