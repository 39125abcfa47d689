-- Groups of units (各乡镇办, 区安委会各成员单位): a name documents print for
-- several units at once. A group is never a unit; naming it assigns its
-- members. `members` is a JSON array of unit ids. Kept in step with
-- migrations/postgres/0010_unit_groups.sql.
CREATE TABLE unit_groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    members     TEXT NOT NULL DEFAULT '[]',
    created_at  INTEGER NOT NULL
);
