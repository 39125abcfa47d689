-- Groups of units (各乡镇办, 区安委会各成员单位): a name documents print for
-- several units at once. A group is never a unit; naming it assigns its
-- members. `members` is a JSON array of unit ids. Kept in step with
-- migrations/sqlite/0010_registry_messages.sql.
CREATE TABLE unit_groups (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    members     TEXT NOT NULL DEFAULT '[]',
    created_at  BIGINT NOT NULL
);

-- The message centre: which of the messages addressed to a user (events on
-- their unit's tracks, limits coming due) they have opened. A message's
-- key is `e<event seq>` or `due:<track>:<date>`.
CREATE TABLE message_reads (
    user_id  BIGINT NOT NULL REFERENCES users(id),
    key      TEXT NOT NULL,
    read_at  BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);
