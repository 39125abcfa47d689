-- API tokens get an id (to be listed and revoked by) and the time of
-- their last use.
ALTER TABLE api_tokens ADD COLUMN id BIGSERIAL;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;
CREATE UNIQUE INDEX api_tokens_id ON api_tokens (id);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
