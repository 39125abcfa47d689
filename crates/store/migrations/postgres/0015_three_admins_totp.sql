-- 三员分立 and a second factor: settings the security admin owns (password
-- and lock-out rules, whether admins need TOTP, the write rate), kept as
-- JSON under a key; each user's TOTP secret once confirmed, the one being
-- enrolled, and the last time step used (a code is good once).
CREATE TABLE security_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
