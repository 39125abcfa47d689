-- Duban schema, PostgreSQL. Times are microseconds since the Unix epoch (UTC),
-- dates are 'YYYY-MM-DD' text, JSON is text. Kept in step with
-- migrations/sqlite/0001_init.sql; the same test suite runs on both.

CREATE TABLE units (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    aliases     TEXT NOT NULL DEFAULT '[]',
    parent_id   BIGINT REFERENCES units(id),
    level       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    unit_id        BIGINT REFERENCES units(id),
    email          TEXT,
    password_hash  TEXT NOT NULL,
    active         BIGINT NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL
);

-- Which units a leader oversees (分管).
CREATE TABLE leader_units (
    leader_id  BIGINT NOT NULL REFERENCES users(id),
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (leader_id, unit_id)
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    csrf        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

-- One row per year of the working-day calendar, as the domain's JSON.
CREATE TABLE calendar_years (
    year        BIGINT PRIMARY KEY,
    data        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Matter types and their limits, as the domain's JSON.
CREATE TABLE matter_types (
    name  TEXT PRIMARY KEY,
    spec  TEXT NOT NULL
);

-- An uploaded file (a gazette or one document) as decoded text, so every
-- proposal can show the lines it came from.
CREATE TABLE sources (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    text        TEXT NOT NULL,
    warnings    TEXT NOT NULL DEFAULT '[]',
    created_by  BIGINT,
    created_at  BIGINT NOT NULL
);

-- One official document found in a source.
CREATE TABLE documents (
    id           BIGSERIAL PRIMARY KEY,
    source_id    BIGINT NOT NULL REFERENCES sources(id),
    number       TEXT,
    title        TEXT,
    issuer       TEXT NOT NULL DEFAULT '[]',
    date         TEXT,
    kind         TEXT,
    spans        TEXT NOT NULL DEFAULT '[]',
    created_at   BIGINT NOT NULL
);
CREATE INDEX documents_source ON documents(source_id);

-- Tasks the reader proposed, for the office to confirm, edit, merge or reject.
CREATE TABLE proposals (
    id           BIGSERIAL PRIMARY KEY,
    document_id  BIGINT NOT NULL REFERENCES documents(id),
    task         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending',
    matter_id    BIGINT,
    version      BIGINT NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL
);
CREATE INDEX proposals_document ON proposals(document_id);

CREATE TABLE matters (
    id           BIGSERIAL PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    source       TEXT NOT NULL,
    source_kind  TEXT NOT NULL,
    matter_type  TEXT NOT NULL,
    deadline     TEXT,
    targets      TEXT NOT NULL DEFAULT '[]',
    status       TEXT NOT NULL,
    created_by   BIGINT,
    raised_by    BIGINT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1,
    -- The local (China) time of creation, as the domain's JSON.
    created_local TEXT NOT NULL
);
CREATE INDEX matters_status ON matters(status);
CREATE INDEX matters_raised_by ON matters(raised_by);

-- One unit's part in a matter. `data` is the domain Track; the other
-- columns are copies for queries (the board, the sweep).
CREATE TABLE tracks (
    id         BIGSERIAL PRIMARY KEY,
    matter_id  BIGINT NOT NULL REFERENCES matters(id),
    unit_id    BIGINT NOT NULL REFERENCES units(id),
    role       TEXT NOT NULL,
    state      TEXT NOT NULL,
    next_due   TEXT,
    data       TEXT NOT NULL,
    version    BIGINT NOT NULL DEFAULT 1,
    updated_at BIGINT NOT NULL,
    UNIQUE (matter_id, unit_id)
);
CREATE INDEX tracks_unit ON tracks(unit_id, state);
CREATE INDEX tracks_due ON tracks(next_due) WHERE next_due IS NOT NULL;

-- What units wrote: progress reports, close applications, extension plans.
CREATE TABLE reports (
    id          BIGSERIAL PRIMARY KEY,
    track_id    BIGINT NOT NULL REFERENCES tracks(id),
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    author_id   BIGINT REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX reports_track ON reports(track_id);

CREATE TABLE attachments (
    id          BIGSERIAL PRIMARY KEY,
    report_id   BIGINT NOT NULL REFERENCES reports(id),
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    bytes       BYTEA NOT NULL,
    created_at  BIGINT NOT NULL
);

-- The hash-chained event log. Never updated, never deleted.
CREATE TABLE events (
    seq        BIGINT PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor      BIGINT,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  BIGINT NOT NULL,
    before     TEXT NOT NULL,
    after      TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX events_entity ON events(entity, entity_id);

-- Messages to send (reminders, urgings, escalations). `key` makes a
-- message unique, so a second sweep cannot queue it again.
CREATE TABLE outbox (
    id               BIGSERIAL PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    channel          TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_by       TEXT,
    claimed_until    BIGINT,
    sent_at          BIGINT,
    last_error       TEXT
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE sent_at IS NULL;
