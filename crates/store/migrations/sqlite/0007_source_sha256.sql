-- The same file uploaded again is found by its SHA-256 (the office is asked
-- before anything is stored twice).
CREATE INDEX IF NOT EXISTS sources_sha256 ON sources (sha256);
