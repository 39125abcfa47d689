-- API tokens get an id (to be listed and revoked by) and the time of
-- their last use. SQLite adds a key only by rebuilding the table.
CREATE TABLE api_tokens_new (
    id            INTEGER PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    last_used_at  INTEGER
);
INSERT INTO api_tokens_new (token_hash, user_id, name, created_at, revoked_at)
    SELECT token_hash, user_id, name, created_at, revoked_at FROM api_tokens ORDER BY created_at;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens (user_id);
